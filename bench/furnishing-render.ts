import type { FurnishingViolation } from '#domain/furnishing';
import { type RunStart, describeMachine } from './machine';
import { formatBytes, formatFigure, markdownTable } from './stats';

/** One size of `npm run bench:furnishing`, measured in its own process. */
export interface FurnishingRunFigures {
  customers: number;
  commitments: number;
  /** furnishBureau end to end: write, validate (the file read back), deliver. */
  seconds: number;
  /** Of `seconds`, generating the reports in memory (what reading them from DynamoDB stands for). */
  generateSeconds: number;
  validateSeconds: number;
  /** User + system CPU of the process over the run: the work, whatever else the shared machine ran. */
  cpuSeconds: number;
  bytes: number;
  peakRssBytes: number;
  loadBefore: string;
  loadAfter: string;
  result:
    | {
        status: 'delivered';
        records: { header: number; base: number; trailer: number };
        skipped: Record<string, number>;
        erasures: number;
      }
    | { status: 'rejected'; violations: FurnishingViolation[] };
}

export interface FurnishingBenchFigures extends RunStart {
  month: string;
  seed: number;
  runs: FurnishingRunFigures[];
}

export const RESULT_MARKER = 'BENCH-FURNISHING-RESULT ';

const count = (value: number): string => value.toLocaleString('en-GB');

const row = (run: FurnishingRunFigures): string[] => {
  const delivered = run.result.status === 'delivered' ? run.result : undefined;
  return [
    count(run.customers),
    count(run.commitments),
    delivered ? count(delivered.records.base) : 'rejected',
    formatFigure(run.seconds, 1),
    formatFigure(run.generateSeconds, 1),
    formatFigure(run.validateSeconds, 1),
    formatFigure(run.cpuSeconds, 1),
    formatFigure(run.commitments / run.seconds),
    formatBytes(run.bytes),
    formatBytes(run.peakRssBytes),
    `${run.loadBefore} → ${run.loadAfter}`,
  ];
};

const skippedLine = (run: FurnishingRunFigures): string =>
  run.result.status === 'delivered'
    ? `${count(run.customers)}: skipped ${Object.entries(run.result.skipped)
        .map(([reason, times]) => `${reason} ${count(times)}`)
        .join(', ')}; ${count(run.result.erasures)} erased customers furnished as DA.`
    : `${count(run.customers)}: rejected: ${JSON.stringify(run.result.violations.slice(0, 3))}`;

/** The markdown report of one `npm run bench:furnishing` run (printed, and kept under bench/results/). */
export const renderFurnishingBench = (figures: FurnishingBenchFigures): string =>
  [
    `## Furnishing file, one bureau, month ${figures.month}, ${figures.startedAt.toISOString()}`,
    '',
    `Machine: ${describeMachine(figures.machine)}. Load average (1/5/15 min) before ${figures.loadBefore}; per size below. The machine is shared.`,
    `Data: generated in memory (seed ${figures.seed}), 4 commitments a customer; identities generated in memory (97% present, 1% erased, 2% none).`,
    '',
    markdownTable(
      [
        'customers',
        'commitments',
        'base records',
        'time s',
        'of which generating s',
        'of which validating s',
        'CPU s',
        'commitments/s',
        'file',
        'peak RSS',
        'load before → after',
      ],
      figures.runs.map(row),
    ),
    '',
    ...figures.runs.map(skippedLine),
    '',
  ].join('\n');
