import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MONTHLY_REPORT_WORKFLOW } from '#contract/functions';
import { isMonth } from '#domain/month';
import type { RunSummary } from '#domain/report-run';
import { toDocumentClient } from '#adapters/dynamodb-client';
import { toMonthIndexItem, toPaymentItem } from '#adapters/payment-repository';
import { DynamoDbReportRepository, toReportItem } from '#adapters/report-repository';
import { localDynamoDbClient, startDynamoDbLocal } from '#local/dynamodb-local';
import { freePort } from '#local/free-port';
import { handlerEnvironment } from '#local/handler-environment';
import { ensureTables, localTableNames } from '#local/table-bootstrap';
import { workflowWithHandlers } from '#local/workflow-runner';
import { saveReport } from './results-file';
import { describeMachine, loadAverage, machineInfo } from './machine';
import { generateUser, seededRandom } from './month-generator';
import { descendants } from './processes';
import { progressBar } from './progress';
import { formatBytes, formatFigure, markdownTable } from './stats';

/**
 * `npm run bench:report`: generates a realistic month in DynamoDB Local (items exactly as the
 * submission path and BuildReport write them), then runs the real monthly-report workflow over
 * it as `npm run report` does, checks the run summary against what was generated, and prints
 * users/s, payments/s and the times of both phases. Writes the report under bench/results/.
 */
const USAGE = `Usage: npm run bench:report -- [--users 10000] [--payments-per-user 5] [--month 2026-10] [--seed 1]`;

const TABLE_PREFIX = 'bench-report-';
const BATCH_SIZE = 25; // BatchWriteItem's limit
const BATCHES_IN_FLIGHT = 8;
const STREAK_SAMPLE = 50;

interface Options {
  users: number;
  paymentsPerUser: number;
  month: string;
  seed: number;
}

