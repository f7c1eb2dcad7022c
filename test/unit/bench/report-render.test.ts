import type { RunSummary } from '#domain/report-run';
import { rowStarting } from '../../support/markdown-rows';
import type { ReportBenchFigures } from '../../../bench/report-figures';
import { renderReportBench } from '../../../bench/report-render';

const MiB = 1024 * 1024;
const memory = (rss: number): NodeJS.MemoryUsage => ({
  rss: rss * MiB,
  heapUsed: 10 * MiB,
  heapTotal: 20 * MiB,
  external: 3 * MiB,
  arrayBuffers: 1 * MiB,
});

/** One handler's figures: no failures unless the test adds them. */
const handlerFigures = (name: string, invocations: number, [p50Ms, p95Ms, maxMs]: number[], totalMs: number) => ({
  name,
  invocations,
  failed: 0,
  errors: {},
  totalMs,
  p50Ms: p50Ms!,
  p95Ms: p95Ms!,
  maxMs: maxMs!,
});

const figures = (overrides: Partial<ReportBenchFigures> = {}): ReportBenchFigures => ({
  options: { users: 1000, month: '2026-10', seed: 7, capacity: false, childExecutions: 8, ceiling: false },
  startedAt: new Date('2026-12-06T04:00:00.000Z'),
  machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 8, node: 'v24.0.0', java: 'openjdk 21', platform: 'Linux' },
  loadBefore: '1.00 / 1.00 / 1.00',
  loadAfter: '2.00 / 2.00 / 2.00',
  generation: {
    expected: {
      users: 1000,
      payments: 4000,
      historyPayments: 9200,
      commitments: 4000,
      previousReports: 600,
      sample: [],
    },
    seconds: 10,
    peakRssBytes: 100 * MiB,
    cpuSeconds: 8,
  },
  run: {
    seconds: 20,
    workflowCpuSeconds: 15,
    javaCpuSeconds: 12,
    peakRssBytes: 300 * MiB,
    rssBeforeRunBytes: 150 * MiB,
    peakMemory: memory(290),
    atPeakRss: { memory: memory(280), batchesRunning: 5, reported: 1234, seconds: 12.5 },
    history: {
      parentEvents: 140,
      children: 64,
      childrenFailed: 0,
      childEventsMax: 40,
      childEventsMedian: 30,
      childSecondsMax: 19,
      childSecondsMedian: 15,
    },
    parentLogEvents: 300,
    invocationsTotal: 1234,
    functions: [
      { ...handlerFigures('BuildReports', 100, [400, 900, 1500], 50_000), failed: 2, errors: { TimeoutError: 2 } },
      handlerFigures('WriteSummary', 1, [30, 30, 30], 30),
    ],
    dynamoDbCalls: [{ operation: 'Scan', calls: 3, totalMs: 1500, p50Ms: 400, p95Ms: 600, maxMs: 700 }],
    unansweredDynamoDbCalls: 0,
  },
  problems: [],
  ...overrides,
});

