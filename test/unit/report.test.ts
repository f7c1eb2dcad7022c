import { randomUUID } from 'node:crypto';
import { formatMinorUnits } from '#domain/money';
import type { PaymentRecord } from '#domain/payment-record';
import { buildMonthlyReport, commitmentKey } from '#domain/report';
import { EMPTY_TALLY, addResults, summarise } from '#domain/report-run';

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

describe('commitmentKey', () => {
  test('case, surrounding and repeated spaces and compatibility forms do not make another payee', () => {
    expect(commitmentKey('  Netflix ', 'GBP')).toBe(commitmentKey('NETFLIX', 'GBP'));
    expect(commitmentKey('Rent  flat 2', 'GBP')).toBe(commitmentKey('rent flat 2', 'GBP'));
    expect(commitmentKey('Ｎｅｔｆｌｉｘ', 'GBP')).toBe(commitmentKey('netflix', 'GBP'));
  });

  test('another currency is another commitment', () => {
    expect(commitmentKey('Rent', 'GBP')).not.toBe(commitmentKey('Rent', 'EUR'));
  });
});

describe('buildMonthlyReport', () => {
  test('groups by payee, sums exactly (0.1 + 0.2 is 0.30), cites each payment, dates the latest', () => {
    const report = buildMonthlyReport(
      'u',
      '2026-10',
      [
        payment({ timestamp: '2026-10-20T08:00:00.000Z', description: 'netflix', amount: '0.20', amountMinor: 20 }),
        payment({ timestamp: '2026-10-03T08:00:00.000Z', amount: '0.10', amountMinor: 10 }),
        payment({ description: 'Rent', currency: 'BHD', amount: '1.005', amountMinor: 1005 }),
      ],
      undefined,
    );
    expect(report.payments).toBe(3);
    expect(report.commitments.map(({ key, amount, paidOn, description }) => ({ key, amount, paidOn, description }))).toEqual([
      { key: 'BHD#rent', amount: '1.005', paidOn: '2026-10-05', description: 'Rent' },
      { key: 'GBP#netflix', amount: '0.30', paidOn: '2026-10-20', description: 'netflix' },
    ]);
    expect(report.commitments[1]?.payments.map((p) => p.amount)).toEqual(['0.10', '0.20']);
  });

  test("continues the previous month's streaks; a new or lapsed payee starts at 1", () => {
    const previous = buildMonthlyReport('u', '2026-09', [payment({ timestamp: '2026-09-05T00:00:00.000Z' })], undefined);
    const twoMonths = buildMonthlyReport('u', '2026-10', [payment({}), payment({ description: 'Gym' })], { ...previous, commitments: previous.commitments.map((c) => ({ ...c, streak: 4 })) });
    expect(Object.fromEntries(twoMonths.commitments.map((c) => [c.key, c.streak]))).toEqual({ 'GBP#gym': 1, 'GBP#netflix': 5 });
  });

  test('is deterministic whatever order the payments come in', () => {
    const payments = [payment({}), payment({ description: 'Gym' }), payment({ timestamp: '2026-10-05T09:30:00.000Z' })];
    expect(buildMonthlyReport('u', '2026-10', [...payments].reverse(), undefined)).toEqual(buildMonthlyReport('u', '2026-10', payments, undefined));
  });

  test('a month with no payments has no commitments', () => {
    expect(buildMonthlyReport('u', '2026-10', [], undefined)).toEqual({ userId: 'u', month: '2026-10', payments: 0, commitments: [] });
  });
});

describe('report run tallies', () => {
  test('pages add up per shard, shards add up in the summary, failures are listed in user order', () => {
    const shardA = addResults(addResults(EMPTY_TALLY, [{ userId: 'b', payments: 2, commitments: 1 }]), [{ userId: 'z', failed: true, error: 'DependencyUnavailable' }]);
    const shardB = addResults(EMPTY_TALLY, [{ userId: 'c', payments: 3, commitments: 2 }, { userId: 'a', failed: true, error: 'States.Timeout' }]);
    const summary = summarise({ month: '2026-10', startedAt: 's', finishedAt: 'f', executionName: 'e' }, [shardA, shardB]);
    expect(summary).toEqual({
      month: '2026-10',
      users: 4,
      reported: 2,
      payments: 5,
      commitments: 3,
      failures: [
        { userId: 'a', error: 'States.Timeout' },
        { userId: 'z', error: 'DependencyUnavailable' },
      ],
      startedAt: 's',
      finishedAt: 'f',
      executionName: 'e',
    });
    expect(EMPTY_TALLY).toEqual({ users: 0, payments: 0, commitments: 0, failures: [] });
  });
});
