import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type FurnishingResult, furnishBureau } from '#domain/furnishing';
import { isMonth } from '#domain/month';
import { metro2Formatter } from '#domain/metro2/formatter';
import { validateMetro2File } from '#domain/metro2/validate';
import { directoryFurnishingSink } from '#adapters/directory-furnishing-sink';
import { UsageError, runCli } from '#devtools/cli-runner';
import { saveReport } from './results-file';
import { loadAverage, runStart } from './machine';
import { seededRandom } from './random';
import { generatedIdentities, reportPages } from './furnishing-generator';
import { thisScriptAgain } from './this-script-again';
import {
  type FurnishingRunFigures,
  type FurnishingStepFigures,
  RESULT_MARKER,
  renderFurnishingBench,
  renderFurnishingStep,
  stepPassed,
} from './furnishing-render';
import { type StepOptions, generateOnly, measureFurnishingStep } from './furnishing-dynamodb';
import { LOCAL_CHILD_EXECUTIONS_AT_ONCE } from '#local/step-functions/workflow-runner';

/**
 * `npm run bench:furnishing`: one bureau's Metro 2 file of a month through furnishBureau with the real
 * formatter, validator and local file sink, for each size asked, each size in a process of its own (this
 * script with the hidden `--one`) so that its peak RSS is that size's alone. Reports and identities are
 * generated in memory page by page (bench/furnishing-generator.ts), the file written to a temporary
 * DATA_DIR that is removed after. Prints time, records/s and peak RSS per size; keeps the report under
 * bench/results/.
 */
const USAGE = `Usage: npm run bench:furnishing -- [--customers 10000,100000] [--month 2026-11] [--seed 1]
                                    [--dynamodb [--keep-data <dir> | --reuse-data <dir>]]
  --customers          one or more sizes, comma-separated; each is run in a process of its own (4 commitments each)
  --dynamodb           the step as the monthly run does it: the month written to a DynamoDB Local of the bench's own,
                       then the real FurnishShard for every shard and FurnishBureau per bureau (without it: the one-file formatter
                       path over reports generated in memory)
  --keep-data <dir>    with --dynamodb and one size: keep the generated month (the database) in <dir>
  --reuse-data <dir>   with --dynamodb: generate nothing, run on a scratch copy of the month kept in <dir> (its size,
                       month and seed)`;

interface Options {
  sizes: number[];
  month: string;
  seed: number;
  one: boolean;
  dynamodb: boolean;
  keepData?: string;
  reuseData?: string;
  generateOnly?: string;
}

/** --keep-data and --reuse-data name one month: one size, and a reused month brings its own size, month and seed. */
const checkKeptData = (values: Record<string, unknown>, sizes: number[]): void => {
  if ((values['keep-data'] ?? values['reuse-data']) === undefined) return;
  if (values.dynamodb !== true) throw new UsageError('--keep-data and --reuse-data go with --dynamodb');
  if (values['keep-data'] !== undefined && sizes.length !== 1) throw new UsageError('--keep-data keeps one size');
  if (
    values['reuse-data'] !== undefined &&
    [values.customers, values.month, values.seed, values['keep-data']].some(Boolean)
  )
    throw new UsageError(
      '--reuse-data runs the kept month as it was generated: no --customers, --month, --seed or --keep-data',
    );
};

