import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MONTHLY_REPORT_WORKFLOW } from '#contract/workflows';
import { MONTH_SHARDS } from '#contract/tables';
import { isMonth } from '#domain/month';
import type { RunSummary } from '#domain/report-run';
import { toDocumentClient } from '#adapters/dynamodb-client';
import { toPaymentItem } from '#adapters/payment-repository';
import { DynamoDbReportRepository, toReportItems } from '#adapters/report-repository';
import type { ShardWalk } from '#domain/report-batch';
import { handlerEnvironment } from '#local/lambda/handler-environment';
import { localTableNames } from '#contract/tables';
import { UsageError, runCli } from '#devtools/cli-runner';
import { LOCAL_CHILD_EXECUTIONS_AT_ONCE, workflowWithHandlers } from '#local/step-functions/workflow-runner';
import {
  type BenchDynamoDb,
  batchWriter,
  benchDynamoDbClient,
  javaProcess,
  startBenchDynamoDb,
} from './bench-dynamodb';
import { keepMonth, removeScratch, restoreMonth, scratchDataDir } from './kept-data';
import { thisScriptAgain } from './this-script-again';
import { saveReport } from './results-file';
import { type CapacityProxy, startCapacityProxy } from './capacity';
import { capacityPerUser } from './report-capacity';
import { loadAverage, runStart } from './machine';
import { generateUser, seededRandom } from './month-generator';
import { dynamoDbCallRecorder } from './dynamodb-calls';
import {
  type Expected,
  type GenerationResult,
  parseGenerationResult,
  serialiseGenerationResult,
} from './generation-result';
import { progressBar } from './progress';
import { executionLedger, invocationLedger } from './run-figures';
import type {
  MemoryAtPeak,
  ReportBenchFigures,
  ReportCeilingFigures,
  ReportOptions,
  ReportRunFigures,
} from './report-figures';
import { runBenchChild } from './bench-child';
import type { CeilingPlan, CeilingResult } from './dynamodb-ceiling';
import { renderReportBench } from './report-render';

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
                                [--child-executions N] [--keep-data <dir> | --reuse-data <dir>] [--ceiling]
  --keep-data <dir>      after generating, keep the month (DynamoDB Local's database and the generation's figures) in
                         <dir>, then run the report on a scratch copy (in /dev/shm where there is one).
  --reuse-data <dir>     generate nothing: run the report on a scratch copy of the month kept in <dir> (its --users,
                         --month and --seed are the kept month's); the kept month is never changed, so re-runs compare.
  --child-executions N   shard child executions running at once in this process (default: the local stack's,
                         LOCAL_CHILD_EXECUTIONS_AT_ONCE in local/step-functions/workflow-runner.ts).
  --ceiling              after the run, DynamoDB Local's own rate of the one write every user costs (a report head's
                         conditional PutItem, 16 and 64 closed-loop workers, 20 s each, same database): the floor
                         of the report phase at this size on this machine.
  --capacity             the handlers talk to DynamoDB Local through a proxy that adds ReturnConsumedCapacity to
                         every request and adds up the units: read and write units per user (the proxy costs time
                         and memory in this process, so take the time and RSS figures from a run without it).
  --batch-concurrency N  a diagnostic, not the workflow as deployed: at most N BuildReports invocations run at
                         once in this process (the others wait before their handler starts); without it, as many
                         as the ASL's MaxConcurrency lets run (one per shard). Run with \`npx tsx --expose-gc
                         --import ./local/polyfills.ts bench/report-bench.ts\` to see the memory still held after a
                         full GC at the end of the run.`;

const TABLE_PREFIX = 'bench-report-';
const STREAK_SAMPLE = 50;

/** The name Step Functions matches a handler's error on (workflowHandler names its typed errors so). */
const errorName = (error: unknown): string => (error instanceof Error ? error.name : String(error));

