import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { handlerEnvironment } from '#local/lambda/handler-environment';
import { localDynamoDbClient, startDynamoDbLocal } from '#local/dynamodb/dynamodb-local';
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
  submissionInput,
  submissionWorkflow,
  userCaller,
} from '#devtools/submissions';
import { type BundleFigures, measureBundles } from './bundles';
import { type CapacityLedger, startCapacityProxy } from './capacity';
import { type CeilingPlan, type CeilingResult, type CeilingWrite, onTimeTimestamp } from './dynamodb-ceiling';
import type { HttpLoadPlan, LoadResult } from './load-client';
import { saveReport } from './results-file';
import { describeMachine, loadAverage, machineInfo } from './machine';
import { cpuByRole, descendants } from './processes';
import { formatBytes, formatFigure, markdownTable } from './stats';
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
/** Far above any rate this machine reaches: the per-client throttle must not shape the figures. */
const NO_THROTTLE = '1000000';
const WARM_UP_SECONDS = 3;
const CAPACITY_SAMPLES = 20;
/** POST /payments/batch: payments per request, and the connection counts it runs at (the issue's 1 and 16). */
const BATCH_SIZE = 100;
const BATCH_MAX_CONNECTIONS = 16;
/** A batch of 100 takes seconds locally: a row needs long enough for a fair count of them. */
const BATCH_MIN_SECONDS = 40;

interface Options {
  durationSeconds: number;
  concurrencies: number[];
  profile: boolean;
  bundles: boolean;
}

const parseOptions = (args: string[]): Options | 'help' => {
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
const runChild = async <T>(script: string, plan: unknown): Promise<T> => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bench-plan-')), 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  const child = spawn(TSX, [path.join(__dirname, script), file], {
    cwd: REPOSITORY_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return JSON.parse(output.trim().split('\n').pop()!) as T;
};

/** The processes whose CPU time a load phase is charged with. */
const ROLES = { server: /local\/main\.ts|direct-server\.ts/, dynamoDb: /java/ };

interface MeasuredLoad extends LoadResult {
  /** CPU ms per answered request: the server under test, and DynamoDB Local. */
  cpuMsPerRequest: { server: number; dynamoDb: number };
}

