import type { BundleFigures } from './bundles';
import type { CapacityLedger } from './capacity';
import type { CeilingResult } from './dynamodb-ceiling';
import { describeMachine } from './machine';
import { formatBytes, formatFigure, markdownTable } from './stats';
import { type MeasuredLoad, SUBMISSION_PLAN, type SubmissionFigures } from './submission-figures';

const { batchMinSeconds, batchSize, capacitySamples, noThrottle, warmUpSeconds } = SUBMISSION_PLAN;

/** The markdown report of one `npm run bench` run (printed, and kept under bench/results/). */
export const renderSubmissionReport = (figures: SubmissionFigures): string =>
  [
    `## Submission path, ${figures.startedAt.toISOString()}`,
    '',
    ...header(figures),
    '',
    ...loadSection(figures),
    '',
    ceilingTable(figures.ceiling),
    '',
    ...capacitySection(figures),
    ...bundleSection(figures.bundles),
    ...(figures.profileFile
      ? [
          '',
          `CPU profile of the stack: ${figures.profileFile} (summarise: npx tsx bench/cpu-profile.ts ${figures.profileFile})`,
        ]
      : []),
    '',
  ].join('\n');

const header = ({ machine, loadBefore, loadAfter, options, users }: SubmissionFigures): string[] => [
  `Machine: ${describeMachine(machine)}. Load average (1/5/15 min) before ${loadBefore}, after ${loadAfter}; the machine is shared with other agents' test runs.`,
  `Method: ${options.durationSeconds} s of closed-loop load per row through the typed client (openapi-fetch, one keep-alive socket per connection, no retry) from a separate process, every request a fresh payment id, ${users} users with real RS256 tokens from the stack's issuer, after a ${warmUpSeconds} s warm-up; rate limit overridden to ${noThrottle}/s; DynamoDB Local in memory; stack LOG_LEVEL WARN${options.profile ? '; the stack ran with the CPU profiler on (slower)' : ''}.`,
];

const non2xx = (result: MeasuredLoad): string =>
  Object.entries(result.non2xx)
    .map(([status, count]) => `${count}× ${status}`)
    .join(', ') || '0';

const loadRow = (path: string, result: MeasuredLoad): string[] => [
  path,
  String(result.connections),
  formatFigure(result.perSecond, 1),
  formatFigure(result.latencyMs.p50, 1),
  formatFigure(result.latencyMs.p95, 1),
  formatFigure(result.latencyMs.p99, 1),
  String(result.requests),
  non2xx(result),
  String(result.errors + result.timeouts),
  formatFigure(result.cpuMsPerRequest.server, 1),
  formatFigure(result.cpuMsPerRequest.dynamoDb, 1),
  formatFigure(result.clientCpuMsPerRequest, 2),
];

const LOAD_COLUMNS = [
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
];

/** The workflow and direct paths row by row, then the one against the other at each concurrency. */
const loadSection = ({ options, workflow, direct }: SubmissionFigures): string[] => [
  markdownTable(LOAD_COLUMNS, [
    ...workflow.map((result) => loadRow('workflow (gateway + Express ASL + 4 handlers)', result)),
    ...direct.map((result) => loadRow('direct (token + validation + conditional put)', result)),
  ]),
  '',
  markdownTable(
    ['connections', 'workflow/s', 'direct/s', 'workflow ÷ direct', 'p50 workflow ÷ direct'],
    options.concurrencies.map((connections, i) => {
      const viaWorkflow = workflow[i]!;
      const viaDirect = direct[i]!;
      return [
        String(connections),
        formatFigure(viaWorkflow.perSecond, 1),
        formatFigure(viaDirect.perSecond, 1),
        `${formatFigure((viaWorkflow.perSecond / viaDirect.perSecond) * 100, 0)} %`,
        `${formatFigure(viaWorkflow.latencyMs.p50 / viaDirect.latencyMs.p50, 1)}×`,
      ];
    }),
  ),
];

