import { randomUUID } from 'node:crypto';
import { ENV } from '#contract/environment';
import { MONTH_INDEX_SHARDS } from '#contract/tables';
import { shardOf } from '#domain/month';
import type { RunSummary } from '#domain/report-run';
import { failingFirst, retriedStates, stateFailures, statesEntered } from '../support/submissions';
import { freshMonth, freshMonths, reportWorkflow, reportsRepository, runReport, storePayments, storedPayment } from '../support/reports';

// Two users a page, so every shard with three or more users pages through the NextPage loop.
process.env[ENV.reportPageSize] = '2';

const reports = reportsRepository();

const summaryOf = (execution: { status: string; output?: unknown; error?: string; cause?: string }): RunSummary => {
  if (execution.status !== 'SUCCEEDED') throw new Error(`Execution ${execution.status}: ${execution.error} ${execution.cause}`);
  return execution.output as RunSummary;
};

/** `count` fresh user ids covering at least `shards` distinct month-index shards. */
const usersAcrossShards = (count: number, shards: number): string[] => {
  for (;;) {
    const users = Array.from({ length: count }, () => randomUUID());
    if (new Set(users.map((user) => shardOf(user, MONTH_INDEX_SHARDS))).size >= shards) return users;
  }
};

describe('monthly-report workflow (real ASL, real handlers, DynamoDB Local)', () => {
  const workflow = reportWorkflow();

  test('happy path: several users in several shards, each gets a report of exact commitments, and the summary counts them', async () => {
    const month = freshMonth();
    const users = usersAcrossShards(12, 4);
    const [first] = users as [string];
    await storePayments([
      // Two payments to one payee, spelled differently: one commitment, amounts summed exactly.
      storedPayment({ userId: first, timestamp: `${month}-03T08:00:00.000Z`, description: 'Netflix', amount: '0.10', amountMinor: 10 }),
      storedPayment({ userId: first, timestamp: `${month}-20T08:00:00.000Z`, description: ' NETFLIX', amount: '0.20', amountMinor: 20 }),
      storedPayment({ userId: first, timestamp: `${month}-05T08:00:00.000Z`, description: 'Rent', currency: 'JPY', amount: '85000', amountMinor: 85000 }),
      // The same payee in another currency is another commitment.
      storedPayment({ userId: first, timestamp: `${month}-06T08:00:00.000Z`, description: 'Rent', currency: 'GBP', amount: '750.00', amountMinor: 75000 }),
      ...users.slice(1).map((userId) => storedPayment({ userId, timestamp: `${month}-10T12:00:00.000Z` })),
    ]);

    const execution = await runReport(workflow, month);
    const summary = summaryOf(execution);

    expect(summary).toMatchObject({ month, users: 12, reported: 12, payments: 15, commitments: 14, failures: [] });
    expect(statesEntered(execution)).toEqual(expect.arrayContaining(['StartReportRun', 'ReportShards', 'ListMonthUsers', 'BuildReport', 'TallyReports', 'MorePages', 'ShardDone', 'WriteSummary']));
    expect(await reports.getSummary(month)).toEqual(summary);

    const report = await reports.getReport(first, month);
    expect(report).toEqual({
      userId: first,
      month,
      payments: 4,
      commitments: [
        expect.objectContaining({ key: 'GBP#netflix', description: ' NETFLIX', currency: 'GBP', amount: '0.30', paidOn: `${month}-20`, streak: 1 }),
        expect.objectContaining({ key: 'GBP#rent', amount: '750.00', streak: 1 }),
        expect.objectContaining({ key: 'JPY#rent', amount: '85000', streak: 1 }),
      ],
    });
    expect(report?.commitments[0]?.payments.map((payment) => payment.amount)).toEqual(['0.10', '0.20']);
    for (const userId of users.slice(1)) {
      expect((await reports.getReport(userId, month))?.commitments).toEqual([expect.objectContaining({ key: 'GBP#netflix', amount: '9.99' })]);
    }
  });

  test('paging: a shard with more users than a page goes round the NextPage loop and misses no one', async () => {
    const month = freshMonth();
    // Five users in one shard: three pages of two.
    const users: string[] = [];
    while (users.length < 5) {
      const user = randomUUID();
      if (shardOf(user, MONTH_INDEX_SHARDS) === 3) users.push(user);
    }
    await storePayments(users.map((userId) => storedPayment({ userId, timestamp: `${month}-01T00:00:00.000Z` })));

    const execution = await runReport(workflow, month);

    expect(summaryOf(execution)).toMatchObject({ users: 5, payments: 5, failures: [] });
    expect(statesEntered(execution).filter((state) => state === 'NextPage').length).toBeGreaterThanOrEqual(2);
  });

  test('streaks: a commitment paid three months running has streak 3; one that skipped a month starts again', async () => {
    const [m1, m2, m3] = freshMonths();
    const userId = randomUUID();
    await storePayments([
      storedPayment({ userId, timestamp: `${m1}-05T09:00:00.000Z`, description: 'Netflix' }),
      storedPayment({ userId, timestamp: `${m1}-01T09:00:00.000Z`, description: 'Gym', amount: '30.00', amountMinor: 3000 }),
      storedPayment({ userId, timestamp: `${m2}-05T09:00:00.000Z`, description: 'netflix' }),
      storedPayment({ userId, timestamp: `${m3}-05T09:00:00.000Z`, description: 'Netflix' }),
      storedPayment({ userId, timestamp: `${m3}-01T09:00:00.000Z`, description: 'Gym', amount: '30.00', amountMinor: 3000 }),
    ]);

    for (const month of [m1, m2, m3]) summaryOf(await runReport(workflow, month));

    const streaks = async (month: string): Promise<Record<string, number>> =>
      Object.fromEntries(((await reports.getReport(userId, month))?.commitments ?? []).map((c) => [c.key, c.streak]));
    expect(await streaks(m1)).toEqual({ 'GBP#gym': 1, 'GBP#netflix': 1 });
    expect(await streaks(m2)).toEqual({ 'GBP#netflix': 2 });
    expect(await streaks(m3)).toEqual({ 'GBP#gym': 1, 'GBP#netflix': 3 });
  });

  test('re-run: running a month again rewrites the same reports and counts nothing twice', async () => {
    const [m1, m2] = freshMonths();
    const users = usersAcrossShards(4, 2);
    await storePayments(
      users.flatMap((userId) => [
        storedPayment({ userId, timestamp: `${m1}-05T09:00:00.000Z` }),
        storedPayment({ userId, timestamp: `${m2}-05T09:00:00.000Z` }),
        storedPayment({ userId, timestamp: `${m2}-06T09:00:00.000Z`, description: 'Gym', amount: '30.00', amountMinor: 3000 }),
      ]),
    );
    summaryOf(await runReport(workflow, m1));
    const first = summaryOf(await runReport(workflow, m2));
    const reportsAfterFirst = await Promise.all(users.map((userId) => reports.getReport(userId, m2)));

    const second = summaryOf(await runReport(workflow, m2));

    expect(await Promise.all(users.map((userId) => reports.getReport(userId, m2)))).toEqual(reportsAfterFirst);
    expect(reportsAfterFirst.every((report) => report?.commitments.find((c) => c.key === 'GBP#netflix')?.streak === 2)).toBe(true);
    const counts = ({ users: u, payments, commitments, failures }: RunSummary): unknown => ({ u, payments, commitments, failures });
    expect(counts(second)).toEqual(counts(first));
    expect(first).toMatchObject({ users: 4, payments: 8, commitments: 8 });
    expect(await reports.getSummary(m2)).toEqual(second);
  });

  test("one user's failure: retried, then recorded in the summary; every other user is reported", async () => {
    const month = freshMonth();
    const users = usersAcrossShards(6, 3);
    const broken = users[2] as string;
    await storePayments(users.map((userId) => storedPayment({ userId, timestamp: `${month}-05T09:00:00.000Z` })));
    // Fails for one user only, every time: the Retry gives up and the Catch records it.
    const failing = reportWorkflow({
      BuildReport: (handler) => async (event, context) => {
        if ((event as { userId: string }).userId === broken) return failingFirst(Number.MAX_SAFE_INTEGER, 'DependencyUnavailable')(handler)(event, context);
        return handler(event, context);
      },
    });

    const execution = await runReport(failing, month);
    const summary = summaryOf(execution);

    expect(execution.status).toBe('SUCCEEDED');
    expect(summary).toMatchObject({ users: 6, reported: 5, payments: 5, failures: [{ userId: broken, error: 'DependencyUnavailable' }] });
    expect(retriedStates(execution)).toContain('BuildReport');
    expect(statesEntered(execution)).toContain('RecordFailure');
    expect(stateFailures(execution)).toContain('BuildReport:DependencyUnavailable');
    expect(await reports.getReport(broken, month)).toBeUndefined();
    for (const userId of users.filter((user) => user !== broken)) {
      expect(await reports.getReport(userId, month)).toBeDefined();
    }
  });

  test('scheduled: the schedule\'s input (its scheduled time, no month) reports on the month before', async () => {
    const [month, next] = freshMonths();
    const userId = randomUUID();
    await storePayments([storedPayment({ userId, timestamp: `${month}-12T08:00:00.000Z` })]);

    // What EventBridge Scheduler sends: {"scheduledTime": "<aws.scheduler.scheduled-time>"}.
    const execution = await workflow.run(`report-scheduled-${randomUUID()}`, { scheduledTime: `${next}-01T02:00:00Z` });

    expect(summaryOf(execution)).toMatchObject({ month, users: 1, reported: 1, payments: 1 });
    expect((await reports.getReport(userId, month))?.month).toBe(month);
  });

  test('invalid month: the run fails at StartReportRun with InvalidMonth and writes nothing', async () => {
    const execution = await workflow.run(`report-bad-${randomUUID()}`, { month: '2026-13' });

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InvalidMonth');
    expect(statesEntered(execution)).toEqual(['StartReportRun']);
    expect(await reports.getSummary('2026-13')).toBeUndefined();
  });
});
