import { randomUUID } from 'node:crypto';
import { formatMinorUnits } from '#domain/money';
import type { PaymentRecord } from '#domain/payment-record';
import { buildMonthlyReport } from '#domain/report';
import {
  EMPTY_TALLY,
  MAX_LISTED_FAILURES,
  type ReportTally,
  addFailedBatch,
  addFailedLateBatch,
  addLateRebuilds,
  addResults,
  summarise,
} from '#domain/report-run';

const BUILT_AT = '2026-11-01T02:10:00.000Z';

const payment = (overrides: Partial<PaymentRecord>): PaymentRecord => ({
  id: randomUUID(),
  userId: 'u',
  timestamp: '2026-10-05T09:30:00.000Z',
  description: 'Netflix',
  currency: 'GBP',
  amount: '9.99',
  amountMinor: 999,
  receivedAt: '2026-10-05T09:31:00.000Z',
  requestId: randomUUID(),
  clientId: 'local-user-app',
  submittedBy: 'u',
  ...overrides,
});

describe('formatMinorUnits', () => {
  test.each([
    [999n, 2, '9.99'],
    [5n, 2, '0.05'],
    [1000n, 0, '1000'],
    [1500n, 3, '1.500'],
    [0n, 2, '0.00'],
    [-25n, 2, '-0.25'],
    [2n ** 64n, 2, '184467440737095516.16'],
  ])('%s minor units with %i digits is %s', (minor, units, text) => expect(formatMinorUnits(minor, units)).toBe(text));
});

describe('buildMonthlyReport', () => {
  test('keeps the scheduled amount (the last paid cycle) through missed months', () => {
    const october = buildMonthlyReport(
      'u',
      '2026-10',
      [payment({ timestamp: '2026-10-05T08:00:00.000Z', description: 'Rent', amount: '750.50', amountMinor: 75050 })],
      undefined,
      BUILT_AT,
    );
    expect(october.commitments[0]).toMatchObject({ amount: '750.50', scheduledAmount: '750.50' });
    const november = buildMonthlyReport('u', '2026-11', [], october, '2026-12-01T02:10:00.000Z');
    const december = buildMonthlyReport('u', '2026-12', [], november, '2027-01-01T02:10:00.000Z');
    expect(december.commitments[0]).toMatchObject({ amount: '0.00', scheduledAmount: '750.50' });
    expect(december.commitments[0]?.history.slice(0, 3).map(({ status }) => status)).toEqual([
      'missed',
      'missed',
      'kept',
    ]);
  });
  test('groups by payee, sums exactly (1000.10 + 1000.20 is 2000.30), cites each payment, dates the latest', () => {
    const report = buildMonthlyReport(
      'u',
      '2026-10',
      [
        payment({ timestamp: '2026-10-06T08:00:00.000Z', description: 'RENT', amount: '1000.20', amountMinor: 100020 }),
        payment({ timestamp: '2026-10-05T08:00:00.000Z', description: 'Rent', amount: '1000.10', amountMinor: 100010 }),
        payment({ description: 'Rent', currency: 'BHD', amount: '1.005', amountMinor: 1005 }),
      ],
      undefined,
      BUILT_AT,
    );
    expect(report.payments).toBe(3);
    expect(report.builtAt).toBe(BUILT_AT);
    expect(
      report.commitments.map(({ commitmentId, amount, lastPaidOn, payee }) => ({
        commitmentId,
        amount,
        lastPaidOn,
        payee,
      })),
    ).toEqual([
      { commitmentId: 'BHD#rent', amount: '1.005', lastPaidOn: '2026-10-05', payee: 'Rent' },
      { commitmentId: 'GBP#rent', amount: '2000.30', lastPaidOn: '2026-10-06', payee: 'RENT' },
    ]);
    expect(report.commitments[1]?.payments.map((p) => p.amount)).toEqual(['1000.10', '1000.20']);
  });

  test('another currency is another commitment', () => {
    const report = buildMonthlyReport(
      'u',
      '2026-10',
      [payment({ description: 'Rent' }), payment({ description: 'Rent', currency: 'EUR' })],
      undefined,
      BUILT_AT,
    );
    expect(report.commitments.map((c) => c.commitmentId)).toEqual(['EUR#rent', 'GBP#rent']);
  });

  test("continues the previous month's history; a new payee starts at 1", () => {
    const previous = buildMonthlyReport(
      'u',
      '2026-09',
      [payment({ timestamp: '2026-09-05T00:00:00.000Z' })],
      undefined,
      BUILT_AT,
    );
    const twoMonths = buildMonthlyReport(
      'u',
      '2026-10',
      [payment({}), payment({ description: 'Gym' })],
      previous,
      BUILT_AT,
    );
    expect(Object.fromEntries(twoMonths.commitments.map((c) => [c.commitmentId, c.streak]))).toEqual({
      'GBP#gym': 1,
      'GBP#netflix': 2,
    });
  });

  test('is deterministic whatever order the payments come in', () => {
    const payments = [payment({}), payment({ description: 'Gym' }), payment({ timestamp: '2026-10-05T09:30:00.000Z' })];
    expect(buildMonthlyReport('u', '2026-10', [...payments].reverse(), undefined, BUILT_AT)).toEqual(
      buildMonthlyReport('u', '2026-10', payments, undefined, BUILT_AT),
    );
  });

  test('a month with no payments and no history has no commitments', () => {
    expect(buildMonthlyReport('u', '2026-10', [], undefined, BUILT_AT)).toEqual({
      userId: 'u',
      month: '2026-10',
      payments: 0,
      builtAt: BUILT_AT,
      commitments: [],
      aheadPayments: [],
      payeeRoutes: [],
    });
  });

  test("provenance: each payment's client and whether an integration sent it on the user's behalf; the commitment's distinct clients", () => {
    const report = buildMonthlyReport(
      'u',
      '2026-10',
      [
        payment({ clientId: 'local-user-app', submittedBy: 'u' }),
        payment({ clientId: 'bank-feed', submittedBy: 'bank-feed', timestamp: '2026-10-06T00:00:00.000Z' }),
      ],
      undefined,
      BUILT_AT,
    );
    expect(report.commitments[0]).toMatchObject({ clientIds: ['bank-feed', 'local-user-app'], selfReported: true });
    expect(report.commitments[0]?.payments.map((p) => [p.clientId, p.onBehalf])).toEqual([
      ['local-user-app', false],
      ['bank-feed', true],
    ]);
    const onlyFeed = buildMonthlyReport(
      'u',
      '2026-10',
      [payment({ clientId: 'bank-feed', submittedBy: 'bank-feed' })],
      undefined,
      BUILT_AT,
    );
    expect(onlyFeed.commitments[0]).toMatchObject({ clientIds: ['bank-feed'], selfReported: false });
  });
});