const ceilingTable = (ceiling: CeilingResult[]): string =>
  markdownTable(
    ['DynamoDB Local write', 'workers', 'writes/s', 'p50 ms', 'p99 ms', 'failures'],
    ceiling.map((result) => [
      result.write === 'conditional-put'
        ? 'conditional PutItem (payment item)'
        : "StorePayment's put (putIfAbsent: conditional PutItem, ALL_OLD on refusal)",
      String(result.concurrency),
      formatFigure(result.perSecond, 1),
      formatFigure(result.latencyMs.p50, 1),
      formatFigure(result.latencyMs.p99, 1),
      String(result.failures),
    ]),
  );

const isRead = (key: string): boolean => /^(GetItem|Query|TransactGetItems) /.test(key);

/** The write units a ledger recorded, in all. */
export const writeUnitsOf = (ledger: CapacityLedger): number =>
  [...ledger].filter(([key]) => !isRead(key)).reduce((sum, [, entry]) => sum + entry.units, 0);

/** Units per accepted payment (single path, batch, late arrivals), with the batch rows between them. */
const capacitySection = (figures: SubmissionFigures): string[] => {
  const { onTime, late, batch } = figures.capacity;
  const perPayment = (units: number): string => formatFigure(units / onTime.accepted, 2);
  const entries = [...onTime.ledger];
  const ordered = [...entries.filter(([key]) => !isRead(key)), ...entries.filter(([key]) => isRead(key))];
  const totalWrites = writeUnitsOf(onTime.ledger);
  return [
    `Capacity per accepted payment (${onTime.accepted} of ${capacitySamples} submissions accepted, each for the month it is received in), as DynamoDB Local reports it (ReturnConsumedCapacity INDEXES):`,
    '',
    markdownTable(
      ['request', 'requests per payment', 'units per payment'],
      [
        ...ordered.map(([key, entry]) => [key, perPayment(entry.requests), perPayment(entry.units)]),
        ['**write units in all** (minimum: 1)', '', `**${perPayment(totalWrites)}**`],
      ],
    ),
    '',
    ...batchSection(figures),
    '',
    `Write units per payment through the batch (${batch.accepted} of ${capacitySamples} accepted in one batch): ${formatFigure(writeUnitsOf(batch.ledger) / batch.accepted, 2)} (single path: ${perPayment(totalWrites)}).`,
    '',
    `A late arrival (a payment for ${figures.lateTimestamp.slice(0, 7)}, received now; ${late.accepted} of ${capacitySamples} accepted) also writes its lateArrivals index entry: ${formatFigure(writeUnitsOf(late.ledger) / late.accepted, 2)} write units per payment.`,
  ];
};

const BATCH_COLUMNS = [
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
];

/** POST /payments/batch against POST /payments at the same connection count. */
const batchSection = ({ options, workflow, batch }: SubmissionFigures): string[] => [
  `POST /payments/batch, ${batchSize} fresh payments of one user a request, ${Math.max(options.durationSeconds, batchMinSeconds)} s a row, against POST /payments in the same run (same stack, same users):`,
  '',
  markdownTable(
    BATCH_COLUMNS,
    batch.map((result) => {
      const single = workflow[options.concurrencies.indexOf(result.connections)]!;
      const paymentsPerSecond = result.perSecond * batchSize;
      return [
        String(result.connections),
        String(result.requests),
        formatFigure(result.perSecond, 2),
        formatFigure(paymentsPerSecond, 1),
        formatFigure(single.perSecond, 1),
        `${formatFigure(paymentsPerSecond / single.perSecond, 1)}×`,
        formatFigure(result.latencyMs.p50, 0),
        formatFigure(result.latencyMs.p99, 0),
        non2xx(result),
        String(result.errors + result.timeouts),
        formatFigure((result.cpuMsPerRequest.server + result.cpuMsPerRequest.dynamoDb) / batchSize, 2),
        formatFigure(result.clientCpuMsPerRequest / batchSize, 3),
      ];
    }),
  ),
];

const bundleSection = (bundles: BundleFigures[]): string[] =>
  bundles.length === 0
    ? []
    : [
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
      ];