describe('the report benchmark report', () => {
  test('heads with the run, the machine and the data generated', () => {
    const report = renderReportBench(figures());
    expect(
      report.startsWith(
        '## Monthly report run, 1,000 users (4 commitments, 24 months of bank-feed narratives), 2026-12-06T04:00:00.000Z\n\nMachine: 2 CPUs',
      ),
    ).toBe(true);
    expect(report).toContain('Data: 1,000 users, 4,000 payments in 4,000 commitments; 600 users with a previous month');
    expect(report).toContain('9,200 payments of earlier months stored. DynamoDB Local in memory; seed 7.');
    expect(report.endsWith('\n')).toBe(true);
  });

  test('both phases with their rates, and the run with its invocations and history events', () => {
    const report = renderReportBench(figures());
    expect(rowStarting(report, '| generate')).toBe(
      '| generate (BatchWriteItem, 8 batches in flight) | 10.0 | 100 | 400 | its own process: peak RSS 100.00 MiB, CPU 8.0 s |',
    );
    expect(rowStarting(report, '| report workflow')).toBe(
      '| report workflow (local interpreter, 64 child executions) | 20.0 | 50 | 200 | peak RSS of this process 300.00 MiB; 1,234 Lambda invocations; AWS history events: parent 140, child max 40 (median 30) |',
    );
    expect(report).toContain('Lambda invocations: 1,234 in all; BuildReports 100 (10.0 users each on average).');
    expect(rowStarting(report, '| BuildReports |')).toBe(
      '| BuildReports | 100 | 2 (2× TimeoutError) | 50.0 | 400 | 900 | 1,500 |',
    );
    expect(rowStarting(report, '| WriteSummary |')).toContain('| 1 | 0 |');
    expect(report).toContain('Scan requests: 3.');
    expect(report).not.toContain('never answered');
    expect(report).not.toContain('Diagnostic run');
  });

  test('memory at its peak, and after a GC only when there was one', () => {
    const report = renderReportBench(figures());
    expect(report).toContain(
      'At the highest RSS sample (12.5 s into the run, 1,234 users reported, 5 BuildReports batches running): RSS 280.00 MiB, heap in use 10.00 MiB of 20.00 MiB reserved, external 3.00 MiB, ArrayBuffers 1.00 MiB.',
    );
    expect(report).toContain('DynamoDB Local (java) peak RSS: unknown.');
    expect(report).not.toContain('After the run and a full GC');
    const withGc = renderReportBench(
      figures({ run: { ...figures().run, memoryAfterGc: memory(50), javaPeakRssBytes: 512 * MiB } }),
    );
    expect(withGc).toContain('After the run and a full GC (--expose-gc): RSS 50.00 MiB,');
    expect(withGc).toContain('DynamoDB Local (java) peak RSS: 512.00 MiB.');
  });

  test('the check: passed, or failed with the problems found', () => {
    expect(renderReportBench(figures())).toContain('Check: the run summary matches what was generated');
    const failed = renderReportBench(figures({ problems: ['summary users 999, generated 1000', '1 users failed'] }));
    expect(failed).toContain('Check: FAILED: summary users 999, generated 1000; 1 users failed');
  });

  test('the optional parts: diagnostic concurrency, capacity, unanswered calls, the summary', () => {
    const report = renderReportBench(
      figures({
        options: { ...figures().options, batchConcurrency: 2, capacity: true },
        capacity: { readUnits: 1.234, writeUnits: 5.678, table: '| the capacity table |' },
        run: { ...figures().run, unansweredDynamoDbCalls: 4 },
        summary: { late: { users: 0 } } as unknown as RunSummary,
      }),
    );
    expect(report).toContain('**Diagnostic run, not the workflow as deployed:** --batch-concurrency 2, at most 2');
    expect(report).toContain(
      '(ReturnConsumedCapacity INDEXES via a recording proxy; 1,000 users): read 1.23, write 5.68.\n\n| the capacity table |',
    );
    expect(report).toContain('request to answer; 4 never answered (SDK timeout):');
    expect(report).toContain('Late rebuilds in the summary (none generated): {"users":0}.');
  });

  test('the ceiling: each concurrency with its rate, CPU per write and the floors it puts on a run of this size', () => {
    expect(renderReportBench(figures())).not.toContain("DynamoDB Local's ceiling");
    const report = renderReportBench(
      figures({
        ceiling: [
          { concurrency: 16, writes: 20_000, perSecond: 1000, p50Ms: 15.5, writerCpuSeconds: 10, javaCpuSeconds: 20 },
          { concurrency: 64, writes: 25_000, perSecond: 1250, p50Ms: 50, writerCpuSeconds: 10, javaCpuSeconds: 15 },
        ],
      }),
    );
    expect(report).toContain("DynamoDB Local's ceiling for the one write every user costs");
    // 1,000 users: 1,000 ÷ 1,000/s = 1.0 s; 1,000 × 1.5 ms ÷ 2 cores = 0.75 s.
    expect(rowStarting(report, '| 16 |')).toBe('| 16 | 20,000 | 1,000 | 15.5 | 1.50 (0.50 + 1.00) | 1.0 | 0.8 |');
    expect(rowStarting(report, '| 64 |')).toBe('| 64 | 25,000 | 1,250 | 50.0 | 1.00 (0.40 + 0.60) | 0.8 | 0.5 |');
  });
});