const parseOptions = (args: string[]): Options | 'help' => {
  const { values } = parseArgs({
    args,
    options: {
      users: { type: 'string' },
      'payments-per-user': { type: 'string' },
      month: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const options = {
    users: Number(values.users ?? 10_000),
    paymentsPerUser: Number(values['payments-per-user'] ?? 5),
    month: values.month ?? '2026-10',
    seed: Number(values.seed ?? 1),
  };
  if (!Number.isInteger(options.users) || options.users < 1) throw new Error('--users must be a positive integer');
  if (!Number.isInteger(options.paymentsPerUser) || options.paymentsPerUser < 1) throw new Error('--payments-per-user must be a positive integer');
  if (!isMonth(options.month)) throw new Error('--month must be YYYY-MM');
  return options;
};

/** BatchWriteItem, 25 puts at a time, a few batches in flight; unprocessed items are sent again. */
const batchWriter = (documentClient: DynamoDBDocumentClient, table: string) => {
  let pending: Record<string, unknown>[] = [];
  const inFlight = new Set<Promise<void>>();
  const send = async (items: Record<string, unknown>[]): Promise<void> => {
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      const result = await documentClient.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  };
  const dispatch = async (items: Record<string, unknown>[]): Promise<void> => {
    const sending = send(items).finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    if (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight);
  };
  return {
    add: async (items: Record<string, unknown>[]): Promise<void> => {
      pending.push(...items);
      while (pending.length >= BATCH_SIZE) await dispatch(pending.splice(0, BATCH_SIZE));
    },
    flush: async (): Promise<void> => {
      if (pending.length > 0) await dispatch(pending.splice(0));
      pending = [];
      await Promise.all(inFlight);
    },
  };
};

interface Expected {
  users: number;
  payments: number;
  commitments: number;
  previousReports: number;
  sample: Array<{ userId: string; streaks: Map<string, number> }>;
}

const generateMonth = async (options: Options, documentClient: DynamoDBDocumentClient, table: string): Promise<Expected> => {
  const random = seededRandom(options.seed);
  const writer = batchWriter(documentClient, table);
  const progress = progressBar('generate', options.users);
  const sampleEvery = Math.max(1, Math.floor(options.users / STREAK_SAMPLE));
  const expected: Expected = { users: 0, payments: 0, commitments: 0, previousReports: 0, sample: [] };
  for (let i = 0; i < options.users; i += 1) {
    const user = generateUser(random, options.month, options.paymentsPerUser);
    await writer.add([
      ...user.payments.map(toPaymentItem),
      // Every payment of the user's month writes this same item; once is what the table ends with.
      toMonthIndexItem(user.payments[0]!),
      ...(user.previousReport ? [toReportItem(user.previousReport)] : []),
    ]);
    expected.users += 1;
    expected.payments += user.payments.length;
    expected.commitments += user.expectedStreaks.size;
    expected.previousReports += user.previousReport ? 1 : 0;
    if (i % sampleEvery === 0) expected.sample.push({ userId: user.userId, streaks: user.expectedStreaks });
    progress.update(i + 1);
  }
  await writer.flush();
  progress.finish();
  return expected;
};

/** The streaks the run stored for the sampled users, against the generator's: the differences. */
const streakMismatches = async (repository: DynamoDbReportRepository, month: string, sample: Expected['sample']): Promise<string[]> => {
  const mismatches: string[] = [];
  for (const { userId, streaks } of sample) {
    const report = await repository.getReport(userId, month);
    const stored = new Map((report?.commitments ?? []).map((commitment) => [commitment.key, commitment.streak]));
    for (const [key, streak] of streaks) {
      if (stored.get(key) !== streak) mismatches.push(`${userId} ${key}: expected streak ${streak}, stored ${stored.get(key)}`);
    }
  }
  return mismatches;
};

const main = async (): Promise<number> => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  let options: Options | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const machine = machineInfo();
  const loadBefore = loadAverage();
  const startedAt = new Date();

  // In memory, like the tests: the figures are of the workflow, not of this shared machine's disk.
  const dynamoDb = await startDynamoDbLocal({ port: await freePort() });
  const tables = localTableNames(TABLE_PREFIX);
  const client = localDynamoDbClient(dynamoDb.endpoint, { requestHandler: { httpAgent: { maxSockets: 64 } } });
  await ensureTables(client, tables);
  // The handlers in this process read these, as `npm run report` sets them.
  Object.assign(process.env, handlerEnvironment(dynamoDb.endpoint, tables, 'WARN'));
  const documentClient = toDocumentClient(client);

  const generationStarted = performance.now();
  const expected = await generateMonth(options, documentClient, tables.payments);
  const generationSeconds = (performance.now() - generationStarted) / 1000;
  const rssAfterGeneration = process.resourceUsage().maxRSS * 1024;

  // The workflow as `npm run report` builds it; BuildReport is counted on its way through, for the progress bar.
  const reportProgress = progressBar('report  ', expected.users);
  let reported = 0;
  const workflow = workflowWithHandlers(MONTHLY_REPORT_WORKFLOW, {
    wrap: (definition, handler) =>
      definition.name !== 'BuildReport'
        ? handler
        : async (event, context) => {
            const result = await handler(event, context);
            reportProgress.update((reported += 1));
            return result;
          },
  });
  let peakHeap = 0;
  const heapWatch = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 250);
  const reportStarted = performance.now();
  const execution = await workflow.run(`bench-report-${options.month}-${randomUUID()}`, { month: options.month });
  const reportSeconds = (performance.now() - reportStarted) / 1000;
  clearInterval(heapWatch);
  reportProgress.finish();
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const javaPeakRss = descendants().find((entry) => /java/.test(entry.command))?.peakRssBytes;

  const problems: string[] = [];
  let summary: RunSummary | undefined;
  if (execution.status !== 'SUCCEEDED') {
    problems.push(`the run ended ${execution.status}: ${execution.error} ${execution.cause}`);
  } else {
    summary = execution.output as RunSummary;
    for (const field of ['users', 'payments', 'commitments'] as const) {
      if (summary[field] !== expected[field]) problems.push(`summary ${field} ${summary[field]}, generated ${expected[field]}`);
    }
    if (summary.failures.length > 0) problems.push(`${summary.failures.length} users failed`);
    const mismatches = await streakMismatches(new DynamoDbReportRepository(documentClient, tables.payments), options.month, expected.sample);
    problems.push(...mismatches.slice(0, 5));
  }
  client.destroy();
  await dynamoDb.stop();

  const report = [
    `## Monthly report run, ${options.users.toLocaleString('en-GB')} users × ${options.paymentsPerUser} payments, ${startedAt.toISOString()}`,
    '',
    `Machine: ${describeMachine(machine)}. Load average (1/5/15 min) before ${loadBefore}, after ${loadAverage()}; the machine is shared with other agents' test runs.`,
    `Data: ${expected.users.toLocaleString('en-GB')} users, ${expected.payments.toLocaleString('en-GB')} payments in ${expected.commitments.toLocaleString('en-GB')} commitments; ${expected.previousReports.toLocaleString('en-GB')} users with a previous month's report (streaks). DynamoDB Local in memory; seed ${options.seed}.`,
    '',
    markdownTable(
      ['phase', 'time s', 'users/s', 'payments/s', 'notes'],
      [
        ['generate (BatchWriteItem, 8 batches in flight)', formatFigure(generationSeconds, 1), formatFigure(expected.users / generationSeconds), formatFigure(expected.payments / generationSeconds), `peak RSS of this process ${formatBytes(rssAfterGeneration)}`],
        ['report workflow (local interpreter)', formatFigure(reportSeconds, 1), formatFigure(expected.users / reportSeconds), formatFigure(expected.payments / reportSeconds), `${execution.events.length.toLocaleString('en-GB')} events in the execution's log`],
      ],
    ),
    '',
    `Peak RSS of the process running the workflow: ${formatBytes(peakRss)} (peak V8 heap in use during the run ${formatBytes(peakHeap)}); DynamoDB Local (java) peak RSS: ${javaPeakRss ? formatBytes(javaPeakRss) : 'unknown'}.`,
    `Check: ${problems.length === 0 ? `the run summary matches what was generated (users, payments, commitments, no failures), and the streaks of ${expected.sample.length} sampled users are the expected ones.` : `FAILED: ${problems.join('; ')}`}`,
    '',
  ].join('\n');
  console.log(report);
  console.error(`Written to ${saveReport(`report-${options.users}`, startedAt, report)}`);
  return problems.length === 0 ? 0 : 1;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`The report benchmark failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
