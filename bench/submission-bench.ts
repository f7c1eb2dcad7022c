import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { handlerEnvironment } from '#local/lambda/handler-environment';
import {
  type RunningDynamoDbLocal as DynamoDbLocal,
  localDynamoDbClient,
  startDynamoDbLocal,
} from '#local/dynamodb/dynamodb-local';
import { freePort } from '#local/free-port';
import { ensureTables } from '#local/dynamodb/table-bootstrap';
import { localTableNames } from '#contract/tables';
import { LOCAL_INTEGRATION_CLIENT_ID } from '#contract/oauth-clients';
import { INTEGRATION_SCOPES } from '#contract/scopes';
import { issuerUrl } from '#local/cognito/access-tokens';
import { startLocalStack } from '#devtools/local-stack-process';
import {
  batchBody,
  batchWorkflow,
  outputOf,
  paymentBody,
  runSubmission,
  submissionWorkflow,
  userCaller,
} from '#devtools/submissions';
import { runBenchChild } from './bench-child';
import { type BundleFigures, measureBundles } from './bundles';
import { startCapacityProxy } from './capacity';
import { type CeilingPlan, type CeilingResult, type CeilingWrite, onTimeTimestamp } from './dynamodb-ceiling';
import type { HttpLoadPlan, LoadResult } from './load-client';
import { saveReport } from './results-file';
import { loadAverage, runStart } from './machine';
import { cpuByRole, descendants } from './processes';
import { renderSubmissionReport } from './submission-render';
import {
  type MeasuredCapacity,
  type MeasuredLoad,
  SUBMISSION_PLAN,
  type SubmissionFigures,
  type SubmissionOptions,
} from './submission-figures';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { UsageError, runCli } from '#devtools/cli-runner';

/**
 * `npm run bench`: the submission path under load on the local stack, against a direct path and
 * DynamoDB Local's own ceiling, plus the write units per payment and each Lambda's bundle and
 * cold start. Prints a markdown report and writes it under bench/results/. docs/performance.md
 * explains the method and keeps the figures.
 */
const USAGE = `Usage: npm run bench -- [--duration <s>] [--concurrency 1,16,64] [--profile] [--skip-bundles]
  --duration      seconds of load per concurrency level and path (default 10)
  --concurrency   comma-separated connection counts (default 1,16,64)
  --profile       run the stack under node --cpu-prof and summarise where it spent its time
  --skip-bundles  leave out the bundle sizes and cold starts (about half a minute)`;

const TSX = path.join(REPOSITORY_ROOT, 'node_modules/.bin/tsx');
const TABLE_PREFIX = 'bench-';
type TableNames = ReturnType<typeof localTableNames>;
type Tokens = Record<string, string>;

const step = (message: string): void => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
const { batchMaxConnections, batchMinSeconds, batchSize, capacitySamples, noThrottle, warmUpSeconds } = SUBMISSION_PLAN;

const parseOptions = (args: string[]): SubmissionOptions | 'help' => {
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: 'string' },
      concurrency: { type: 'string' },
      profile: { type: 'boolean' },
      'skip-bundles': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const durationSeconds = Number(values.duration ?? 10);
  const concurrencies = (values.concurrency ?? '1,16,64').split(',').map(Number);
  if (!(durationSeconds > 0) || concurrencies.some((c) => !Number.isInteger(c) || c < 1)) {
    throw new UsageError('bad --duration or --concurrency');
  }
  return { durationSeconds, concurrencies, profile: values.profile ?? false, bundles: !values['skip-bundles'] };
};

/** Runs a bench script as its own process with a JSON plan, and parses the one JSON line it prints. */
/** The processes whose CPU time a load phase is charged with. */
const ROLES = { server: /local\/main\.ts|direct-server\.ts/, dynamoDb: /java/ };

const httpLoad = async (
  url: string,
  tokens: Record<string, string>,
  connections: number,
  durationSeconds: number,
  batchSize?: number,
): Promise<MeasuredLoad> => {
  const before = cpuByRole(descendants(), ROLES);
  const result = await runBenchChild<LoadResult>('load-client.ts', {
    url,
    tokens,
    connections,
    durationSeconds,
    ...(batchSize === undefined ? {} : { batchSize }),
  } satisfies HttpLoadPlan);
  const after = cpuByRole(descendants(), ROLES);
  const perRequest = (role: keyof typeof ROLES): number => ((after[role] ?? 0) - (before[role] ?? 0)) / result.requests;
  return { ...result, cpuMsPerRequest: { server: perRequest('server'), dynamoDb: perRequest('dynamoDb') } };
};

interface DirectServer {
  url: string;
  stop(): Promise<void>;
}