const parseOptions = (args: string[]): Options | 'help' => {
  const { values } = parseArgs({
    args,
    options: {
      customers: { type: 'string' },
      month: { type: 'string' },
      seed: { type: 'string' },
      one: { type: 'boolean' },
      dynamodb: { type: 'boolean' },
      'keep-data': { type: 'string' },
      'reuse-data': { type: 'string' },
      'generate-only': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const sizes = (values.customers ?? (values['reuse-data'] ? '1' : '10000,100000')).split(',').map(Number);
  if (!sizes.every((size) => Number.isInteger(size) && size > 0))
    throw new UsageError('--customers must be positive integers, comma-separated');
  checkKeptData(values, sizes);
  const month = values.month ?? '2026-11';
  if (!isMonth(month)) throw new UsageError('--month must be YYYY-MM');
  const { 'keep-data': keepData, 'reuse-data': reuseData, 'generate-only': generateOnly } = values;
  return {
    sizes,
    month,
    seed: Number(values.seed ?? 1),
    one: values.one === true,
    dynamodb: values.dynamodb === true,
    ...(keepData === undefined ? {} : { keepData }),
    ...(reuseData === undefined ? {} : { reuseData }),
    ...(generateOnly === undefined ? {} : { generateOnly }),
  };
};

const FURNISHER = {
  identificationNumber: 'PTRK00001',
  reporterName: 'Payments Tracker',
  reporterAddress: '1 Bench Street Anytown',
  bureau: 'equifax',
  programIdentifier: 'EFX0000001',
  softwareVersion: '1.0',
} as const;

/** One size, in this process: the file written, validated and delivered; the figures as one marked line. */
const runOne = async (customers: number, month: string, seed: number): Promise<FurnishingRunFigures> => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-furnishing-'));
  const random = seededRandom(seed);
  let validateSeconds = 0;
  const generation = { seconds: 0 };
  const loadBefore = loadAverage();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const pages = reportPages(random, month, customers, generation);
  const { result }: { result: FurnishingResult } = await furnishBureau(month, 'equifax', pages, {
    formatter: metro2Formatter(FURNISHER, new Date().toISOString().slice(0, 10)),
    validator: async (lines) => {
      const from = performance.now();
      const violations = await validateMetro2File(lines);
      validateSeconds = (performance.now() - from) / 1000;
      return violations;
    },
    identities: generatedIdentities(random),
    sink: directoryFurnishingSink(path.join(dataDir, 'furnishing')),
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const bytes = result.status === 'delivered' ? (await stat(result.manifest.location)).size : 0;
  await rm(dataDir, { recursive: true, force: true });
  return {
    customers,
    commitments: customers * 4,
    seconds,
    generateSeconds: generation.seconds,
    validateSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    bytes,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    loadBefore,
    loadAfter: loadAverage(),
    result:
      result.status === 'delivered'
        ? {
            status: 'delivered',
            records: result.manifest.records,
            skipped: result.manifest.skipped,
            erasures: result.manifest.erasures,
          }
        : { status: 'rejected', violations: result.violations },
  };
};

/** The size's arguments for its own process: the month's, or only the kept month's folder. */
const childArgs = (customers: number, options: Options): string[] => {
  if (options.reuseData !== undefined) return ['--dynamodb', '--reuse-data', options.reuseData];
  const args = ['--customers', String(customers), '--month', options.month, '--seed', String(options.seed)];
  if (!options.dynamodb) return args;
  return [...args, '--dynamodb', ...(options.keepData === undefined ? [] : ['--keep-data', options.keepData])];
};

const inChildProcess = async <Figures>(customers: number, options: Options): Promise<Figures> => {
  const what = `the ${customers}-customer run`;
  const stdout = await thisScriptAgain(['--one', ...childArgs(customers, options)], what);
  const line = stdout.split('\n').find((each) => each.startsWith(RESULT_MARKER));
  if (!line) throw new Error(`${what} printed no result`);
  return JSON.parse(line.slice(RESULT_MARKER.length)) as Figures;
};

/** This process as one size's (`--one`): its figures as one marked line, written before the process exits. */
const printResult = (figures: unknown): Promise<void> =>
  new Promise<void>((resolve, reject) =>
    process.stdout.write(`${RESULT_MARKER}${JSON.stringify(figures)}\n`, (error) =>
      error ? reject(error) : resolve(),
    ),
  );

const stepOptions = (customers: number, options: Options): StepOptions => ({
  customers,
  month: options.month,
  seed: options.seed,
  ...(options.keepData === undefined ? {} : { keepData: options.keepData }),
  ...(options.reuseData === undefined ? {} : { reuseData: options.reuseData }),
});

/** `--dynamodb`: each size in its own process, the step's report; fails unless every file is delivered and valid. */
const mainOverDynamoDb = async (options: Options): Promise<number> => {
  const start = runStart();
  const runs: FurnishingStepFigures[] = [];
  for (const size of options.sizes) runs.push(await inChildProcess<FurnishingStepFigures>(size, options));
  const report = renderFurnishingStep({ ...start, childExecutionsAtOnce: LOCAL_CHILD_EXECUTIONS_AT_ONCE, runs });
  console.log(report);
  console.error(`Written to ${saveReport('furnishing-step', start.startedAt, report)}`);
  return runs.every(stepPassed) ? 0 : 1;
};

const main = async (args: string[]): Promise<number> => {
  const options = parseOptions(args);
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const size = options.sizes[0]!;
  if (options.generateOnly !== undefined) return generateOnly(options.generateOnly, stepOptions(size, options));
  if (options.one) {
    await printResult(
      options.dynamodb
        ? await measureFurnishingStep(stepOptions(size, options))
        : await runOne(size, options.month, options.seed),
    );
    return 0;
  }
  if (options.dynamodb) return mainOverDynamoDb(options);
  const start = runStart();
  const runs: FurnishingRunFigures[] = [];
  for (const size of options.sizes) runs.push(await inChildProcess<FurnishingRunFigures>(size, options));
  const report = renderFurnishingBench({ ...start, month: options.month, seed: options.seed, runs });
  console.log(report);
  console.error(`Written to ${saveReport('furnishing', start.startedAt, report)}`);
  return runs.every((run) => run.result.status === 'delivered') ? 0 : 1;
};

void runCli({
  usage: USAGE,
  main,
  describeFailure: (error) => `The furnishing benchmark failed: ${error.stack ?? error.message}`,
});
