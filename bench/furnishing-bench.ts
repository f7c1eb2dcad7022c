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
import { type FurnishingRunFigures, RESULT_MARKER, renderFurnishingBench } from './furnishing-render';

/**
 * `npm run bench:furnishing`: one bureau's Metro 2 file of a month through furnishBureau with the real
 * formatter, validator and local file sink, for each size asked, each size in a process of its own (this
 * script with the hidden `--one`) so that its peak RSS is that size's alone. Reports and identities are
 * generated in memory page by page (bench/furnishing-generator.ts), the file written to a temporary
 * DATA_DIR that is removed after. Prints time, records/s and peak RSS per size; keeps the report under
 * bench/results/.
 */
const USAGE = `Usage: npm run bench:furnishing -- [--customers 10000,100000] [--month 2026-11] [--seed 1]
  --customers  one or more sizes, comma-separated; each is run in a process of its own (4 commitments each)`;

interface Options {
  sizes: number[];
  month: string;
  seed: number;
  one: boolean;
}

const parseOptions = (args: string[]): Options | 'help' => {
  const { values } = parseArgs({
    args,
    options: {
      customers: { type: 'string' },
      month: { type: 'string' },
      seed: { type: 'string' },
      one: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return 'help';
  const sizes = (values.customers ?? '10000,100000').split(',').map(Number);
  if (!sizes.every((size) => Number.isInteger(size) && size > 0))
    throw new UsageError('--customers must be positive integers, comma-separated');
  const month = values.month ?? '2026-11';
  if (!isMonth(month)) throw new UsageError('--month must be YYYY-MM');
  return { sizes, month, seed: Number(values.seed ?? 1), one: values.one === true };
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

const inChildProcess = async (customers: number, options: Options): Promise<FurnishingRunFigures> => {
  const args = ['--one', '--customers', String(customers), '--month', options.month, '--seed', String(options.seed)];
  const what = `the ${customers}-customer run`;
  const line = (await thisScriptAgain(args, what)).split('\n').find((each) => each.startsWith(RESULT_MARKER));
  if (!line) throw new Error(`${what} printed no result`);
  return JSON.parse(line.slice(RESULT_MARKER.length)) as FurnishingRunFigures;
};

const main = async (args: string[]): Promise<number> => {
  const options = parseOptions(args);
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (options.one) {
    const figures = await runOne(options.sizes[0]!, options.month, options.seed);
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(`${RESULT_MARKER}${JSON.stringify(figures)}\n`, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    return 0;
  }
  const start = runStart();
  const runs: FurnishingRunFigures[] = [];
  for (const size of options.sizes) runs.push(await inChildProcess(size, options));
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
