import { renderSubmissionReport, writeUnitsOf } from '../../../bench/submission-render';
import { rowStarting } from '../../support/markdown-rows';
import type { MeasuredLoad, SubmissionFigures } from '../../../bench/submission-figures';

const load = (
  connections: number,
  perSecond: number,
  p50: number,
  extra: Partial<MeasuredLoad> = {},
): MeasuredLoad => ({
  connections,
  durationSeconds: 10,
  requests: perSecond * 10,
  perSecond,
  latencyMs: { count: perSecond * 10, p50, p95: p50 * 2, p99: p50 * 3, max: p50 * 4 },
  non2xx: {},
  errors: 0,
  timeouts: 0,
  clientCpuMsPerRequest: 0.5,
  cpuMsPerRequest: { server: 4, dynamoDb: 2 },
  ...extra,
});

const figures = (overrides: Partial<SubmissionFigures> = {}): SubmissionFigures => ({
  options: { durationSeconds: 10, concurrencies: [1, 16], profile: false, bundles: true },
  startedAt: new Date('2026-12-06T04:00:00.000Z'),
  machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 8, node: 'v24.0.0', java: 'openjdk 21', platform: 'Linux' },
  loadBefore: '1.00 / 1.00 / 1.00',
  loadAfter: '2.00 / 2.00 / 2.00',
  users: 16,
  workflow: [load(1, 50, 20), load(16, 200, 80, { non2xx: { '503': 3, '429': 1 }, errors: 1, timeouts: 2 })],
  direct: [load(1, 200, 5), load(16, 800, 20)],
  batch: [load(1, 2, 500), load(16, 4, 4000)],
  ceiling: [
    {
      write: 'conditional-put',
      concurrency: 1,
      writes: 1000,
      perSecond: 1000,
      latencyMs: { count: 1000, p50: 1, p95: 2, p99: 3, max: 4 },
      failures: 0,
      writerCpuSeconds: 0.5,
    },
  ],
  capacity: {
    onTime: {
      accepted: 20,
      ledger: new Map([
        ['GetItem payments', { requests: 20, units: 10 }],
        ['PutItem payments', { requests: 20, units: 40 }],
        ['PutItem idempotency', { requests: 20, units: 20 }],
      ]),
    },
    late: { accepted: 10, ledger: new Map([['PutItem payments', { requests: 10, units: 30 }]]) },
    batch: { accepted: 20, ledger: new Map([['BatchWriteItem payments', { requests: 1, units: 50 }]]) },
  },
  lateTimestamp: '2026-11-05T09:30:00.000Z',
  bundles: [
    { name: 'StorePayment', bytes: 2 * 1024 * 1024, sourceMapBytes: 512, initMs: 41.6, initSamplesMs: [40, 42] },
  ],
  ...overrides,
});

describe('the submission benchmark report', () => {
  test('heads with the run, the machine and the method it was measured by', () => {
    const report = renderSubmissionReport(figures());
    expect(report.startsWith('## Submission path, 2026-12-06T04:00:00.000Z\n\nMachine: 2 CPUs (Test CPU)')).toBe(true);
    expect(report).toContain('before 1.00 / 1.00 / 1.00, after 2.00 / 2.00 / 2.00');
    expect(report).toContain('Method: 10 s of closed-loop load per row');
    expect(report).toContain('16 users with real RS256 tokens');
    expect(report).toContain('after a 3 s warm-up; rate limit overridden to 1000000/s');
    expect(report).not.toContain('CPU profiler');
    expect(report.endsWith('\n')).toBe(true);
  });

  test('a row per path and concurrency, with its refusals and failures', () => {
    const report = renderSubmissionReport(figures());
    expect(rowStarting(report, '| workflow (gateway + Express ASL + 4 handlers) | 16 |')).toBe(
      '| workflow (gateway + Express ASL + 4 handlers) | 16 | 200.0 | 80.0 | 160.0 | 240.0 | 2000 | 1× 429, 3× 503 | 3 | 4.0 | 2.0 | 0.50 |',
    );
    expect(rowStarting(report, '| direct (token + validation + conditional put) | 1 |')).toContain('| 0 | 0 |');
  });

  test('the workflow path against the direct path at each concurrency', () => {
    const report = renderSubmissionReport(figures());
    expect(rowStarting(report, '| 1 | 50.0 |')).toBe('| 1 | 50.0 | 200.0 | 25 % | 4.0× |');
    expect(rowStarting(report, '| 16 | 200.0 |')).toBe('| 16 | 200.0 | 800.0 | 25 % | 4.0× |');
  });

  test('capacity per accepted payment: writes first, then reads, and the write units in all', () => {
    const report = renderSubmissionReport(figures());
    const lines = report.split('\n');
    const index = (start: string): number => lines.findIndex((line) => line.startsWith(start));
    expect(index('| PutItem payments |')).toBeLessThan(index('| GetItem payments |'));
    expect(rowStarting(report, '| PutItem payments |')).toBe('| PutItem payments | 1.00 | 2.00 |');
    expect(rowStarting(report, '| GetItem payments |')).toBe('| GetItem payments | 1.00 | 0.50 |');
    expect(rowStarting(report, '| **write units in all**')).toBe(
      '| **write units in all** (minimum: 1) |  | **3.00** |',
    );
    expect(report).toContain('Capacity per accepted payment (20 of 20 submissions accepted');
    expect(report).toContain(
      'Write units per payment through the batch (20 of 20 accepted in one batch): 2.50 (single path: 3.00).',
    );
    expect(report).toContain(
      'A late arrival (a payment for 2026-11, received now; 10 of 20 accepted) also writes its lateArrivals index entry: 3.00 write units per payment.',
    );
  });

  test('batch rows in payments against the single path at the same connection count', () => {
    const report = renderSubmissionReport(figures());
    expect(report).toContain('POST /payments/batch, 100 fresh payments of one user a request, 40 s a row');
    // 4 batches/s of 100 = 400 payments/s against the single path's 200 at 16 connections.
    expect(rowStarting(report, '| 16 | 40 | 4.00 |')).toBe(
      '| 16 | 40 | 4.00 | 400.0 | 200.0 | 2.0× | 4,000 | 12,000 | 0 | 0 | 0.06 | 0.005 |',
    );
  });

  test('bundles and the CPU profile only when the run measured them', () => {
    const withBoth = renderSubmissionReport(
      figures({ profileFile: '/tmp/p.cpuprofile', options: { ...figures().options, profile: true } }),
    );
    expect(rowStarting(withBoth, '| StorePayment |')).toBe('| StorePayment | 2.00 MiB | 0.5 KiB | 42 | 40 42 |');
    expect(withBoth).toContain(
      'CPU profile of the stack: /tmp/p.cpuprofile (summarise: npx tsx bench/cpu-profile.ts /tmp/p.cpuprofile)',
    );
    expect(withBoth).toContain('; the stack ran with the CPU profiler on (slower).');
    const without = renderSubmissionReport(figures({ bundles: [] }));
    expect(without).not.toContain('| Lambda |');
    expect(without).not.toContain('CPU profile of the stack');
  });

  test('write units leave reads out', () => {
    expect(writeUnitsOf(figures().capacity.onTime.ledger)).toBe(60);
  });
});
