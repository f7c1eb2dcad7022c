import { MONTH_SHARDS } from '#contract/tables';
import { describeMachine } from './machine';
import type { ReportBenchFigures, ReportCeilingFigures, ReportRunFigures } from './report-figures';
import { formatBytes, formatFigure, markdownTable } from './stats';

const count = (value: number): string => value.toLocaleString('en-GB');

/** The markdown report of one `npm run bench:report` run (printed, and kept under bench/results/). */
export const renderReportBench = (figures: ReportBenchFigures): string =>
  [
    `## Monthly report run, ${count(figures.options.users)} users (4 commitments, 24 months of bank-feed narratives), ${figures.startedAt.toISOString()}`,
    '',
    ...header(figures),
    '',
    phaseTable(figures),
    '',
    ...runSection(figures),
    '',
    ...dynamoDbSection(figures.run),
    ...(figures.capacity ? capacitySection(figures.capacity, figures.generation.expected.users) : []),
    ...(figures.ceiling
      ? ceilingSection(figures.ceiling, figures.generation.expected.users, figures.machine.cpus)
      : []),
    '',
    ...memorySection(figures),
    checkLine(figures),
    ...(figures.summary
      ? [`Late rebuilds in the summary (none generated): ${JSON.stringify(figures.summary.late)}.`]
      : []),
    '',
  ].join('\n');

const database = ({ keepData, reuseData }: ReportBenchFigures['options']): string =>
  reuseData !== undefined
    ? `DynamoDB Local on a scratch copy (in /dev/shm) of the month kept in ${reuseData}: report phase only`
    : keepData !== undefined
      ? `Generated, kept in ${keepData}; DynamoDB Local on a scratch copy (in /dev/shm)`
      : 'DynamoDB Local in memory';

const header = ({
  machine,
  loadBefore,
  loadAfter,
  generation: { expected },
  options,
}: ReportBenchFigures): string[] => [
  `Machine: ${describeMachine(machine)}. Load average (1/5/15 min) before ${loadBefore}, after ${loadAfter}; the machine is shared with other agents' test runs.`,
  `Data: ${count(expected.users)} users, ${count(expected.payments)} payments in ${count(expected.commitments)} commitments; ${count(expected.previousReports)} users with a previous month's report (streaks), the others backfilled (23 months of payments stored, read by the run); ${count(expected.historyPayments)} payments of earlier months stored. ${database(options)}; seed ${options.seed}. Shard child executions at once in this process: ${options.childExecutions}.`,
];

const phaseTable = ({ generation, run }: ReportBenchFigures): string => {
  const { expected } = generation;
  const { history } = run;
  return markdownTable(
    ['phase', 'time s', 'users/s', 'payments/s', 'notes'],
    [
      [
        'generate (BatchWriteItem, 8 batches in flight)',
        formatFigure(generation.seconds, 1),
        formatFigure(expected.users / generation.seconds),
        formatFigure(expected.payments / generation.seconds),
        `its own process: peak RSS ${formatBytes(generation.peakRssBytes)}, CPU ${formatFigure(generation.cpuSeconds, 1)} s`,
      ],
      [
        `report workflow (local interpreter, ${MONTH_SHARDS} child executions)`,
        formatFigure(run.seconds, 1),
        formatFigure(expected.users / run.seconds),
        formatFigure(expected.payments / run.seconds),
        `peak RSS of this process ${formatBytes(run.peakRssBytes)}; ${count(run.invocationsTotal)} Lambda invocations; AWS history events: parent ${formatFigure(history.parentEvents)}, child max ${formatFigure(history.childEventsMax)} (median ${formatFigure(history.childEventsMedian)})`,
      ],
    ],
  );
};

