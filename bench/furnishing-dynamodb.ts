import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ENV } from '#contract/environment';
import { MONTH_SHARDS, localTableNames } from '#contract/tables';
import { REPORT_FUNCTIONS } from '#contract/functions';
import type { BureauFile, FurnishingOutcome } from '#domain/furnishing';
import { bureausFromSetting } from '#domain/furnishing-bureaus';
import type { ShardFurnishing } from '#domain/furnishing-parts';
import { validateMetro2File } from '#domain/metro2/validate';
import { canonicalUserId } from '#domain/user-id';
import { toDocumentClient } from '#adapters/dynamodb-client';
import { toReportItems } from '#adapters/report-repository';
import { handlerEnvironment } from '#local/lambda/handler-environment';
import { createLambdaContext, loadHandler } from '#local/lambda/lambda-runtime';
import { LOCAL_CHILD_EXECUTIONS_AT_ONCE } from '#local/step-functions/workflow-runner';
import {
  type BenchDynamoDb,
  batchWriter,
  benchDynamoDbClient,
  javaProcess,
  startBenchDynamoDb,
} from './bench-dynamodb';
import { keepDatabase, removeScratch, restoreDatabase, scratchDataDir } from './kept-data';
import { loadAverage } from './machine';
import { progressBar } from './progress';
import { seededRandom } from './random';
import { identityRecordOf, reportPages } from './furnishing-generator';
import { thisScriptAgain } from './this-script-again';
import type { FurnishingStepFigures, GeneratedFurnishingMonth } from './furnishing-render';

/**
 * `npm run bench:furnishing -- --dynamodb`: the furnishing step as the monthly run does it, over DynamoDB Local. A
 * month's reports (consent, kinds and open disputes in them, as BuildReports writes them) and identities are written
 * by a process of their own; then this process runs the real FurnishShard for every shard, as many at once as the
 * local stack runs child executions, then FurnishBureau per bureau and MarkErasuresFurnished, and validates the delivered file.
 */
export const TABLE_PREFIX = 'bench-furnishing-';
export const GENERATION_MARKER = 'BENCH-FURNISHING-GENERATION ';

export interface StepOptions {
  customers: number;
  month: string;
  seed: number;
  keepData?: string;
  reuseData?: string;
}

/** Writes the month: every report's items and every customer's identity item, 25 to a batch. */
export const generateFurnishingMonth = async (endpoint: string, options: StepOptions) => {
  const client = benchDynamoDbClient(endpoint);
  const documentClient = toDocumentClient(client);
  const tables = localTableNames(TABLE_PREFIX);
  const reports = batchWriter(documentClient, tables.payments);
  const identities = batchWriter(documentClient, tables.identities);
  const random = seededRandom(options.seed);
  const generated: GeneratedFurnishingMonth = { seconds: 0, reportItems: 0, active: 0, erased: 0, none: 0 };
  const progress = progressBar('generate', options.customers);
  const started = performance.now();
  for await (const page of reportPages(random, options.month, options.customers, { seconds: 0 })) {
    const items = page.flatMap((report) => toReportItems(report));
    generated.reportItems += items.length;
    await reports.add(items);
    const at = `${options.month}-01T09:00:00.000Z`;
    for (const { userId } of page) {
      const record = identityRecordOf(random, at);
      generated[record?.state === 'active' ? 'active' : record ? 'erased' : 'none'] += 1;
      if (record) await identities.add([{ userId: canonicalUserId(userId), ...record }]);
    }
    progress.update(generated.active + generated.erased + generated.none);
  }
  await Promise.all([reports.flush(), identities.flush()]);
  progress.finish();
  client.destroy();
  return { ...generated, seconds: (performance.now() - started) / 1000 };
};

/** `--generate-only <endpoint>`: this script as the generation process; what it wrote, as one marked line. */
export const generateOnly = async (endpoint: string, options: StepOptions): Promise<number> => {
  const generated = await generateFurnishingMonth(endpoint, options);
  await new Promise<void>((resolve, reject) =>
    process.stdout.write(`${GENERATION_MARKER}${JSON.stringify(generated)}\n`, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
  return 0;
};

/** Generation in a process of its own: `maxRSS` is a lifetime high-water mark, so ours stays the step's. */
const generateInChildProcess = async (endpoint: string, options: StepOptions): Promise<GeneratedFurnishingMonth> => {
  const args = ['--customers', String(options.customers), '--month', options.month, '--seed', String(options.seed)];
  const stdout = await thisScriptAgain([...args, '--generate-only', endpoint], 'the generation process');
  const line = stdout.split('\n').find((each) => each.startsWith(GENERATION_MARKER));
  if (!line) throw new Error('the generation process printed no result');
  return JSON.parse(line.slice(GENERATION_MARKER.length)) as GeneratedFurnishingMonth;
};

interface PreparedMonth {
  options: StepOptions;
  database: BenchDynamoDb;
  generation: GeneratedFurnishingMonth;
  reused: boolean;
}

/** The month in a running DynamoDB Local: generated now (and kept with --keep-data), or a kept one restored. */
const preparedMonth = async (options: StepOptions, scratch: string | undefined): Promise<PreparedMonth> => {
  if (options.reuseData !== undefined && scratch) {
    const kept = (await restoreDatabase(options.reuseData, scratch)) as unknown as StepOptions & {
      generation: GeneratedFurnishingMonth;
    };
    const { customers, month, seed, generation } = kept;
    const database = await startBenchDynamoDb(TABLE_PREFIX, scratch);
    return { options: { ...options, customers, month, seed }, database, generation, reused: true };
  }
  const database = await startBenchDynamoDb(TABLE_PREFIX, scratch);
  const generation = await generateInChildProcess(database.dynamoDb.endpoint, options).catch(async (error: unknown) => {
    await database.stop();
    throw error;
  });
  if (options.keepData === undefined || !scratch) return { options, database, generation, reused: false };
  await database.stop();
  const { customers, month, seed } = options;
  await keepDatabase(scratch, options.keepData, { customers, month, seed, generation });
  return { options, database: await startBenchDynamoDb(TABLE_PREFIX, scratch), generation, reused: false };
};

const handlerNamed = (name: string) => {
  const definition = REPORT_FUNCTIONS.find((each) => each.name === name)!;
  const handler = loadHandler(definition);
  return (input: unknown) => handler(input as never, createLambdaContext(definition, 'bench-'));
};

/** Every shard through the real FurnishShard, `atOnce` at a time (the local stack's child executions), in shard order. */
const furnishShards = async (month: string, atOnce: number): Promise<ShardFurnishing[]> => {
  const furnishShard = handlerNamed('FurnishShard');
  const answers: ShardFurnishing[] = [];
  const progress = progressBar('shards  ', MONTH_SHARDS);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let shard = next++; shard < MONTH_SHARDS; shard = next++) {
      answers[shard] = (await furnishShard({ requestId: randomUUID(), month, shard })) as ShardFurnishing;
      progress.update(answers.filter(Boolean).length);
    }
  };
  await Promise.all(Array.from({ length: atOnce }, worker));
  progress.finish();
  return answers;
};

