import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MONTHLY_REPORT_WORKFLOW } from '#contract/workflows';
import { MONTH_SHARDS } from '#contract/tables';
import { isMonth } from '#domain/month';
import type { RunSummary } from '#domain/report-run';
import { toDocumentClient } from '#adapters/dynamodb-client';
import { toPaymentItem } from '#adapters/payment-repository';
import { DynamoDbReportRepository, toReportItems } from '#adapters/report-repository';
import type { ShardWalk } from '#domain/report-batch';
import { localDynamoDbClient, startDynamoDbLocal } from '#local/dynamodb/dynamodb-local';
import { freePort } from '#local/free-port';
import { handlerEnvironment } from '#local/lambda/handler-environment';
import { ensureTables } from '#local/dynamodb/table-bootstrap';
import { localTableNames } from '#contract/tables';
import { UsageError, runCli } from '#devtools/cli-runner';
import { workflowWithHandlers } from '#local/step-functions/workflow-runner';
import { saveReport } from './results-file';
import { type CapacityProxy, startCapacityProxy } from './capacity';
import { capacityPerUser } from './report-capacity';
import { describeMachine, loadAverage, machineInfo } from './machine';
import { generateUser, seededRandom } from './month-generator';
import { descendants } from './processes';
import { dynamoDbCallRecorder } from './dynamodb-calls';
import {
  type Expected,
  type GenerationResult,
  parseGenerationResult,
  serialiseGenerationResult,
} from './generation-result';
import { progressBar } from './progress';
import { executionLedger, invocationLedger } from './run-figures';
import { formatBytes, formatFigure, markdownTable } from './stats';

/**
 * `npm run bench:report`: generates a realistic month in DynamoDB Local (items exactly as the
 * submission path and BuildReports write them; in a child process of its own, this script with
 * the hidden `--generate-only`, so that this process's peak RSS is the workflow's), then runs the
 * real monthly-report workflow over it in this process as `npm run report` does (a Distributed
 * Map: one child execution per month shard), checks the run summary against what was generated,
 * and prints users/s, payments/s and the times of both phases, the history events each execution
 * would hold in AWS, the Lambda invocations, and the peak RSS of both processes with where the
 * workflow process's memory was at its peak. Writes the report under bench/results/.
 */
const USAGE = `Usage: npm run bench:report -- [--users 10000] [--month 2026-10] [--seed 1] [--batch-concurrency N] [--capacity]
  --capacity             the handlers talk to DynamoDB Local through a proxy that adds ReturnConsumedCapacity to
                         every request and adds up the units: read and write units per user (the proxy costs time
                         and memory in this process, so take the time and RSS figures from a run without it).
  --batch-concurrency N  a diagnostic, not the workflow as deployed: at most N BuildReports invocations run at
                         once in this process (the others wait before their handler starts); without it, as many
                         as the ASL's MaxConcurrency lets run (one per shard). Run with \`npx tsx --expose-gc
                         --import ./local/polyfills.ts bench/report-bench.ts\` to see the memory still held after a
                         full GC at the end of the run.`;

const TABLE_PREFIX = 'bench-report-';
const BATCH_SIZE = 25; // BatchWriteItem's limit
const BATCHES_IN_FLIGHT = 8;
const STREAK_SAMPLE = 50;

interface Options {
  users: number;
  month: string;
  seed: number;
  /** Diagnostic: at most this many BuildReports invocations at once (the rest wait). */
  batchConcurrency?: number;
  /** Hidden: be the generation process, writing the month into the DynamoDB Local at this endpoint. */
  generateOnly?: string;
  /** Measure the units each request consumes (through a recording proxy). */
  capacity: boolean;
}

/** The name Step Functions matches a handler's error on (workflowHandler names its typed errors so). */
const errorName = (error: unknown): string => (error instanceof Error ? error.name : String(error));

