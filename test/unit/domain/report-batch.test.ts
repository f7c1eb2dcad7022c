import { randomUUID } from 'node:crypto';
import type { PaymentRecord } from '#domain/payment-record';
import type { MonthlyReport } from '#domain/report';
import {
  type ReportRunStore,
  type ShardWalk,
  buildReportBatch,
  monthsToRebuild,
  rebuildLateReports,
  recordFailedBatch,
} from '#domain/report-batch';
import { EMPTY_TALLY } from '#domain/report-run';
import { monthsFromTo } from '#domain/user-history';
import { commitmentFixture } from '../../support/commitments';

const payment = (userId: string, timestamp: string, overrides: Partial<PaymentRecord> = {}): PaymentRecord => ({
  id: randomUUID(),
  userId,
  timestamp,
  description: 'Netflix',
  currency: 'GBP',
  amount: '9.99',
  amountMinor: 999,
  receivedAt: timestamp,
  requestId: randomUUID(),
  clientId: 'local-user-app',
  submittedBy: userId,
  ...overrides,
});

/** An in-memory store: one shard's payments, sorted by user then time; pages by whole users. */
const memoryStore = (payments: PaymentRecord[], late: Array<{ userId: string; month: string }> = []) => {
  const reports = new Map<string, MonthlyReport>();
  const key = (userId: string, month: string): string => `${userId}#${month}`;
  const sorted = (month: string) =>
    payments
      .filter((p) => p.timestamp.startsWith(month))
      .sort((a, b) => (a.userId + a.timestamp < b.userId + b.timestamp ? -1 : 1));
  const store: ReportRunStore = {
    monthPage: async ({ month, after, pageItems }) => {
      const rest = sorted(month).filter((p) => after === null || p.userId > after);
      const users = [...new Set(rest.slice(0, pageItems).map((p) => p.userId))];
      const more = rest.length > pageItems;
      return {
        users: users.map((userId) => ({ userId, payments: rest.filter((p) => p.userId === userId) })),
        after: more ? users.at(-1)! : null,
      };
    },
    monthPageUsers: async (request) => {
      const page = await store.monthPage(request);
      return { userIds: page.users.map((u) => u.userId), after: page.after };
    },
    reportsInRange: async (month, _shard, first, last) =>
      [...reports.values()].filter((r) => r.month === month && r.userId >= first && r.userId <= last),
    lateArrivalsPage: async ({ after }) =>
      after === null ? { arrivals: late, after: null } : { arrivals: [], after: null },
    userHistory: async (userId, first, last) =>
      monthsFromTo(first, last).map((month) => ({
        month,
        payments: sorted(month).filter((p) => p.userId === userId),
      })),
    getReport: async (userId, month) => reports.get(key(userId, month)),
    putReports: async (written) => {
      for (const report of written) reports.set(key(report.userId, report.month), report);
    },
  };
  return { store, reports, get: (userId: string, month: string) => reports.get(key(userId, month)) };
};

const walk = (month: string): ShardWalk => ({
  month,
  shard: 0,
  after: null,
  tally: EMPTY_TALLY,
  lateError: null,
  shardError: null,
});
const settings = { pageItems: 2, builtAt: '2026-11-01T02:10:00.000Z' };

describe('report batches', () => {
  test('a page of whole users: built on their previous reports, counted, and the walk moves past them', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((p) => `${p}0000000-0000-4000-8000-000000000000`) as [string, string, string];
    const { store, get } = memoryStore([
      payment(a, '2026-09-05T00:00:00.000Z'),
      payment(a, '2026-10-05T00:00:00.000Z'),
      payment(a, '2026-10-06T00:00:00.000Z'),
      payment(b, '2026-10-07T00:00:00.000Z'),
      payment(c, '2026-10-08T00:00:00.000Z'),
    ]);
    await buildReportBatch(store, walk('2026-09'), settings);
    const first = await buildReportBatch(store, walk('2026-10'), settings);
    expect(first).toMatchObject({ after: a, tally: { users: 1, payments: 2 } });
    expect(get(a, '2026-10')?.commitments[0]).toMatchObject({ streak: 2, amount: '19.98' });
    const second = await buildReportBatch(store, first, settings);
    expect(second).toMatchObject({ after: null, tally: { users: 3, payments: 4, failedUsers: 0 } });
  });

  test("one user's bad data fails that user, not the batch", async () => {
    const { store, get } = memoryStore([
      payment('a', '2026-10-05T00:00:00.000Z', { currency: 'XXX' }),
      payment('b', '2026-10-05T00:00:00.000Z'),
    ]);
    const output = await buildReportBatch(store, walk('2026-10'), settings);
    expect(output.tally).toMatchObject({ users: 2, failedUsers: 1, failures: [{ userId: 'a', error: 'RangeError' }] });
    expect(get('b', '2026-10')).toBeDefined();
  });

  test('a failed batch: its users are listed again and recorded; the walk goes on after them', async () => {
    const { store } = memoryStore([
      payment('a', '2026-10-05T00:00:00.000Z'),
      payment('b', '2026-10-05T00:00:00.000Z'),
      payment('c', '2026-10-05T00:00:00.000Z'),
    ]);
    const output = await recordFailedBatch(
      store,
      { ...walk('2026-10'), phase: 'month', error: 'DependencyUnavailable' },
      settings,
    );
    expect(output).toMatchObject({ after: 'b', tally: { users: 2, failedUsers: 2 } });
    expect(output).not.toHaveProperty('phase');
  });

  test('late arrivals: each user rebuilt from its earliest late month to the month before the run, streaks corrected', async () => {
    const u = 'u';
    const { store, get } = memoryStore(
      [
        payment(u, '2026-07-05T00:00:00.000Z'),
        payment(u, '2026-08-05T00:00:00.000Z'),
        payment(u, '2026-09-05T00:00:00.000Z'),
      ],
      [
        { userId: u, month: '2026-08' },
        { userId: u, month: '2026-10' },
      ],
    );
    await store.putReports([
      {
        userId: u,
        month: '2026-07',
        payments: 1,
        builtAt: 'x',
        commitments: [commitmentFixture('2026-07', 5)],
        aheadPayments: [],
        payeeRoutes: [],
      },
    ]);
    const output = await rebuildLateReports(store, walk('2026-10'), settings);
    // The October arrival is the month phase's: only August's counts here.
    expect(output.tally.late).toEqual({ payments: 1, users: 1, reports: 2, failedUsers: 0 });
    expect(get(u, '2026-08')?.commitments[0]?.streak).toBe(6);
    expect(get(u, '2026-09')?.commitments[0]?.streak).toBe(7);
    expect(get(u, '2026-10')).toBeUndefined();
  });

  test('the months to rebuild run across a year end and stop before the run month', () => {
    expect(monthsToRebuild('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01']);
    expect(monthsToRebuild('2026-02', '2026-02')).toEqual([]);
  });
});