/** The delivered file read back through the product's validator: the rules it breaks (none, or the bench fails). */
const fileViolations = async (location: string): Promise<string[]> => {
  const lines = createInterface({ input: createReadStream(location, 'utf8'), crlfDelay: Infinity });
  // Record, rule and field only: a message may quote a customer's value.
  return (await validateMetro2File(lines)).map(({ record, rule, field }) => `record ${record}: ${rule} ${field ?? ''}`);
};

/** FurnishShards then FurnishBureau per bureau and MarkErasuresFurnished, timed apart, with this process's and DynamoDB Local's CPU over both. */
const runStep = async (month: string) => {
  const javaCpuBefore = javaProcess()?.cpuMs ?? Number.NaN;
  const cpuBefore = process.cpuUsage();
  const rssBeforeStepBytes = process.resourceUsage().maxRSS * 1024;
  const started = performance.now();
  const shards = await furnishShards(month, LOCAL_CHILD_EXECUTIONS_AT_ONCE);
  const shardsSeconds = (performance.now() - started) / 1000;
  const assembled = performance.now();
  // As the workflow: one FurnishBureau per configured bureau (side by side), then the erasures they furnished marked.
  const requestId = randomUUID();
  const files = (await Promise.all(
    bureausFromSetting(process.env[ENV.furnishingBureaus]).map((bureau) =>
      handlerNamed('FurnishBureau')({ requestId, month, bureau, shards }),
    ),
  )) as BureauFile[];
  await handlerNamed('MarkErasuresFurnished')({ requestId, month, shards, files });
  const outcome: FurnishingOutcome = { files };
  const assembleSeconds = (performance.now() - assembled) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    outcome,
    shardsSeconds,
    assembleSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    javaCpuSeconds: ((javaProcess()?.cpuMs ?? Number.NaN) - javaCpuBefore) / 1000,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    rssBeforeStepBytes,
  };
};

/** The file's figures: delivered (records, skips, erasures, size, the validator's verdict) or rejected. */
const fileFigures = async (
  outcome: FurnishingOutcome,
): Promise<Pick<FurnishingStepFigures, 'file' | 'validateSeconds'>> => {
  const file = outcome.files[0];
  if (file?.status !== 'delivered')
    return {
      validateSeconds: 0,
      file: { status: 'rejected', violations: file?.status === 'rejected' ? file.violations.length : 0 },
    };
  const started = performance.now();
  const violations = await fileViolations(file.manifest.location);
  const { records, skipped, erasures, location } = file.manifest;
  return {
    validateSeconds: (performance.now() - started) / 1000,
    file: { status: 'delivered', records, skipped, erasures, bytes: (await stat(location)).size, violations },
  };
};

/** One size: the month prepared, the step run by the real handlers over DynamoDB Local, the file validated. */
export const measureFurnishingStep = async (asked: StepOptions): Promise<FurnishingStepFigures> => {
  const loadBefore = loadAverage();
  const scratch = (asked.keepData ?? asked.reuseData) ? await scratchDataDir('bench-furnishing-') : undefined;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-furnishing-files-'));
  try {
    const { options, database, generation, reused } = await preparedMonth(asked, scratch);
    // The handlers read these as the local stack sets them; the file goes to a temporary DATA_DIR.
    Object.assign(process.env, handlerEnvironment(database.dynamoDb.endpoint, database.tables, 'WARN'), {
      [ENV.furnishingDirectory]: path.join(dataDir, 'furnishing'),
    });
    const loadBeforeStep = loadAverage();
    const { outcome, ...step } = await runStep(options.month);
    const file = await fileFigures(outcome);
    await database.stop();
    const { customers, month, seed } = options;
    return {
      customers,
      month,
      seed,
      generation,
      reused,
      ...step,
      ...file,
      loadBefore,
      loadBeforeStep,
      loadAfter: loadAverage(),
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    if (scratch) await removeScratch(scratch);
  }
};