const parseOptions = (args: string[]): Options | 'help' => {
  const { values } = parseArgs({
    args,
    options: {
      users: { type: 'string' },
      month: { type: 'string' },
      seed: { type: 'string' },
      'generate-only': { type: 'string' },
      'batch-concurrency': { type: 'string' },
      capacity: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const options = {
    users: Number(values.users ?? 10_000),
    month: values.month ?? '2026-10',
    seed: Number(values.seed ?? 1),
    generateOnly: values['generate-only'],
    capacity: values.capacity === true,
    batchConcurrency: values['batch-concurrency'] === undefined ? undefined : Number(values['batch-concurrency']),
  };
  if (
    options.batchConcurrency !== undefined &&
    !(Number.isInteger(options.batchConcurrency) && options.batchConcurrency >= 1)
  ) {
    throw new UsageError('--batch-concurrency must be a positive integer');
  }
  if (!Number.isInteger(options.users) || options.users < 1) throw new UsageError('--users must be a positive integer');
  if (!isMonth(options.month)) throw new UsageError('--month must be YYYY-MM');
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

const generateMonth = async (
  options: Options,
  documentClient: DynamoDBDocumentClient,
  table: string,
): Promise<Expected> => {
  const random = seededRandom(options.seed);
  const writer = batchWriter(documentClient, table);
  const progress = progressBar('generate', options.users);
  const sampleEvery = Math.max(1, Math.floor(options.users / STREAK_SAMPLE));
  const expected: Expected = {
    users: 0,
    payments: 0,
    historyPayments: 0,
    commitments: 0,
    previousReports: 0,
    sample: [],
  };
  for (let i = 0; i < options.users; i += 1) {
    const user = generateUser(random, options.month);
    // One item per payment (its index keys on it): the month's, and a backfilled user's 23 months
    // before; else the previous month's report as its items.
    await writer.add([
      ...user.payments.map(toPaymentItem),
      ...user.history.map(toPaymentItem),
      ...(user.previousReport ? toReportItems(user.previousReport) : []),
    ]);
    expected.users += 1;
    expected.payments += user.payments.length;
    expected.historyPayments += user.history.length;
    expected.commitments += user.expectedStreaks.size;
    expected.previousReports += user.previousReport ? 1 : 0;
    if (i % sampleEvery === 0)
      expected.sample.push({
        userId: user.userId,
        streaks: user.expectedStreaks,
        selfReported: user.expectedSelfReported,
      });
    progress.update(i + 1);
  }
  await writer.flush();
  progress.finish();
  return expected;
};

/** The DynamoDB client settings both processes use: enough sockets for the batches in flight. */
const benchDynamoDbClient = (endpoint: string) =>
  localDynamoDbClient(endpoint, { requestHandler: { httpAgent: { maxSockets: 64 } } });

/**
 * `--generate-only <endpoint>`: this script as the generation process. Writes the month into the
 * DynamoDB Local the workflow process started (its tables already made) and prints what it
 * generated, with its own wall-clock time, peak RSS and CPU, as one marked line on stdout.
 */
const generateOnly = async (options: Options, endpoint: string): Promise<number> => {
  const client = benchDynamoDbClient(endpoint);
  const started = performance.now();
  const expected = await generateMonth(options, toDocumentClient(client), localTableNames(TABLE_PREFIX).payments);
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  const cpu = process.cpuUsage();
  const result: GenerationResult = {
    expected,
    seconds,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
  // Written before main() exits the process: wait until the line has gone.
  await new Promise<void>((resolve, reject) =>
    process.stdout.write(`${serialiseGenerationResult(result)}\n`, (error) => (error ? reject(error) : resolve())),
  );
  return 0;
};

/**
 * Runs the generation in a process of its own (this script again, with the same Node flags and
 * loaders, `--generate-only`): `maxRSS` is a lifetime high-water mark, so a month generated in the
 * workflow's process would count in the workflow's peak. Its progress bar shares our stderr.
 */
const generateInChildProcess = (options: Options, endpoint: string): Promise<GenerationResult> =>
  new Promise((resolve, reject) => {
    const args = [
      '--users',
      String(options.users),
      '--month',
      options.month,
      '--seed',
      String(options.seed),
      '--generate-only',
      endpoint,
    ];
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`the generation process exited with ${signal ?? code}`));
      try {
        resolve(parseGenerationResult(stdout));
      } catch (error) {
        reject(error as Error);
      }
    });
  });

/** The streaks and provenance the run stored for the sampled users, against the generator's: the differences. */
const sampleMismatches = async (
  repository: DynamoDbReportRepository,
  month: string,
  builtAfter: Date,
  sample: Expected['sample'],
): Promise<string[]> => {
  const mismatches: string[] = [];
  for (const { userId, streaks, selfReported } of sample) {
    const report = await repository.getReport(userId, month);
    if (!report) {
      mismatches.push(`${userId}: no report stored`);
      continue;
    }
    if (!(Date.parse(report.builtAt) >= builtAfter.getTime()))
      mismatches.push(`${userId}: builtAt ${report.builtAt}, before the run`);
    const stored = new Map(report.commitments.map((commitment) => [commitment.commitmentId, commitment]));
    for (const [key, streak] of streaks) {
      const commitment = stored.get(key);
      if (commitment?.streak !== streak)
        mismatches.push(`${userId} ${key}: expected streak ${streak}, stored ${commitment?.streak}`);
      if (commitment && commitment.selfReported !== selfReported.get(key)) {
        mismatches.push(
          `${userId} ${key}: expected selfReported ${selfReported.get(key)}, stored ${commitment.selfReported}`,
        );
      }
    }
  }
  return mismatches;
};

/** `--capacity`: the units the run consumed, per user, as DynamoDB Local reported them. */
const capacitySection = (proxy: CapacityProxy, users: number): string[] => {
  const { readUnits, writeUnits, table } = capacityPerUser(proxy.ledger, users);
  return [
    '',
    `Capacity units per user per run (ReturnConsumedCapacity INDEXES via a recording proxy; ${users.toLocaleString('en-GB')} users): read ${formatFigure(readUnits, 2)}, write ${formatFigure(writeUnits, 2)}.`,
    '',
    table,
  ];
};

const main = async (args: string[]): Promise<number> => {
  const options = parseOptions(args);
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (options.generateOnly !== undefined) return generateOnly(options, options.generateOnly);
  const machine = machineInfo();
  const loadBefore = loadAverage();
  const startedAt = new Date();

  // In memory, like the tests: the figures are of the workflow, not of this shared machine's disk.
  const dynamoDb = await startDynamoDbLocal({ port: await freePort() });
  const tables = localTableNames(TABLE_PREFIX);
  const client = benchDynamoDbClient(dynamoDb.endpoint);
  await ensureTables(client, tables);
  // The handlers in this process read these, as `npm run report` sets them.
  const proxy: CapacityProxy | undefined = options.capacity ? await startCapacityProxy(dynamoDb.endpoint) : undefined;
  Object.assign(process.env, handlerEnvironment(proxy?.endpoint ?? dynamoDb.endpoint, tables, 'WARN'));
  const documentClient = toDocumentClient(client);

  // The month is generated by a process of its own; this one has only started DynamoDB Local.
  const generation = await generateInChildProcess(options, dynamoDb.endpoint).catch(async (error: unknown) => {
    client.destroy();
    await dynamoDb.stop();
    throw error;
  });
  const { expected, seconds: generationSeconds } = generation;
  const memoryBeforeRun = process.memoryUsage();
  const rssBeforeRun = process.resourceUsage().maxRSS * 1024;

  // The workflow as `npm run report` builds it. Every handler is timed and counted on its way
  // through (a Lambda invocation each, retries included); the users each BuildReports batch adds
  // to its shard's tally drive the progress bar. Every execution's end, the parent's and each
  // shard's child execution's, is counted as the history AWS would hold, and then let go.
  const reportProgress = progressBar('report  ', expected.users);
  let reported = 0;
  let batchesRunning = 0;
  // --batch-concurrency: the waiting batches; a batch that ends hands its slot to the first of them.
  const batchQueue: Array<() => void> = [];
  const batchStarts = async (): Promise<void> => {
    if (options.batchConcurrency === undefined || batchesRunning < options.batchConcurrency) {
      batchesRunning += 1;
      return;
    }
    await new Promise<void>((resolve) => batchQueue.push(resolve));
  };
  const batchEnds = (): void => {
    const next = batchQueue.shift();
    if (next) next();
    else batchesRunning -= 1;
  };
  const invocations = invocationLedger();
  const executions = executionLedger();
  const workflow = workflowWithHandlers(MONTHLY_REPORT_WORKFLOW, {
    onExecutionEnded: executions.record,
    wrap: (definition, handler) => async (event, context) => {
      const isBatch = definition.name === 'BuildReports';
      if (isBatch) await batchStarts();
      const started = performance.now();
      let result: unknown;
      try {
        result = await handler(event, context);
      } catch (error) {
        invocations.book(definition.name, performance.now() - started, errorName(error));
        throw error;
      } finally {
        if (isBatch) batchEnds();
      }
      invocations.book(definition.name, performance.now() - started);
      if (definition.name === 'BuildReports') {
        const before = (event as ShardWalk).tally.users;
        reportProgress.update((reported += (result as ShardWalk).tally.users - before));
      }
      return result;
    },
  });
  // Where the memory is: every 250 ms, the peak of each figure, and the whole sample (and the
  // BuildReports batches running) at the moment the RSS was highest.
  const peakMemory = { ...memoryBeforeRun };
  let atPeakRss = { memory: memoryBeforeRun, batchesRunning: 0, reported: 0, seconds: 0 };
  const memoryWatch = setInterval(() => {
    const now = process.memoryUsage();
    for (const key of Object.keys(peakMemory) as Array<keyof NodeJS.MemoryUsage>)
      peakMemory[key] = Math.max(peakMemory[key], now[key]);
    if (now.rss >= atPeakRss.memory.rss)
      atPeakRss = { memory: now, batchesRunning, reported, seconds: (performance.now() - reportStarted) / 1000 };
  }, 250);
  const dynamoDbCalls = dynamoDbCallRecorder();
  dynamoDbCalls.start();
  const javaCpuMs = (): number => descendants().find((entry) => /java/.test(entry.command))?.cpuMs ?? Number.NaN;
  const javaCpuBefore = javaCpuMs();
  const cpuBefore = process.cpuUsage();
  const reportStarted = performance.now();
  const runStartedAt = new Date();
  const execution = await workflow.run(`bench-report-${options.month}-${randomUUID()}`, { month: options.month });
  const reportSeconds = (performance.now() - reportStarted) / 1000;
  dynamoDbCalls.stop();
  const cpu = process.cpuUsage(cpuBefore);
  const workflowCpuSeconds = (cpu.user + cpu.system) / 1e6;
  const javaCpuSeconds = (javaCpuMs() - javaCpuBefore) / 1000;
  clearInterval(memoryWatch);
  reportProgress.finish();
  const history = executions.figures(execution.executionArn);
  const functions = invocations.figures();
  const buildReports = functions.find((figures) => figures.name === 'BuildReports');
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const javaPeakRss = descendants().find((entry) => /java/.test(entry.command))?.peakRssBytes;
  // With --expose-gc: what the run still holds once the garbage is gone (the execution's record is).
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const memoryAfterGc = gc ? process.memoryUsage() : undefined;

  const problems: string[] = [];
  let summary: RunSummary | undefined;
  if (execution.status !== 'SUCCEEDED') {
    problems.push(`the run ended ${execution.status}: ${execution.error} ${execution.cause}`);
  } else {
    summary = execution.output as RunSummary;
    for (const field of ['users', 'payments', 'commitments'] as const) {
      if (summary[field] !== expected[field])
        problems.push(`summary ${field} ${summary[field]}, generated ${expected[field]}`);
    }
    if (summary.failedUsers > 0 || summary.failures.length > 0) problems.push(`${summary.failedUsers} users failed`);
    if (summary.failedShards.length > 0)
      problems.push(
        `shards failed: ${summary.failedShards.map((failure) => `${failure.shard} (${failure.error})`).join(', ')}`,
      );
    if (history.children !== MONTH_SHARDS || history.childrenFailed > 0)
      problems.push(
        `${history.children} child executions ended, ${history.childrenFailed} not SUCCEEDED (expected ${MONTH_SHARDS})`,
      );
    const mismatches = await sampleMismatches(
      new DynamoDbReportRepository(documentClient, tables.payments),
      options.month,
      runStartedAt,
      expected.sample,
    );
    problems.push(...mismatches.slice(0, 5));
  }
  client.destroy();
  await proxy?.close();
  await dynamoDb.stop();

  const count = (value: number): string => value.toLocaleString('en-GB');
  const report = [
    `## Monthly report run, ${options.users.toLocaleString('en-GB')} users (4 commitments, 24 months of bank-feed narratives), ${startedAt.toISOString()}`,
    '',
    `Machine: ${describeMachine(machine)}. Load average (1/5/15 min) before ${loadBefore}, after ${loadAverage()}; the machine is shared with other agents' test runs.`,
    `Data: ${expected.users.toLocaleString('en-GB')} users, ${expected.payments.toLocaleString('en-GB')} payments in ${expected.commitments.toLocaleString('en-GB')} commitments; ${expected.previousReports.toLocaleString('en-GB')} users with a previous month's report (streaks), the others backfilled (23 months of payments stored, read by the run); ${expected.historyPayments.toLocaleString('en-GB')} payments of earlier months stored. DynamoDB Local in memory; seed ${options.seed}.`,
    '',
    markdownTable(
      ['phase', 'time s', 'users/s', 'payments/s', 'notes'],
      [
        [
          'generate (BatchWriteItem, 8 batches in flight)',
          formatFigure(generationSeconds, 1),
          formatFigure(expected.users / generationSeconds),
          formatFigure(expected.payments / generationSeconds),
          `its own process: peak RSS ${formatBytes(generation.peakRssBytes)}, CPU ${formatFigure(generation.cpuSeconds, 1)} s`,
        ],
        [
          `report workflow (local interpreter, ${MONTH_SHARDS} child executions)`,
          formatFigure(reportSeconds, 1),
          formatFigure(expected.users / reportSeconds),
          formatFigure(expected.payments / reportSeconds),
          `peak RSS of this process ${formatBytes(peakRss)}; ${count(invocations.total())} Lambda invocations; AWS history events: parent ${formatFigure(history.parentEvents)}, child max ${formatFigure(history.childEventsMax)} (median ${formatFigure(history.childEventsMedian)})`,
        ],
      ],
    ),
    '',
    ...(options.batchConcurrency !== undefined
      ? [
          `**Diagnostic run, not the workflow as deployed:** --batch-concurrency ${options.batchConcurrency}, at most ${options.batchConcurrency} BuildReports invocations at once in this process (the others waited before their handler started; their time is not in the handler figures).`,
        ]
      : []),
    `CPU during the report phase: this process (interpreter, handlers, SDK) ${formatFigure(workflowCpuSeconds, 1)} s, DynamoDB Local (java) ${formatFigure(javaCpuSeconds, 1)} s, in ${formatFigure(reportSeconds, 1)} s of wall-clock time on 2 shared cores.`,
    `History events per execution, as AWS would hold them (toHistoryEvents of each execution's record, without data): the parent ${formatFigure(history.parentEvents)} (its own log ${count(execution.events.length)}); ${history.children} child executions, max ${formatFigure(history.childEventsMax)}, median ${formatFigure(history.childEventsMedian)}. Child execution time: max ${formatFigure(history.childSecondsMax, 1)} s, median ${formatFigure(history.childSecondsMedian, 1)} s.`,
    `Lambda invocations: ${count(invocations.total())} in all${buildReports ? `; BuildReports ${count(buildReports.invocations)} (${formatFigure(expected.users / buildReports.invocations, 1)} users each on average)` : ''}. Wall-clock time inside each handler (the run's ${formatFigure(reportSeconds, 1)} s, ${MONTH_SHARDS} children at once):`,
    '',
    markdownTable(
      ['function', 'invocations', 'failed', 'total s', 'p50 ms', 'p95 ms', 'max ms'],
      functions.map((figures) => [
        figures.name,
        count(figures.invocations),
        figures.failed === 0
          ? '0'
          : `${count(figures.failed)} (${Object.entries(figures.errors)
              .map(([name, times]) => `${times}× ${name}`)
              .join(', ')})`,
        formatFigure(figures.totalMs / 1000, 1),
        formatFigure(figures.p50Ms, 0),
        formatFigure(figures.p95Ms, 0),
        formatFigure(figures.maxMs, 0),
      ]),
    ),
    '',
    `DynamoDB Local requests during the run, from this process (every handler's SDK client), request to answer${dynamoDbCalls.unanswered() > 0 ? `; ${count(dynamoDbCalls.unanswered())} never answered (SDK timeout)` : ''}:`,
    '',
    markdownTable(
      ['operation', 'requests', 'total s', 'p50 ms', 'p95 ms', 'max ms'],
      dynamoDbCalls
        .figures()
        .map((figures) => [
          figures.operation,
          count(figures.calls),
          formatFigure(figures.totalMs / 1000, 1),
          formatFigure(figures.p50Ms, 0),
          formatFigure(figures.p95Ms, 0),
          formatFigure(figures.maxMs, 0),
        ]),
    ),
    '',
    `Scan requests: ${count(dynamoDbCalls.figures().find((figures) => figures.operation === 'Scan')?.calls ?? 0)}.`,
    ...(proxy ? capacitySection(proxy, expected.users) : []),
    '',
    `Peak RSS of the process running the workflow (its maxRSS; the month was generated by another process): ${formatBytes(peakRss)}, of which ${formatBytes(rssBeforeRun)} before the run started (DynamoDB Local started, handlers loaded). Sampled every 250 ms during the run, the peaks: RSS ${formatBytes(peakMemory.rss)}, V8 heap in use ${formatBytes(peakMemory.heapUsed)} (heap reserved ${formatBytes(peakMemory.heapTotal)}), external ${formatBytes(peakMemory.external)} (of it ArrayBuffers ${formatBytes(peakMemory.arrayBuffers)}). At the highest RSS sample (${formatFigure(atPeakRss.seconds, 1)} s into the run, ${count(atPeakRss.reported)} users reported, ${atPeakRss.batchesRunning} BuildReports batches running): RSS ${formatBytes(atPeakRss.memory.rss)}, heap in use ${formatBytes(atPeakRss.memory.heapUsed)} of ${formatBytes(atPeakRss.memory.heapTotal)} reserved, external ${formatBytes(atPeakRss.memory.external)}, ArrayBuffers ${formatBytes(atPeakRss.memory.arrayBuffers)}.`,
    ...(memoryAfterGc
      ? [
          `After the run and a full GC (--expose-gc): RSS ${formatBytes(memoryAfterGc.rss)}, heap in use ${formatBytes(memoryAfterGc.heapUsed)} of ${formatBytes(memoryAfterGc.heapTotal)} reserved, external ${formatBytes(memoryAfterGc.external)}, ArrayBuffers ${formatBytes(memoryAfterGc.arrayBuffers)}.`,
        ]
      : []),
    `The generation process's peak RSS: ${formatBytes(generation.peakRssBytes)}. DynamoDB Local (java) peak RSS: ${javaPeakRss ? formatBytes(javaPeakRss) : 'unknown'}.`,
    `Check: ${problems.length === 0 ? `the run summary matches what was generated (users, payments, commitments, no failed user or shard, all ${MONTH_SHARDS} child executions SUCCEEDED), and the reports of ${expected.sample.length} sampled users carry the expected streak and selfReported for every commitment and a builtAt of this run.` : `FAILED: ${problems.join('; ')}`}`,
    ...(summary ? [`Late rebuilds in the summary (none generated): ${JSON.stringify(summary.late)}.`] : []),
    '',
  ].join('\n');
  console.log(report);
  console.error(`Written to ${saveReport(`report-${options.users}`, startedAt, report)}`);
  return problems.length === 0 ? 0 : 1;
};

void runCli({
  usage: USAGE,
  main,
  describeFailure: (error) => `The report benchmark failed: ${error.stack ?? error.message}`,
});