const httpLoad = async (
  url: string,
  tokens: Record<string, string>,
  connections: number,
  durationSeconds: number,
  batchSize?: number,
): Promise<MeasuredLoad> => {
  const before = cpuByRole(descendants(), ROLES);
  const result = await runChild<LoadResult>('load-client.ts', {
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

interface MeasuredCapacity {
  ledger: CapacityLedger;
  accepted: number;
}

/**
 * The write and read units one accepted submission consumes, through the real workflow and
 * handlers: payments of this month (the usual case), then payments of `lateTimestamp`'s earlier
 * month (late arrivals, which the sparse lateArrivals index also takes). One proxy for both: the
 * handlers build their DynamoDB client once, on its endpoint.
 */
const measureCapacity = async (
  dynamoDbEndpoint: string,
  tables: { payments: string; idempotency: string },
  lateTimestamp: string,
): Promise<{ onTime: MeasuredCapacity; late: MeasuredCapacity; batch: MeasuredCapacity }> => {
  const proxy = await startCapacityProxy(dynamoDbEndpoint);
  // The handlers in this process find DynamoDB through the proxy, as the stack's find it directly.
  Object.assign(process.env, handlerEnvironment(proxy.endpoint, tables, 'SILENT'));
  const workflow = submissionWorkflow();
  const measure = async (timestamp: () => string): Promise<MeasuredCapacity> => {
    proxy.ledger.clear();
    let accepted = 0;
    for (let i = 0; i < CAPACITY_SAMPLES; i += 1) {
      const userId = randomUUID();
      const output = outputOf(
        await runSubmission(
          workflow,
          submissionInput(paymentBody({ userId, timestamp: timestamp() }), userCaller(userId)),
        ),
      );
      if (output.statusCode === 201) accepted += 1;
    }
    return { ledger: new Map(proxy.ledger), accepted };
  };
  // The same payments of this month, as one batch: the per-payment writes must be the single path's.
  const measureBatch = async (): Promise<MeasuredCapacity> => {
    proxy.ledger.clear();
    const userId = randomUUID();
    const payments = Array.from({ length: CAPACITY_SAMPLES }, () =>
      paymentBody({ userId, timestamp: onTimeTimestamp() }),
    );
    const output = outputOf(
      await runSubmission(batchWorkflow(), submissionInput(batchBody(payments), userCaller(userId))),
    );
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

const loadRow = (path: string, result: MeasuredLoad): string[] => [
  path,
  String(result.connections),
  formatFigure(result.perSecond, 1),
  formatFigure(result.latencyMs.p50, 1),
  formatFigure(result.latencyMs.p95, 1),
  formatFigure(result.latencyMs.p99, 1),
  String(result.requests),
  Object.entries(result.non2xx)
    .map(([status, count]) => `${count}× ${status}`)
    .join(', ') || '0',
  String(result.errors + result.timeouts),
  formatFigure(result.cpuMsPerRequest.server, 1),
  formatFigure(result.cpuMsPerRequest.dynamoDb, 1),
  formatFigure(result.clientCpuMsPerRequest, 2),
];

const newestProfile = (dir: string): string | undefined =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => path.join(dir, name))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0];

const main = async (args: string[]): Promise<number> => {
  const options = parseOptions(args);
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const machine = machineInfo();
  const loadBefore = loadAverage();
  const startedAt = new Date();
  const step = (message: string): void => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

  // In memory: the figures are of the path, not of this machine's shared disk (npm start keeps
  // its data on disk; docs/performance.md says what that changes).
  const dynamoDb = await startDynamoDbLocal({ port: await freePort() });
  const tables = localTableNames(TABLE_PREFIX);
  const admin = localDynamoDbClient(dynamoDb.endpoint);
  await ensureTables(admin, tables);
  admin.destroy();

  const profileDir = mkdtempSync(path.join(tmpdir(), 'bench-profile-'));
  step(
    `DynamoDB Local (in memory) at ${dynamoDb.endpoint}; starting the local stack${options.profile ? ' with the CPU profiler' : ''}`,
  );
  const stack = await startLocalStack({
    dynamoDbEndpoint: dynamoDb.endpoint,
    tablePrefix: TABLE_PREFIX,
    env: {
      RATE_LIMIT_PER_SECOND: NO_THROTTLE,
      RATE_LIMIT_BURST: NO_THROTTLE,
      RATE_LIMIT_PER_USER_PER_MINUTE: NO_THROTTLE,
      LOG_LEVEL: 'WARN',
      ...(options.profile
        ? { NODE_OPTIONS: `--import=${path.join(__dirname, 'cpu-profiler.mjs')}`, BENCH_PROFILE_DIR: profileDir }
        : {}),
    },
  });
  const maxConnections = Math.max(...options.concurrencies);
  const tokens: Record<string, string> = {};
  // The batch path is for integrations (submit-on-behalf): the same users, each with an integration's token.
  const batchTokens: Record<string, string> = {};
  for (let i = 0; i < maxConnections; i += 1) {
    const userId = randomUUID();
    tokens[userId] = await stack.token({ sub: userId });
    batchTokens[userId] = await stack.token({
      sub: userId,
      clientId: LOCAL_INTEGRATION_CLIENT_ID,
      scope: INTEGRATION_SCOPES.join(' '),
    });
  }

  const workflowResults: MeasuredLoad[] = [];
  const directResults: MeasuredLoad[] = [];
  const ceilingResults: CeilingResult[] = [];
  let profileFile: string | undefined;
  /** A warm-up that is not counted, then one row per concurrency. */
  const batchResults: MeasuredLoad[] = [];
  const batchConcurrencies = options.concurrencies.filter((connections) => connections <= BATCH_MAX_CONNECTIONS);
  const measurePath = async (
    label: string,
    url: string,
    into: MeasuredLoad[],
    concurrencies = options.concurrencies,
    batchSize?: number,
  ): Promise<void> => {
    const seconds =
      batchSize === undefined ? options.durationSeconds : Math.max(options.durationSeconds, BATCH_MIN_SECONDS);
    // Batches warm up on one connection: 16 batches in flight would still be running into the first row.
    const warmUpConnections = batchSize === undefined ? 16 : 1;
    const pathTokens = batchSize === undefined ? tokens : batchTokens;
    step(`warm-up of the ${label}: ${WARM_UP_SECONDS} s at ${warmUpConnections} connection(s) (not counted)`);
    await httpLoad(url, pathTokens, warmUpConnections, WARM_UP_SECONDS, batchSize);
    for (const connections of concurrencies) {
      step(`${label}: ${connections} connection(s), ${seconds} s`);
      into.push(await httpLoad(url, pathTokens, connections, seconds, batchSize));
    }
  };
  try {
    await measurePath('workflow path', stack.url, workflowResults);
    await measurePath(`batch path (${BATCH_SIZE} a request)`, stack.url, batchResults, batchConcurrencies, BATCH_SIZE);
  } finally {
    await stack.stop();
  }
  if (options.profile) profileFile = newestProfile(profileDir);

  const direct = await startDirectServer({
    ...handlerEnvironment(dynamoDb.endpoint, tables, 'SILENT', {}),
    DATA_DIR: stack.dataDir,
    ISSUER: issuerUrl(stack.port),
  });
  try {
    await measurePath('direct path', direct.url, directResults);
  } finally {
    await direct.stop();
  }

  const ceilingSeconds = Math.max(3, Math.round(options.durationSeconds / 2));
  for (const write of ['conditional-put', 'store-payment'] as CeilingWrite[]) {
    for (const concurrency of options.concurrencies) {
      step(`DynamoDB Local ceiling: ${write}, ${concurrency} worker(s), ${ceilingSeconds} s`);
      ceilingResults.push(
        await runChild<CeilingResult>('dynamodb-ceiling.ts', {
          endpoint: dynamoDb.endpoint,
          table: tables.payments,
          write,
          concurrency,
          durationSeconds: ceilingSeconds,
        } satisfies CeilingPlan),
      );
    }
  }

  step(
    `capacity units: ${CAPACITY_SAMPLES} submissions of this month, then ${CAPACITY_SAMPLES} late arrivals, through the workflow, via a recording proxy`,
  );
  // A payment of last month, received now: a late arrival.
  const lateTimestamp = new Date(
    Date.UTC(startedAt.getUTCFullYear(), startedAt.getUTCMonth() - 1, 5, 9, 30),
  ).toISOString();
  const {
    onTime: capacity,
    late: lateCapacity,
    batch: batchCapacity,
  } = await measureCapacity(dynamoDb.endpoint, tables, lateTimestamp);
  await dynamoDb.stop();

  let bundles: BundleFigures[] = [];
  if (options.bundles) {
    step('bundles: esbuild as CDK does, then cold loads in fresh node processes');
    bundles = await measureBundles();
  }
  const loadAfter = loadAverage();

  const ratioRows = options.concurrencies.map((connections, i) => {
    const workflow = workflowResults[i]!;
    const directResult = directResults[i]!;
    return [
      String(connections),
      formatFigure(workflow.perSecond, 1),
      formatFigure(directResult.perSecond, 1),
      `${formatFigure((workflow.perSecond / directResult.perSecond) * 100, 0)} %`,
      `${formatFigure(workflow.latencyMs.p50 / directResult.latencyMs.p50, 1)}×`,
    ];
  });
  const writeUnits = [...capacity.ledger].filter(([key]) => !/^(GetItem|Query|TransactGetItems) /.test(key));
  const readUnits = [...capacity.ledger].filter(([key]) => /^(GetItem|Query|TransactGetItems) /.test(key));
  const perPayment = (units: number): string => formatFigure(units / capacity.accepted, 2);
  const totalWrites = writeUnits.reduce((sum, [, entry]) => sum + entry.units, 0);
  const isWrite = ([key]: [string, unknown]): boolean => !/^(GetItem|Query|TransactGetItems) /.test(key);
  const lateWrites = [...lateCapacity.ledger].filter(isWrite).reduce((sum, [, entry]) => sum + entry.units, 0);
  const batchWrites = [...batchCapacity.ledger].filter(isWrite).reduce((sum, [, entry]) => sum + entry.units, 0);
  const batchRows = batchResults.map((result) => {
    const single = workflowResults[options.concurrencies.indexOf(result.connections)]!;
    const paymentsPerSecond = result.perSecond * BATCH_SIZE;
    return [
      String(result.connections),
      String(result.requests),
      formatFigure(result.perSecond, 2),
      formatFigure(paymentsPerSecond, 1),
      formatFigure(single.perSecond, 1),
      `${formatFigure(paymentsPerSecond / single.perSecond, 1)}×`,
      formatFigure(result.latencyMs.p50, 0),
      formatFigure(result.latencyMs.p99, 0),
      Object.entries(result.non2xx)
        .map(([status, count]) => `${count}× ${status}`)
        .join(', ') || '0',
      String(result.errors + result.timeouts),
      formatFigure((result.cpuMsPerRequest.server + result.cpuMsPerRequest.dynamoDb) / BATCH_SIZE, 2),
      formatFigure(result.clientCpuMsPerRequest / BATCH_SIZE, 3),
    ];
  });
  const report = [
    `## Submission path, ${startedAt.toISOString()}`,
    '',
    `Machine: ${describeMachine(machine)}. Load average (1/5/15 min) before ${loadBefore}, after ${loadAfter}; the machine is shared with other agents' test runs.`,
    `Method: ${options.durationSeconds} s of closed-loop load per row through the typed client (openapi-fetch, one keep-alive socket per connection, no retry) from a separate process, every request a fresh payment id, ${maxConnections} users with real RS256 tokens from the stack's issuer, after a ${WARM_UP_SECONDS} s warm-up; rate limit overridden to ${NO_THROTTLE}/s; DynamoDB Local in memory; stack LOG_LEVEL WARN${options.profile ? '; the stack ran with the CPU profiler on (slower)' : ''}.`,
    '',
    markdownTable(
      [
        'path',
        'connections',
        'submissions/s',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'requests',
        'non-2xx',
        'errors',
        'server CPU ms/req',
        'DynamoDB CPU ms/req',
        'load client CPU ms/req',
      ],
      [
        ...workflowResults.map((result) => loadRow('workflow (gateway + Express ASL + 4 handlers)', result)),
        ...directResults.map((result) => loadRow('direct (token + validation + conditional put)', result)),
      ],
    ),
    '',
    markdownTable(['connections', 'workflow/s', 'direct/s', 'workflow ÷ direct', 'p50 workflow ÷ direct'], ratioRows),
    '',
    markdownTable(
      ['DynamoDB Local write', 'workers', 'writes/s', 'p50 ms', 'p99 ms', 'failures'],
      ceilingResults.map((result) => [
        result.write === 'conditional-put'
          ? 'conditional PutItem (payment item)'
          : "StorePayment's put (putIfAbsent: conditional PutItem, ALL_OLD on refusal)",
        String(result.concurrency),
        formatFigure(result.perSecond, 1),
        formatFigure(result.latencyMs.p50, 1),
        formatFigure(result.latencyMs.p99, 1),
        String(result.failures),
      ]),
    ),
    '',
    `Capacity per accepted payment (${capacity.accepted} of ${CAPACITY_SAMPLES} submissions accepted, each for the month it is received in), as DynamoDB Local reports it (ReturnConsumedCapacity INDEXES):`,
    '',
    markdownTable(
      ['request', 'requests per payment', 'units per payment'],
      [
        ...[...writeUnits, ...readUnits].map(([key, entry]) => [
          key,
          perPayment(entry.requests),
          perPayment(entry.units),
        ]),
        ['**write units in all** (minimum: 1)', '', `**${perPayment(totalWrites)}**`],
      ],
    ),
    '',
    `POST /payments/batch, ${BATCH_SIZE} fresh payments of one user a request, ${Math.max(options.durationSeconds, BATCH_MIN_SECONDS)} s a row, against POST /payments in the same run (same stack, same users):`,
    '',
    markdownTable(
      [
        'connections',
        'batches',
        'batches/s',
        'payments/s (batch)',
        'payments/s (single)',
        'batch ÷ single',
        'batch p50 ms',
        'batch p99 ms',
        'non-2xx',
        'errors',
        'CPU ms/payment (stack + DynamoDB)',
        'load client CPU ms/payment',
      ],
      batchRows,
    ),
    '',
    `Write units per payment through the batch (${batchCapacity.accepted} of ${CAPACITY_SAMPLES} accepted in one batch): ${formatFigure(batchWrites / batchCapacity.accepted, 2)} (single path: ${perPayment(totalWrites)}).`,
    '',
    `A late arrival (a payment for ${lateTimestamp.slice(0, 7)}, received now; ${lateCapacity.accepted} of ${CAPACITY_SAMPLES} accepted) also writes its lateArrivals index entry: ${formatFigure(lateWrites / lateCapacity.accepted, 2)} write units per payment.`,
    ...(bundles.length > 0
      ? [
          '',
          markdownTable(
            ['Lambda', 'bundle', 'source map', 'cold load (median ms)', 'samples ms'],
            bundles.map((figures) => [
              figures.name,
              formatBytes(figures.bytes),
              formatBytes(figures.sourceMapBytes),
              formatFigure(figures.initMs, 0),
              figures.initSamplesMs.map((ms) => formatFigure(ms, 0)).join(' '),
            ]),
          ),
        ]
      : []),
    ...(profileFile
      ? ['', `CPU profile of the stack: ${profileFile} (summarise: npx tsx bench/cpu-profile.ts ${profileFile})`]
      : []),
    '',
  ].join('\n');

  console.log(report);
  console.error(`Written to ${saveReport('submission', startedAt, report)}`);
  return 0;
};

void runCli({
  usage: USAGE,
  main,
  describeFailure: (error) => `The benchmark failed: ${error.stack ?? error.message}`,
});