describe('report run tallies', () => {
  const run = { month: '2026-10', startedAt: 's', finishedAt: 'f', executionName: 'e' };
  const shard = (n: number, tally: ReportTally, errors: { lateError?: string; shardError?: string } = {}) => ({
    month: '2026-10',
    shard: n,
    tally,
    ...errors,
  });

  test('batches add up per shard, shards add up in the summary, failures are listed in user order', () => {
    const shardA = addResults(addResults(EMPTY_TALLY, [{ userId: 'b', payments: 2, commitments: 1 }]), [
      { userId: 'z', failed: true, error: 'DependencyUnavailable' },
    ]);
    const shardB = addFailedBatch(
      addResults(EMPTY_TALLY, [{ userId: 'c', payments: 3, commitments: 2 }]),
      ['a'],
      'States.Timeout',
    );
    const summary = summarise(run, [shard(0, shardA), shard(1, shardB)], 2);
    expect(summary).toEqual({
      month: '2026-10',
      users: 4,
      reported: 2,
      payments: 5,
      commitments: 3,
      failedUsers: 2,
      failures: [
        { userId: 'a', error: 'States.Timeout' },
        { userId: 'z', error: 'DependencyUnavailable' },
      ],
      late: { payments: 0, users: 0, reports: 0, failedUsers: 0 },
      failedShards: [],
      startedAt: 's',
      finishedAt: 'f',
      executionName: 'e',
    });
  });

  test('a shard missing from the results, or stopped early, is named; late rebuilds are counted', () => {
    const late = addLateRebuilds(EMPTY_TALLY, { payments: 2, users: 1, reports: 3 });
    const summary = summarise(
      run,
      [
        shard(0, late, { lateError: 'DependencyUnavailable' }),
        { Error: 'States.Runtime' },
        shard(2, EMPTY_TALLY, { shardError: 'ValidationException' }),
      ],
      4,
    );
    expect(summary.failedShards).toEqual([
      { shard: 0, error: 'LateRebuild:DependencyUnavailable' },
      { shard: 1, error: 'ShardExecutionFailed' },
      { shard: 2, error: 'ValidationException' },
      { shard: 3, error: 'ShardExecutionFailed' },
    ]);
    expect(summary.late).toEqual({ payments: 2, users: 1, reports: 3, failedUsers: 0 });
  });

  test('failure names are capped per shard so tallies stay small; the count stays exact', () => {
    const users = Array.from({ length: MAX_LISTED_FAILURES + 15 }, (_, i) => `u${String(i).padStart(3, '0')}`);
    const tally = addFailedBatch(EMPTY_TALLY, users, 'DependencyUnavailable');
    expect(tally.failures).toHaveLength(MAX_LISTED_FAILURES);
    expect(tally).toMatchObject({ users: users.length, failedUsers: users.length });
    const lateFailed = addFailedLateBatch(EMPTY_TALLY, ['x'], 'States.Timeout');
    expect(lateFailed).toMatchObject({
      users: 0,
      failedUsers: 0,
      late: { failedUsers: 1 },
      failures: [{ userId: 'x', error: 'LateRebuild:States.Timeout' }],
    });
  });
});

describe('the report run payloads stay within AWS quotas at their worst', () => {
  test('64 shard results each naming the most failures it may, and the summary of them: under 256 KiB of state and 400 KB of item', () => {
    const worstShard = (shard: number) => ({
      month: '2026-10',
      shard,
      after: null,
      lateError: 'DependencyUnavailable',
      shardError: 'DependencyUnavailable',
      tally: addFailedBatch(
        addLateRebuilds(EMPTY_TALLY, { payments: 1e9, users: 1e9, reports: 1e9, failedUsers: 1e9 }),
        Array.from({ length: 1000 }, () => randomUUID()),
        'States.ExceedToleratedFailureThreshold',
      ),
    });
    const shardResults = Array.from({ length: 64 }, (_, shard) => worstShard(shard));
    const summary = summarise(
      {
        month: '2026-10',
        startedAt: new Date().toISOString(),
        finishedAt: new Date().toISOString(),
        executionName: randomUUID(),
      },
      shardResults,
      64,
    );
    // WriteSummary's input carries every shard's result; its output (and the summary item) their sum.
    expect(Buffer.byteLength(JSON.stringify({ shardResults }))).toBeLessThan(256 * 1024);
    expect(Buffer.byteLength(JSON.stringify(summary))).toBeLessThan(256 * 1024);
    expect(summary.failures).toHaveLength(64 * MAX_LISTED_FAILURES);
    expect(summary.failedUsers).toBe(64 * 1000);
  });
});