const parseOptions = (args: string[]): ReportOptions | 'help' => {
  const { values } = parseArgs({
    args,
    options: {
      users: { type: 'string' },
      month: { type: 'string' },
      seed: { type: 'string' },
      'generate-only': { type: 'string' },
      'batch-concurrency': { type: 'string' },
      capacity: { type: 'boolean' },
      ceiling: { type: 'boolean' },
      'child-executions': { type: 'string' },
      'keep-data': { type: 'string' },
      'reuse-data': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  if (
    values['reuse-data'] !== undefined &&
    [values.users, values.month, values.seed, values['keep-data']].some(Boolean)
  )
    throw new UsageError(
      '--reuse-data runs the kept month as it was generated: no --users, --month, --seed or --keep-data',
    );
  const options = {
    users: Number(values.users ?? 10_000),
    month: values.month ?? '2026-10',
    seed: Number(values.seed ?? 1),
    generateOnly: values['generate-only'],
    capacity: values.capacity === true,
    ceiling: values.ceiling === true,
    batchConcurrency: values['batch-concurrency'] === undefined ? undefined : Number(values['batch-concurrency']),
    childExecutions: Number(values['child-executions'] ?? LOCAL_CHILD_EXECUTIONS_AT_ONCE),
    keepData: values['keep-data'],
    reuseData: values['reuse-data'],
  };
  if (!(Number.isInteger(options.childExecutions) && options.childExecutions >= 1))
    throw new UsageError('--child-executions must be a positive integer');
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

const generateMonth = async (
  options: ReportOptions,
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

/**
 * `--generate-only <endpoint>`: this script as the generation process. Writes the month into the
 * DynamoDB Local the workflow process started (its tables already made) and prints what it
 * generated, with its own wall-clock time, peak RSS and CPU, as one marked line on stdout.
 */
const generateOnly = async (options: ReportOptions, endpoint: string): Promise<number> => {
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
const generateInChildProcess = async (options: ReportOptions, endpoint: string): Promise<GenerationResult> => {
  const args = ['--users', String(options.users), '--month', options.month, '--seed', String(options.seed)];
  return parseGenerationResult(await thisScriptAgain([...args, '--generate-only', endpoint], 'the generation process'));
};

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

/** The BuildReports invocations running, the users reported so far: what the progress bar and the memory samples show. */
interface RunState {
  reported: number;
  batchesRunning: number;
}

/** --batch-concurrency: the waiting batches; a batch that ends hands its slot to the first of them. */
const batchLimiter = (state: RunState, limit: number | undefined) => {
  const queue: Array<() => void> = [];
  return {
    starts: async (): Promise<void> => {
      if (limit === undefined || state.batchesRunning < limit) {
        state.batchesRunning += 1;
        return;
      }
      await new Promise<void>((resolve) => queue.push(resolve));
    },
    ends: (): void => {
      const next = queue.shift();
      if (next) next();
      else state.batchesRunning -= 1;
    },
  };
};

/**
 * The workflow as `npm run report` builds it. Every handler is timed and counted on its way
 * through (a Lambda invocation each, retries included); the users each BuildReports batch adds
 * to its shard's tally drive the progress bar. Every execution's end, the parent's and each
 * shard's child execution's, is counted as the history AWS would hold, and then let go.
 */
const instrumentedWorkflow = (options: ReportOptions, users: number, state: RunState) => {
  const progress = progressBar('report  ', users);
  const batches = batchLimiter(state, options.batchConcurrency);
  const invocations = invocationLedger();
  const executions = executionLedger();
  const workflow = workflowWithHandlers(MONTHLY_REPORT_WORKFLOW, {
    onExecutionEnded: executions.record,
    maxConcurrentChildExecutions: options.childExecutions,
    wrap: (definition, handler) => async (event, context) => {
      const isBatch = definition.name === 'BuildReports';
      if (isBatch) await batches.starts();
      const started = performance.now();
      let result: unknown;
      try {
        result = await handler(event, context);
      } catch (error) {
        invocations.book(definition.name, performance.now() - started, errorName(error));
        throw error;
      } finally {
        if (isBatch) batches.ends();
      }
      invocations.book(definition.name, performance.now() - started);
      if (isBatch) {
        const before = (event as ShardWalk).tally.users;
        progress.update((state.reported += (result as ShardWalk).tally.users - before));
      }
      return result;
    },
  });
  return { workflow, progress, invocations, executions };
};

/**
 * Where the memory is: every 250 ms, the peak of each figure, and the whole sample (and the
 * BuildReports batches running) at the moment the RSS was highest.
 */
const memorySampler = (state: RunState, before: NodeJS.MemoryUsage, startedMs: number) => {
  const peak = { ...before };
  let atPeakRss: MemoryAtPeak = { memory: before, batchesRunning: 0, reported: 0, seconds: 0 };
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    for (const key of Object.keys(peak) as Array<keyof NodeJS.MemoryUsage>) peak[key] = Math.max(peak[key], now[key]);
    if (now.rss >= atPeakRss.memory.rss)
      atPeakRss = { memory: now, ...state, seconds: (performance.now() - startedMs) / 1000 };
  }, 250);
  return {
    stop: (): { peakMemory: NodeJS.MemoryUsage; atPeakRss: MemoryAtPeak } => {
      clearInterval(timer);
      return { peakMemory: peak, atPeakRss };
    },
  };
};

/** Runs the monthly report over the generated month in this process, and what it cost. */
const runReport = async (options: ReportOptions, users: number) => {
  const memoryBeforeRun = process.memoryUsage();
  const rssBeforeRunBytes = process.resourceUsage().maxRSS * 1024;
  const state: RunState = { reported: 0, batchesRunning: 0 };
  const { workflow, progress, invocations, executions } = instrumentedWorkflow(options, users, state);
  const dynamoDbCalls = dynamoDbCallRecorder();
  dynamoDbCalls.start();
  const javaCpuBefore = javaProcess()?.cpuMs ?? Number.NaN;
  const cpuBefore = process.cpuUsage();
  const reportStarted = performance.now();
  const memory = memorySampler(state, memoryBeforeRun, reportStarted);
  const runStartedAt = new Date();
  const execution = await workflow.run(`bench-report-${options.month}-${randomUUID()}`, { month: options.month });
  const seconds = (performance.now() - reportStarted) / 1000;
  dynamoDbCalls.stop();
  const cpu = process.cpuUsage(cpuBefore);
  const javaCpuSeconds = ((javaProcess()?.cpuMs ?? Number.NaN) - javaCpuBefore) / 1000;
  const { peakMemory, atPeakRss } = memory.stop();
  progress.finish();
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const javaPeakRssBytes = javaProcess()?.peakRssBytes;
  // With --expose-gc: what the run still holds once the garbage is gone (the execution's record is).
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const run: ReportRunFigures = {
    seconds,
    workflowCpuSeconds: (cpu.user + cpu.system) / 1e6,
    javaCpuSeconds,
    peakRssBytes,
    rssBeforeRunBytes,
    peakMemory,
    atPeakRss,
    ...(gc ? { memoryAfterGc: process.memoryUsage() } : {}),
    ...(javaPeakRssBytes === undefined ? {} : { javaPeakRssBytes }),
    history: executions.figures(execution.executionArn),
    parentLogEvents: execution.events.length,
    invocationsTotal: invocations.total(),
    functions: invocations.figures(),
    dynamoDbCalls: dynamoDbCalls.figures(),
    unansweredDynamoDbCalls: dynamoDbCalls.unanswered(),
  };
  return { run, execution, runStartedAt };
};

/** The run's outcome against what was generated: the summary's counts, the child executions, the sampled users' reports. */
const checkRun = async (
  { execution, run, runStartedAt }: Awaited<ReturnType<typeof runReport>>,
  expected: Expected,
  options: ReportOptions,
  repository: DynamoDbReportRepository,
): Promise<{ problems: string[]; summary?: RunSummary }> => {
  if (execution.status !== 'SUCCEEDED')
    return { problems: [`the run ended ${execution.status}: ${execution.error} ${execution.cause}`] };
  const problems: string[] = [];
  const summary = execution.output as RunSummary;
  for (const field of ['users', 'payments', 'commitments'] as const) {
    if (summary[field] !== expected[field])
      problems.push(`summary ${field} ${summary[field]}, generated ${expected[field]}`);
  }
  if (summary.failedUsers > 0 || summary.failures.length > 0) problems.push(`${summary.failedUsers} users failed`);
  if (summary.failedShards.length > 0)
    problems.push(
      `shards failed: ${summary.failedShards.map((failure) => `${failure.shard} (${failure.error})`).join(', ')}`,
    );
  const { history } = run;
  // Two map runs over the month's shards: ReportShards, then FurnishShards (decision 0023).
  if (history.children !== 2 * MONTH_SHARDS || history.childrenFailed > 0)
    problems.push(
      `${history.children} child executions ended, ${history.childrenFailed} not SUCCEEDED (expected ${2 * MONTH_SHARDS})`,
    );
  const mismatches = await sampleMismatches(repository, options.month, runStartedAt, expected.sample);
  problems.push(...mismatches.slice(0, 5));
  return { problems, summary };
};

const CEILING_WORKERS = [16, 64];
const CEILING_SECONDS = 20;

/** `--ceiling`: report-head writes at full speed in a process of their own, with DynamoDB Local's CPU beside them. */
const measureReportCeiling = async (endpoint: string, table: string): Promise<ReportCeilingFigures[]> => {
  const rows: ReportCeilingFigures[] = [];
  for (const concurrency of CEILING_WORKERS) {
    const javaCpuBefore = javaProcess()?.cpuMs ?? Number.NaN;
    const result = await runBenchChild<CeilingResult>('dynamodb-ceiling.ts', {
      endpoint,
      table,
      write: 'report-head',
      concurrency,
      durationSeconds: CEILING_SECONDS,
    } satisfies CeilingPlan);
    rows.push({
      concurrency,
      writes: result.writes,
      perSecond: result.perSecond,
      p50Ms: result.latencyMs.p50,
      writerCpuSeconds: result.writerCpuSeconds,
      javaCpuSeconds: ((javaProcess()?.cpuMs ?? Number.NaN) - javaCpuBefore) / 1000,
    });
  }
  return rows;
};

/**
 * The month to report on, in a running DynamoDB Local: generated now by a process of its own (and
 * kept with --keep-data: the database stopped, copied, started again), or a kept one restored.
 */
const preparedMonth = async (
  options: ReportOptions,
  scratch: string | undefined,
): Promise<{ options: ReportOptions; database: BenchDynamoDb; generation: GenerationResult }> => {
  if (options.reuseData !== undefined && scratch) {
    const { month, generation } = await restoreMonth(options.reuseData, scratch);
    return { options: { ...options, ...month }, database: await startBenchDynamoDb(TABLE_PREFIX, scratch), generation };
  }
  const database = await startBenchDynamoDb(TABLE_PREFIX, scratch);
  const generation = await generateInChildProcess(options, database.dynamoDb.endpoint).catch(async (error: unknown) => {
    await database.stop();
    throw error;
  });
  if (options.keepData === undefined || !scratch) return { options, database, generation };
  await database.stop();
  await keepMonth(scratch, options.keepData, options, generation);
  return { options, database: await startBenchDynamoDb(TABLE_PREFIX, scratch), generation };
};

/** Generation in its own process (or a kept month), then the run in this one, checked: the figures the report is rendered from. */
const measureReportBench = async (asked: ReportOptions): Promise<ReportBenchFigures> => {
  const start = runStart();
  const scratch = asked.keepData !== undefined || asked.reuseData !== undefined ? await scratchDataDir() : undefined;
  try {
    const { options, database, generation } = await preparedMonth(asked, scratch);
    const { tables, client } = database;
    // The handlers in this process read these, as `npm run report` sets them.
    const proxy: CapacityProxy | undefined = options.capacity
      ? await startCapacityProxy(database.dynamoDb.endpoint)
      : undefined;
    Object.assign(process.env, handlerEnvironment(proxy?.endpoint ?? database.dynamoDb.endpoint, tables, 'WARN'));
    const { expected } = generation;
    const measured = await runReport(options, expected.users);
    const repository = new DynamoDbReportRepository(toDocumentClient(client), tables.payments);
    const { problems, summary } = await checkRun(measured, expected, options, repository);
    const ceiling = options.ceiling
      ? await measureReportCeiling(database.dynamoDb.endpoint, tables.payments)
      : undefined;
    await proxy?.close();
    await database.stop();
    return {
      options,
      ...start,
      loadAfter: loadAverage(),
      generation,
      run: measured.run,
      ...(proxy ? { capacity: capacityPerUser(proxy.ledger, expected.users) } : {}),
      ...(ceiling ? { ceiling } : {}),
      problems,
      ...(summary ? { summary } : {}),
    };
  } finally {
    if (scratch) await removeScratch(scratch);
  }
};

const main = async (args: string[]): Promise<number> => {
  const options = parseOptions(args);
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (options.generateOnly !== undefined) return generateOnly(options, options.generateOnly);
  const figures = await measureReportBench(options);
  const report = renderReportBench(figures);
  console.log(report);
  console.error(`Written to ${saveReport(`report-${figures.options.users}`, figures.startedAt, report)}`);
  return figures.problems.length === 0 ? 0 : 1;
};

void runCli({
  usage: USAGE,
  main,
  describeFailure: (error) => `The report benchmark failed: ${error.stack ?? error.message}`,
});