const startDirectServer = async (env: Record<string, string>): Promise<DirectServer> => {
  const port = await freePort();
  const child: ChildProcess = spawn(TSX, [path.join(__dirname, 'direct-server.ts')], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Ready.') && resolve());
    child.once('exit', (code) => reject(new Error(`The direct server exited with ${code}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGINT');
      await exited;
    },
  };
};

/**
 * The write and read units one accepted submission consumes, through the real workflow and
 * handlers: payments of this month (the usual case), then payments of `lateTimestamp`'s earlier
 * month (late arrivals, which the sparse lateArrivals index also takes). One proxy for both: the
 * handlers build their DynamoDB client once, on its endpoint.
 */
const measureCapacity = async (
  dynamoDbEndpoint: string,
  tables: TableNames,
  lateTimestamp: string,
): Promise<{ onTime: MeasuredCapacity; late: MeasuredCapacity; batch: MeasuredCapacity }> => {
  const proxy = await startCapacityProxy(dynamoDbEndpoint);
  // The handlers in this process find DynamoDB through the proxy, as the stack's find it directly.
  Object.assign(process.env, handlerEnvironment(proxy.endpoint, tables, 'SILENT'));
  const workflow = submissionWorkflow();
  const measure = async (timestamp: () => string): Promise<MeasuredCapacity> => {
    proxy.ledger.clear();
    let accepted = 0;
    for (let i = 0; i < capacitySamples; i += 1) {
      const userId = randomUUID();
      const output = outputOf(
        await runSubmission(workflow, paymentBody({ userId, timestamp: timestamp() }), userCaller(userId)),
      );
      if (output.statusCode === 201) accepted += 1;
    }
    return { ledger: new Map(proxy.ledger), accepted };
  };
  // The same payments of this month, as one batch: the per-payment writes must be the single path's.
  const measureBatch = async (): Promise<MeasuredCapacity> => {
    proxy.ledger.clear();
    const userId = randomUUID();
    const payments = Array.from({ length: capacitySamples }, () =>
      paymentBody({ userId, timestamp: onTimeTimestamp() }),
    );
    const output = outputOf(await runSubmission(batchWorkflow(), batchBody(payments), userCaller(userId)));
    const results = (output.body.results ?? []) as Array<{ status: number }>;
    return { ledger: new Map(proxy.ledger), accepted: results.filter((result) => result.status === 201).length };
  };
  try {
    return {
      onTime: await measure(() => onTimeTimestamp()),
      late: await measure(() => lateTimestamp),
      batch: await measureBatch(),
    };
  } finally {
    await proxy.close();
  }
};

const newestProfile = (dir: string): string | undefined =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => path.join(dir, name))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0];

/** DynamoDB Local in memory (the figures are of the path, not of this machine's shared disk; npm start keeps its data on disk; docs/performance.md says what that changes). */
const startBenchDynamoDb = async (): Promise<{ dynamoDb: DynamoDbLocal; tables: TableNames }> => {
  const dynamoDb = await startDynamoDbLocal({ port: await freePort() });
  const tables = localTableNames(TABLE_PREFIX);
  const admin = localDynamoDbClient(dynamoDb.endpoint);
  await ensureTables(admin, tables);
  admin.destroy();
  return { dynamoDb, tables };
};

const startBenchStack = (options: SubmissionOptions, dynamoDbEndpoint: string, profileDir: string) =>
  startLocalStack({
    dynamoDbEndpoint,
    tablePrefix: TABLE_PREFIX,
    env: {
      RATE_LIMIT_PER_SECOND: noThrottle,
      RATE_LIMIT_BURST: noThrottle,
      RATE_LIMIT_PER_USER_PER_MINUTE: noThrottle,
      LOG_LEVEL: 'WARN',
      ...(options.profile
        ? { NODE_OPTIONS: `--import=${path.join(__dirname, 'cpu-profiler.mjs')}`, BENCH_PROFILE_DIR: profileDir }
        : {}),
    },
  });

type BenchStack = Awaited<ReturnType<typeof startBenchStack>>;

/** One user a connection; the batch path is for integrations (submit-on-behalf): the same users, each with an integration's token. */
const userTokens = async (stack: BenchStack, users: number): Promise<Record<'single' | 'batch', Tokens>> => {
  const single: Tokens = {};
  const batch: Tokens = {};
  for (let i = 0; i < users; i += 1) {
    const userId = randomUUID();
    single[userId] = await stack.token({ sub: userId });
    batch[userId] = await stack.token({
      sub: userId,
      clientId: LOCAL_INTEGRATION_CLIENT_ID,
      scope: INTEGRATION_SCOPES.join(' '),
    });
  }
  return { single, batch };
};

/** A warm-up that is not counted, then one row per concurrency. */
const measurePath = async (
  options: SubmissionOptions,
  label: string,
  url: string,
  tokens: Tokens,
  path: { concurrencies: number[]; batchSize?: number },
): Promise<MeasuredLoad[]> => {
  const { batchSize: size } = path;
  const seconds = size === undefined ? options.durationSeconds : Math.max(options.durationSeconds, batchMinSeconds);
  // Batches warm up on one connection: 16 batches in flight would still be running into the first row.
  const warmUpConnections = size === undefined ? 16 : 1;
  step(`warm-up of the ${label}: ${warmUpSeconds} s at ${warmUpConnections} connection(s) (not counted)`);
  await httpLoad(url, tokens, warmUpConnections, warmUpSeconds, size);
  const rows: MeasuredLoad[] = [];
  for (const connections of path.concurrencies) {
    step(`${label}: ${connections} connection(s), ${seconds} s`);
    rows.push(await httpLoad(url, tokens, connections, seconds, size));
  }
  return rows;
};

/** The workflow and batch paths through the local stack, then the direct path with the stack's issuer and data. */
const measurePaths = async (options: SubmissionOptions, dynamoDb: DynamoDbLocal, tables: TableNames) => {
  const profileDir = mkdtempSync(path.join(tmpdir(), 'bench-profile-'));
  step(
    `DynamoDB Local (in memory) at ${dynamoDb.endpoint}; starting the local stack${options.profile ? ' with the CPU profiler' : ''}`,
  );
  const stack = await startBenchStack(options, dynamoDb.endpoint, profileDir);
  const tokens = await userTokens(stack, Math.max(...options.concurrencies));
  const all = { concurrencies: options.concurrencies };
  let workflow: MeasuredLoad[];
  let batch: MeasuredLoad[];
  try {
    workflow = await measurePath(options, 'workflow path', stack.url, tokens.single, all);
    batch = await measurePath(options, `batch path (${batchSize} a request)`, stack.url, tokens.batch, {
      concurrencies: options.concurrencies.filter((connections) => connections <= batchMaxConnections),
      batchSize,
    });
  } finally {
    await stack.stop();
  }
  const profileFile = options.profile ? newestProfile(profileDir) : undefined;
  const direct = await startDirectServer({
    ...handlerEnvironment(dynamoDb.endpoint, tables, 'SILENT', {}),
    DATA_DIR: stack.dataDir,
    ISSUER: issuerUrl(stack.port),
  });
  try {
    return {
      workflow,
      batch,
      direct: await measurePath(options, 'direct path', direct.url, tokens.single, all),
      profileFile,
    };
  } finally {
    await direct.stop();
  }
};

/** DynamoDB Local's own ceiling for the submission's writes, in child processes of their own. */
const measureCeiling = async (options: SubmissionOptions, endpoint: string, table: string) => {
  const ceilingSeconds = Math.max(3, Math.round(options.durationSeconds / 2));
  const results: CeilingResult[] = [];
  for (const write of ['conditional-put', 'store-payment'] as CeilingWrite[]) {
    for (const concurrency of options.concurrencies) {
      step(`DynamoDB Local ceiling: ${write}, ${concurrency} worker(s), ${ceilingSeconds} s`);
      results.push(
        await runBenchChild<CeilingResult>('dynamodb-ceiling.ts', {
          endpoint,
          table,
          write,
          concurrency,
          durationSeconds: ceilingSeconds,
        } satisfies CeilingPlan),
      );
    }
  }
  return results;
};

/** Every phase in turn, on one DynamoDB Local: the figures the report is rendered from. */
const measureSubmission = async (options: SubmissionOptions): Promise<SubmissionFigures> => {
  const start = runStart();
  const { dynamoDb, tables } = await startBenchDynamoDb();
  const paths = await measurePaths(options, dynamoDb, tables);
  const ceiling = await measureCeiling(options, dynamoDb.endpoint, tables.payments);
  step(
    `capacity units: ${capacitySamples} submissions of this month, then ${capacitySamples} late arrivals, through the workflow, via a recording proxy`,
  );
  // A payment of last month, received now: a late arrival.
  const lateTimestamp = new Date(
    Date.UTC(start.startedAt.getUTCFullYear(), start.startedAt.getUTCMonth() - 1, 5, 9, 30),
  ).toISOString();
  const capacity = await measureCapacity(dynamoDb.endpoint, tables, lateTimestamp);
  await dynamoDb.stop();
  let bundles: BundleFigures[] = [];
  if (options.bundles) {
    step('bundles: esbuild as CDK does, then cold loads in fresh node processes');
    bundles = await measureBundles();
  }
  const users = Math.max(...options.concurrencies);
  return {
    options,
    ...start,
    loadAfter: loadAverage(),
    users,
    ...paths,
    ceiling,
    capacity,
    lateTimestamp,
    bundles,
  };
};

const main = async (args: string[]): Promise<number> => {
  const options = parseOptions(args);
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const figures = await measureSubmission(options);
  const report = renderSubmissionReport(figures);
  console.log(report);
  console.error(`Written to ${saveReport('submission', figures.startedAt, report)}`);
  return 0;
};

void runCli({
  usage: USAGE,
  main,
  describeFailure: (error) => `The benchmark failed: ${error.stack ?? error.message}`,
});