/** CPU, history events and the handlers' invocations during the report phase. */
const runSection = ({ options, run, generation: { expected } }: ReportBenchFigures): string[] => {
  const { history } = run;
  const buildReports = run.functions.find((figures) => figures.name === 'BuildReports');
  return [
    ...(options.batchConcurrency !== undefined
      ? [
          `**Diagnostic run, not the workflow as deployed:** --batch-concurrency ${options.batchConcurrency}, at most ${options.batchConcurrency} BuildReports invocations at once in this process (the others waited before their handler started; their time is not in the handler figures).`,
        ]
      : []),
    `CPU during the report phase: this process (interpreter, handlers, SDK) ${formatFigure(run.workflowCpuSeconds, 1)} s, DynamoDB Local (java) ${formatFigure(run.javaCpuSeconds, 1)} s, in ${formatFigure(run.seconds, 1)} s of wall-clock time on 2 shared cores.`,
    `History events per execution, as AWS would hold them (toHistoryEvents of each execution's record, without data): the parent ${formatFigure(history.parentEvents)} (its own log ${count(run.parentLogEvents)}); ${history.children} child executions, max ${formatFigure(history.childEventsMax)}, median ${formatFigure(history.childEventsMedian)}. Child execution time: max ${formatFigure(history.childSecondsMax, 1)} s, median ${formatFigure(history.childSecondsMedian, 1)} s.`,
    `Lambda invocations: ${count(run.invocationsTotal)} in all${buildReports ? `; BuildReports ${count(buildReports.invocations)} (${formatFigure(expected.users / buildReports.invocations, 1)} users each on average)` : ''}. Wall-clock time inside each handler (the run's ${formatFigure(run.seconds, 1)} s, ${MONTH_SHARDS} children at once):`,
    '',
    markdownTable(
      ['function', 'invocations', 'failed', 'total s', 'p50 ms', 'p95 ms', 'max ms'],
      run.functions.map((figures) => [
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
  ];
};

const dynamoDbSection = ({ dynamoDbCalls, unansweredDynamoDbCalls }: ReportRunFigures): string[] => [
  `DynamoDB Local requests during the run, from this process (every handler's SDK client), request to answer${unansweredDynamoDbCalls > 0 ? `; ${count(unansweredDynamoDbCalls)} never answered (SDK timeout)` : ''}:`,
  '',
  markdownTable(
    ['operation', 'requests', 'total s', 'p50 ms', 'p95 ms', 'max ms'],
    dynamoDbCalls.map((figures) => [
      figures.operation,
      count(figures.calls),
      formatFigure(figures.totalMs / 1000, 1),
      formatFigure(figures.p50Ms, 0),
      formatFigure(figures.p95Ms, 0),
      formatFigure(figures.maxMs, 0),
    ]),
  ),
  '',
  `Scan requests: ${count(dynamoDbCalls.find((figures) => figures.operation === 'Scan')?.calls ?? 0)}.`,
];

/** `--capacity`: the units the run consumed, per user, as DynamoDB Local reported them. */
const capacitySection = (capacity: NonNullable<ReportBenchFigures['capacity']>, users: number): string[] => [
  '',
  `Capacity units per user per run (ReturnConsumedCapacity INDEXES via a recording proxy; ${count(users)} users): read ${formatFigure(capacity.readUnits, 2)}, write ${formatFigure(capacity.writeUnits, 2)}.`,
  '',
  capacity.table,
];

/**
 * `--ceiling`: every user costs the run at least one report-head write, so no report phase at this size can beat
 * users ÷ DynamoDB Local's own rate, nor users × CPU per write ÷ cores (with both processes on the same cores).
 */
const ceilingSection = (ceiling: readonly ReportCeilingFigures[], users: number, cores: number): string[] => [
  '',
  `DynamoDB Local's ceiling for the one write every user costs (conditional PutItem of a generated ~5 KB report head, fresh users, closed-loop workers, after the run on the same database): the least time a report phase of ${count(users)} users can take on this machine, reading nothing.`,
  '',
  markdownTable(
    [
      'workers',
      'writes',
      'writes/s',
      'p50 ms',
      'CPU ms per write (writer + java)',
      `floor for ${count(users)} users: by rate s`,
      `by CPU on ${cores} cores s`,
    ],
    ceiling.map((row) => {
      const cpuMsPerWrite = ((row.writerCpuSeconds + row.javaCpuSeconds) * 1000) / row.writes;
      return [
        count(row.concurrency),
        count(row.writes),
        formatFigure(row.perSecond),
        formatFigure(row.p50Ms, 1),
        `${formatFigure(cpuMsPerWrite, 2)} (${formatFigure((row.writerCpuSeconds * 1000) / row.writes, 2)} + ${formatFigure((row.javaCpuSeconds * 1000) / row.writes, 2)})`,
        formatFigure(users / row.perSecond, 1),
        formatFigure((users * cpuMsPerWrite) / 1000 / cores, 1),
      ];
    }),
  ),
];

const memoryFigures = (memory: NodeJS.MemoryUsage): string =>
  `RSS ${formatBytes(memory.rss)}, heap in use ${formatBytes(memory.heapUsed)} of ${formatBytes(memory.heapTotal)} reserved, external ${formatBytes(memory.external)}, ArrayBuffers ${formatBytes(memory.arrayBuffers)}`;

/** Where the workflow process's memory was: its peak, the sampled peaks, at the highest sample, after a GC. */
const memorySection = ({ run, generation }: ReportBenchFigures): string[] => {
  const { peakMemory, atPeakRss } = run;
  return [
    `Peak RSS of the process running the workflow (its maxRSS; the month was generated by another process): ${formatBytes(run.peakRssBytes)}, of which ${formatBytes(run.rssBeforeRunBytes)} before the run started (DynamoDB Local started, handlers loaded). Sampled every 250 ms during the run, the peaks: RSS ${formatBytes(peakMemory.rss)}, V8 heap in use ${formatBytes(peakMemory.heapUsed)} (heap reserved ${formatBytes(peakMemory.heapTotal)}), external ${formatBytes(peakMemory.external)} (of it ArrayBuffers ${formatBytes(peakMemory.arrayBuffers)}). At the highest RSS sample (${formatFigure(atPeakRss.seconds, 1)} s into the run, ${count(atPeakRss.reported)} users reported, ${atPeakRss.batchesRunning} BuildReports batches running): ${memoryFigures(atPeakRss.memory)}.`,
    ...(run.memoryAfterGc ? [`After the run and a full GC (--expose-gc): ${memoryFigures(run.memoryAfterGc)}.`] : []),
    `The generation process's peak RSS: ${formatBytes(generation.peakRssBytes)}. DynamoDB Local (java) peak RSS: ${run.javaPeakRssBytes ? formatBytes(run.javaPeakRssBytes) : 'unknown'}.`,
  ];
};

const checkLine = ({ problems, generation: { expected } }: ReportBenchFigures): string =>
  `Check: ${problems.length === 0 ? `the run summary matches what was generated (users, payments, commitments, no failed user or shard, all ${MONTH_SHARDS} child executions SUCCEEDED), and the reports of ${expected.sample.length} sampled users carry the expected streak and selfReported for every commitment and a builtAt of this run.` : `FAILED: ${problems.join('; ')}`}`;
