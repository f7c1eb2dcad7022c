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

/** What the generation process wrote for `--dynamodb` (in its own process, not counted in the step). */
export interface GeneratedFurnishingMonth {
  seconds: number;
  reportItems: number;
  /** Identity items by state; `none`: customers without one. */
  active: number;
  erased: number;
  none: number;
}

/** One size of `npm run bench:furnishing -- --dynamodb`: FurnishShards then FurnishBureau over DynamoDB Local. */
export interface FurnishingStepFigures {
  customers: number;
  month: string;
  seed: number;
  generation: GeneratedFurnishingMonth;
  /** The month was a kept one (--reuse-data): its generation figures are from when it was kept. */
  reused: boolean;
  shardsSeconds: number;
  assembleSeconds: number;
  /** The delivered file read back through validateMetro2File, after the step (not part of its time). */
  validateSeconds: number;
  /** This process (the handlers) over the step, user + system. */
  cpuSeconds: number;
  javaCpuSeconds: number;
  peakRssBytes: number;
  rssBeforeStepBytes: number;
  loadBefore: string;
  loadBeforeStep: string;
  loadAfter: string;
  file:
    | {
        status: 'delivered';
        records: { header: number; base: number; trailer: number };
        skipped: Record<string, number>;
        erasures: number;
        bytes: number;
        /** The validator's findings (record, rule, field): any one fails the bench. */
        violations: string[];
      }
    | { status: 'rejected'; violations: number };
}

export interface FurnishingStepBenchFigures extends RunStart {
  childExecutionsAtOnce: number;
  runs: FurnishingStepFigures[];
}

/** A run passes when FurnishBureau delivered the file and the validator found nothing in it. */
export const stepPassed = (run: FurnishingStepFigures): boolean =>
  run.file.status === 'delivered' && run.file.violations.length === 0;

const stepRow = (run: FurnishingStepFigures): string[] => {
  const delivered = run.file.status === 'delivered' ? run.file : undefined;
  return [
    count(run.customers),
    count(run.customers * 4),
    delivered ? count(delivered.records.base) : 'rejected',
    formatFigure(run.shardsSeconds + run.assembleSeconds, 1),
    formatFigure(run.shardsSeconds, 1),
    formatFigure(run.assembleSeconds, 1),
    formatFigure(run.cpuSeconds, 1),
    formatFigure(run.javaCpuSeconds, 1),
    `${formatBytes(run.peakRssBytes)} (${formatBytes(run.rssBeforeStepBytes)} before)`,
    delivered ? formatBytes(delivered.bytes) : '-',
    delivered ? (delivered.violations.length === 0 ? 'valid' : `${delivered.violations.length} violations`) : '-',
    `${run.loadBeforeStep} → ${run.loadAfter}`,
  ];
};

const stepLines = (run: FurnishingStepFigures): string[] => {
  const { generation: made, file } = run;
  const data = `${count(run.customers)}: month ${run.month}, seed ${run.seed}, ${run.reused ? 'a kept month (--reuse-data)' : 'generated for this run'}: ${count(made.reportItems)} report items, identities ${count(made.active)} active, ${count(made.erased)} erased, ${count(made.none)} none (written in ${formatFigure(made.seconds, 1)} s by a process of its own).`;
  if (file.status === 'rejected')
    return [data, `FurnishBureau rejected the file: ${count(file.violations)} violations.`];
  const skipped = Object.entries(file.skipped).map(([reason, times]) => `${reason} ${count(times)}`);
  return [
    data,
    `Skipped ${skipped.join(', ') || 'none'}; ${count(file.erasures)} erased customers furnished as DA; validated in ${formatFigure(run.validateSeconds, 1)} s${file.violations.length > 0 ? `: ${file.violations.slice(0, 3).join('; ')}` : ''}.`,
  ];
};

/** The markdown report of `npm run bench:furnishing -- --dynamodb` (printed, and kept under bench/results/). */
export const renderFurnishingStep = (figures: FurnishingStepBenchFigures): string =>
  [
    `## Furnishing step over DynamoDB Local, one bureau, ${figures.startedAt.toISOString()}`,
    '',
    `Machine: ${describeMachine(figures.machine)}. Load average (1/5/15 min) before ${figures.loadBefore}; per size below. The machine is shared.`,
    `The real FurnishShard for each of the month's shards, ${figures.childExecutionsAtOnce} at once (the local stack's child executions), then the real FurnishBureau per bureau and MarkErasuresFurnished; 4 commitments a customer.`,
    '',
    markdownTable(
      [
        'customers',
        'commitments',
        'base records',
        'step s',
        'FurnishShards s',
        'FurnishBureau s',
        'CPU s',
        'DynamoDB Local CPU s',
        'peak RSS',
        'file',
        'validator',
        'load at step → after',
      ],
      figures.runs.map(stepRow),
    ),
    '',
    ...figures.runs.flatMap(stepLines),
    '',
  ].join('\n');
