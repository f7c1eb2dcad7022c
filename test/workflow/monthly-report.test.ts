import { randomUUID } from 'node:crypto';
import { ENV } from '#contract/environment';
import { MONTH_SHARDS } from '#contract/tables';
import { nextMonth } from '#domain/month';
import type { RunSummary } from '#domain/report-run';
import { userShard } from '#adapters/table-keys';
import { toHistoryEvents } from '#local/step-functions/api/history';
import { LOCAL_CHILD_EXECUTIONS_AT_ONCE } from '#local/step-functions/workflow-runner';
import { type ExecutionRecord } from '#local/step-functions/execution-store';
import { MONTHLY_REPORT_WORKFLOW } from '#contract/workflows';
import type { LambdaHandler } from '#local/lambda/lambda-runtime';
import { failingFirst, testWorkflow } from '#devtools/submissions';
import { retriedStates, stateFailures, statesEntered } from '../support/submissions';
import {
  type ReportRunRecord,
  allExecutions,
  reportWorkflow,
  reportsRepository,
  runReport,
  PAYMENTS_OF_SEVERAL_PARTS,
  severalPartsOfPayments,
  storeManyPayments,
  storePayments,
  storedPayment,
  usersInShard,
} from '../support/reports';
import { freshMonth, freshMonths } from '../support/fresh-months';

// Two payments a page: batch boundaries fall inside users' payments, and shards page through the
// BuildReports loop. The late phase pages by two as well.
process.env[ENV.reportPageSize] = '2';
process.env[ENV.latePageSize] = '2';

const reports = reportsRepository();

const summaryOf = (execution: ExecutionRecord): RunSummary => {
  if (execution.status !== 'SUCCEEDED')
    throw new Error(`Execution ${execution.status}: ${execution.error} ${execution.cause}`);
  return execution.output as RunSummary;
};

/** Every state entered in the run, the children's included. */
const statesOfRun = (run: ReportRunRecord): string[] => allExecutions(run).flatMap(statesEntered);

/** `count` fresh user ids covering at least `shards` distinct shards. */
const usersAcrossShards = (count: number, shards: number): string[] => {
  for (;;) {
    const users = Array.from({ length: count }, () => randomUUID());
    if (new Set(users.map(userShard)).size >= shards) return users;
  }
};

/** The events each execution would hold in AWS, from the local log (as GetExecutionHistory shows them). */
const awsEvents = (execution: ExecutionRecord): number =>
  toHistoryEvents(execution, { includeExecutionData: false, taskResources: new Map(), roleArn: 'local' }).length;

/** Without the build time, which every run sets anew. */
const figures = <T extends { builtAt: string } | undefined>(report: T): unknown =>
  report ? { ...report, builtAt: 'any' } : report;

describe('monthly-report workflow (real ASL, real handlers, DynamoDB Local)', () => {
  const workflow = reportWorkflow();

  test('happy path: users across shards and batches, batch boundaries inside users, exact commitments with provenance', async () => {
    const month = freshMonth();
    const users = usersAcrossShards(12, 4);
    const [first] = users as [string];
    await storePayments([
      // Two payments to one payee, spelled differently: one commitment, amounts summed exactly.
      storedPayment({
        userId: first,
        timestamp: `${month}-03T08:00:00.000Z`,
        description: 'Netflix',
        amount: '10.10',
        amountMinor: 1010,
      }),
      // Submitted by a bank feed on the user's behalf.
      storedPayment({
        userId: first,
        timestamp: `${month}-20T08:00:00.000Z`,
        description: ' NETFLIX',
        amount: '10.20',
        amountMinor: 1020,
        clientId: 'local-integration',
        submittedBy: 'local-integration',
      }),
      storedPayment({
        userId: first,
        timestamp: `${month}-05T08:00:00.000Z`,
        description: 'Rent',
        currency: 'JPY',
        amount: '85000',
        amountMinor: 85000,
        clientId: 'local-integration',
        submittedBy: 'local-integration',
      }),
      // The same payee in another currency is another commitment.
      storedPayment({
        userId: first,
        timestamp: `${month}-06T08:00:00.000Z`,
        description: 'Rent',
        currency: 'GBP',
        amount: '750.00',
        amountMinor: 75000,
      }),
      // Three payments each for the others: with two a page, every page ends inside a user.
      ...users
        .slice(1)
        .flatMap((userId) =>
          [1, 2, 3].map((day) => storedPayment({ userId, timestamp: `${month}-1${day}T12:00:00.000Z` })),
        ),
    ]);

    const execution = await runReport(workflow, month);
    const summary = summaryOf(execution);

    expect(summary).toMatchObject({
      month,
      users: 12,
      reported: 12,
      payments: 37,
      commitments: 14,
      failedUsers: 0,
      failures: [],
      failedShards: [],
    });
    expect(statesEntered(execution)).toEqual([
      'StartReportRun',
      'ReportShards',
      'FurnishShards',
      'FurnishBureaus',
      'FurnishBureau',
      'MarkErasuresFurnished',
      'WriteSummary',
    ]);
    expect(execution.children).toHaveLength(MONTH_SHARDS);
    expect(statesOfRun(execution)).toEqual(
      expect.arrayContaining(['RebuildLateReports', 'MoreLateArrivals', 'BuildReports', 'MorePages', 'ShardDone']),
    );
    expect(await reports.getSummary(month)).toEqual(summary);

    const report = await reports.getReport(first, month);
    expect(report).toEqual({
      userId: first,
      month,
      payments: 4,
      builtAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      aheadPayments: [],
      payeeRoutes: [],
      commitments: [
        expect.objectContaining({
          commitmentId: 'GBP#netflix',
          payee: ' NETFLIX',
          amount: '20.30',
          lastPaidOn: `${month}-20`,
          streak: 1,
          clientIds: ['local-integration', 'local-user-app'],
          selfReported: true,
        }),
        expect.objectContaining({
          commitmentId: 'GBP#rent',
          amount: '750.00',
          clientIds: ['local-user-app'],
          selfReported: true,
        }),
        expect.objectContaining({
          commitmentId: 'JPY#rent',
          amount: '85000',
          clientIds: ['local-integration'],
          selfReported: false,
        }),
      ],
    });
    expect(
      report?.commitments[0]?.payments.map(({ amount, clientId, onBehalf }) => ({ amount, clientId, onBehalf })),
    ).toEqual([
      { amount: '10.10', clientId: 'local-user-app', onBehalf: false },
      { amount: '10.20', clientId: 'local-integration', onBehalf: true },
    ]);
    for (const userId of users.slice(1)) {
      const commitments = (await reports.getReport(userId, month))?.commitments;
      expect(commitments).toEqual([expect.objectContaining({ commitmentId: 'GBP#netflix', amount: '29.97' })]);
      expect(commitments?.[0]?.payments).toHaveLength(3);
    }
  });

  test('paging: a shard with more payments than a page goes round the BuildReports loop and misses no one', async () => {
    const month = freshMonth();
    const users = usersInShard(5, 3);
    await storePayments(users.map((userId) => storedPayment({ userId, timestamp: `${month}-01T00:00:00.000Z` })));

    const execution = await runReport(workflow, month);

    expect(summaryOf(execution)).toMatchObject({ users: 5, payments: 5, failures: [] });
    const shard = execution.children.find((child) => (child.input as { shard: number }).shard === 3)!;
    expect(statesEntered(shard).filter((state) => state === 'BuildReports').length).toBe(3);
  });

  test('a user with more payments than one item holds: the report is stored in parts and read back whole', async () => {
    const month = freshMonth();
    const userId = randomUUID();
    const count = PAYMENTS_OF_SEVERAL_PARTS;
    const payments = severalPartsOfPayments(userId, month);
    await storeManyPayments(payments);
    process.env[ENV.reportPageSize] = '1000';
    try {
      summaryOf(await runReport(workflow, month));
    } finally {
      process.env[ENV.reportPageSize] = '2';
    }

    const report = await reports.getReport(userId, month);
    expect(report?.payments).toBe(count);
    expect(report?.commitments.map((c) => [c.commitmentId, c.amount, c.payments.length])).toEqual([
      ['GBP#gym', '12.50', count / 2],
      ['GBP#rent', '12.50', count / 2],
    ]);
    expect(new Set(report?.commitments.flatMap((c) => c.payments.map((p) => p.id)))).toEqual(
      new Set(payments.map((p) => p.id)),
    );
  }, 120_000);

  test('streaks: a commitment paid three months running has streak 3; one that skipped a month starts again (its unpaid month, not yet past due here, is pending)', async () => {
    const [m1, m2, m3] = freshMonths();
    const userId = randomUUID();
    await storePayments([
      storedPayment({ userId, timestamp: `${m1}-05T09:00:00.000Z`, description: 'Netflix' }),
      storedPayment({
        userId,
        timestamp: `${m1}-01T09:00:00.000Z`,
        description: 'Gym',
        amount: '30.00',
        amountMinor: 3000,
      }),
      storedPayment({ userId, timestamp: `${m2}-05T09:00:00.000Z`, description: 'netflix' }),
      storedPayment({ userId, timestamp: `${m3}-05T09:00:00.000Z`, description: 'Netflix' }),
      storedPayment({
        userId,
        timestamp: `${m3}-01T09:00:00.000Z`,
        description: 'Gym',
        amount: '30.00',
        amountMinor: 3000,
      }),
    ]);

    for (const month of [m1, m2, m3]) summaryOf(await runReport(workflow, month));

    const streaks = async (month: string): Promise<Record<string, number>> =>
      Object.fromEntries(
        ((await reports.getReport(userId, month))?.commitments ?? []).map((c) => [c.commitmentId, c.streak]),
      );
    expect(await streaks(m1)).toEqual({ 'GBP#gym': 1, 'GBP#netflix': 1 });
    // These months are in the future: the gym's unpaid month is pending, which ends no streak but counts none.
    expect(await streaks(m2)).toEqual({ 'GBP#gym': 1, 'GBP#netflix': 2 });
    expect(await streaks(m3)).toEqual({ 'GBP#gym': 1, 'GBP#netflix': 3 });
    const gym = (await reports.getReport(userId, m3))?.commitments.find((c) => c.commitmentId === 'GBP#gym');
    expect(gym?.history.slice(0, 3).map((h) => h.status)).toEqual(['kept', 'pending', 'kept']);
  });

  test('re-run: running a month again rewrites the same figures (a new build time) and counts nothing twice', async () => {
    const [m1, m2] = freshMonths();
    const users = usersAcrossShards(4, 2);
    await storePayments(
      users.flatMap((userId) => [
        storedPayment({ userId, timestamp: `${m1}-05T09:00:00.000Z` }),
        storedPayment({ userId, timestamp: `${m2}-05T09:00:00.000Z` }),
        storedPayment({
          userId,
          timestamp: `${m2}-06T09:00:00.000Z`,
          description: 'Gym',
          amount: '30.00',
          amountMinor: 3000,
        }),
      ]),
    );
    summaryOf(await runReport(workflow, m1));
    const first = summaryOf(await runReport(workflow, m2));
    const reportsAfterFirst = await Promise.all(users.map((userId) => reports.getReport(userId, m2)));

    const second = summaryOf(await runReport(workflow, m2));
    const reportsAfterSecond = await Promise.all(users.map((userId) => reports.getReport(userId, m2)));

    expect(reportsAfterSecond.map(figures)).toEqual(reportsAfterFirst.map(figures));
    expect(reportsAfterSecond.every((report, i) => report!.builtAt > reportsAfterFirst[i]!.builtAt)).toBe(true);
    expect(
      reportsAfterFirst.every(
        (report) => report?.commitments.find((c) => c.commitmentId === 'GBP#netflix')?.streak === 2,
      ),
    ).toBe(true);
    const counts = ({ users: u, payments, commitments, failures, late }: RunSummary): unknown => ({
      u,
      payments,
      commitments,
      failures,
      late,
    });
    expect(counts(second)).toEqual(counts(first));
    expect(first).toMatchObject({ users: 4, payments: 8, commitments: 8 });
    expect(await reports.getSummary(m2)).toEqual(second);
  });

  test('a failed batch is isolated: retried, then its users are recorded in the summary; every other user is reported', async () => {
    const month = freshMonth();
    // The first of the shard's users in index order, so the shard's first batch holds it.
    const [broken, ...sameShard] = usersInShard(3, 5).sort() as [string, ...string[]];
    const elsewhere = usersAcrossShards(4, 3).filter((user) => userShard(user) !== 5);
    await storePayments(
      [broken, ...sameShard, ...elsewhere].map((userId) =>
        storedPayment({ userId, timestamp: `${month}-05T09:00:00.000Z` }),
      ),
    );
    // Fails every time for the batch that holds the broken user: the Retry gives up, the Catch records the batch.
    const holdsBroken = async (event: { month: string; shard: number; after: string | null }): Promise<boolean> =>
      event.shard === 5 && (await reports.monthPageUsers({ ...event, pageItems: 2 })).userIds.includes(broken);
    const failing = reportWorkflow({
      BuildReports: (handler) => async (event, context) => {
        if (await holdsBroken(event as never))
          return failingFirst(Number.MAX_SAFE_INTEGER, 'DependencyUnavailable')(handler)(event, context);
        return handler(event, context);
      },
    });

    const execution = await runReport(failing, month);
    const summary = summaryOf(execution);

    const batch = (await reports.monthPageUsers({ month, shard: 5, after: null, pageItems: 2 })).userIds;
    expect(batch).toContain(broken);
    expect(execution.status).toBe('SUCCEEDED');
    expect(summary).toMatchObject({
      users: 3 + elsewhere.length,
      reported: 3 + elsewhere.length - batch.length,
      failedUsers: batch.length,
      failedShards: [],
    });
    expect(summary.failures).toEqual(
      expect.arrayContaining(batch.map((userId) => ({ userId, error: 'DependencyUnavailable' }))),
    );
    const child = execution.children.find((record) => (record.input as { shard: number }).shard === 5)!;
    expect(retriedStates(child)).toContain('BuildReports');
    expect(statesEntered(child)).toContain('RecordFailedBatch');
    expect(stateFailures(child)).toContain('BuildReports:DependencyUnavailable');
    for (const userId of batch) expect(await reports.getReport(userId, month)).toBeUndefined();
    for (const userId of [...sameShard, ...elsewhere].filter((user) => !batch.includes(user))) {
      expect(await reports.getReport(userId, month)).toBeDefined();
    }
  });

  test('a late payment is reported by the next run: its month rebuilt, the later streaks corrected, the summary counts it', async () => {
    const [m1, m2, m3] = freshMonths();
    const m4 = nextMonth(m3);
    const userId = randomUUID();
    await storePayments([
      storedPayment({ userId, timestamp: `${m1}-05T09:00:00.000Z`, receivedAt: `${m1}-05T09:00:01.000Z` }),
      storedPayment({ userId, timestamp: `${m3}-05T09:00:00.000Z`, receivedAt: `${m3}-05T09:00:01.000Z` }),
      storedPayment({ userId, timestamp: `${m4}-05T09:00:00.000Z`, receivedAt: `${m4}-05T09:00:01.000Z` }),
    ]);
    for (const month of [m1, m2, m3]) summaryOf(await runReport(workflow, month));
    expect((await reports.getReport(userId, m3))?.commitments[0]?.streak).toBe(1);
    expect(await reports.getReport(userId, m2)).toBeUndefined();

    // m2's payment syncs from a phone during m4, after m2 and m3 were reported.
    const late = storedPayment({ userId, timestamp: `${m2}-05T09:00:00.000Z`, receivedAt: `${m4}-01T02:05:00.000Z` });
    await storePayments([late]);
    const execution = await runReport(workflow, m4);
    const summary = summaryOf(execution);

    expect(summary.late).toEqual({ payments: 1, users: 1, reports: 2, failedUsers: 0 });
    expect((await reports.getReport(userId, m2))?.commitments[0]).toMatchObject({
      streak: 2,
      payments: [expect.objectContaining({ id: late.id })],
    });
    expect((await reports.getReport(userId, m3))?.commitments[0]?.streak).toBe(3);
    expect((await reports.getReport(userId, m4))?.commitments[0]?.streak).toBe(4);
    const child = execution.children.find((record) => (record.input as { shard: number }).shard === userShard(userId))!;
    expect(statesEntered(child).indexOf('RebuildLateReports')).toBeLessThan(
      statesEntered(child).indexOf('BuildReports'),
    );
  });

  test('event-count bound: the parent holds the same events at two sizes; each report child 4 + 7 per batch, each part child a fixed few', async () => {
    const sizes = [6, 30];
    const runs: ReportRunRecord[] = [];
    for (const size of sizes) {
      const month = freshMonth();
      await storePayments(
        usersAcrossShards(size, 1).map((userId) => storedPayment({ userId, timestamp: `${month}-05T09:00:00.000Z` })),
      );
      runs.push(await runReport(workflow, month));
    }
    const [small, large] = runs as [ReportRunRecord, ReportRunRecord];

    // Flat: StartReportRun, one FurnishBureau per bureau, MarkErasuresFurnished and WriteSummary, the two map runs'
    // starts and ends, whatever the users.
    expect(awsEvents(large)).toBe(awsEvents(small));
    expect(awsEvents(large)).toBeLessThan(40);
    // The furnishing parts (decision 0023): one child per shard, each the same fixed events at both sizes.
    const partEvents = runs.flatMap((run) => run.furnishingChildren.map(awsEvents));
    expect(runs.map((run) => run.furnishingChildren.length)).toEqual([MONTH_SHARDS, MONTH_SHARDS]);
    expect(new Set(partEvents)).toEqual(new Set([partEvents[0]]));
    expect(partEvents[0]).toBeLessThan(10);
    for (const run of runs) {
      expect(run.children).toHaveLength(MONTH_SHARDS);
      for (const child of run.children) {
        const batches = statesEntered(child).filter(
          (state) => state === 'BuildReports' || state === 'RebuildLateReports',
        ).length;
        expect(awsEvents(child)).toBe(4 + 7 * batches);
        // Pages hold 2 payments here: a shard's batches grow with its payments, not with the run's.
        // The late phase reads its two received-month partitions (at least one batch each, no late
        // payments here); the month phase one batch a page, plus one that finds the shard's end.
        const payments = (child.output as { tally: { payments: number } }).tally.payments;
        expect(batches).toBeLessThanOrEqual(2 + 1 + Math.ceil(payments / 2));
      }
    }
  });

  test('locally, each shard runs as a child execution that may take as long as the run itself (not the 60 s default of a Task)', () => {
    const map = workflow.workflow.definition.States.ReportShards!;
    const runner = (map.ItemProcessor as { States: Record<string, { Type: string; TimeoutSeconds?: number }> }).States[
      'ReportShards.ChildExecution'
    ];
    expect(runner).toMatchObject({ Type: 'Task', TimeoutSeconds: workflow.workflow.definition.TimeoutSeconds });
    expect(workflow.workflow.definition.TimeoutSeconds).toBe(21_600);
  });

  test('locally at most 16 shards run at once (one process stands in for 64 sandboxes); every shard still runs', async () => {
    const month = freshMonth();
    await storePayments(
      usersAcrossShards(40, 20).map((userId) => storedPayment({ userId, timestamp: `${month}-05T09:00:00.000Z` })),
    );
    let running = 0;
    let most = 0;
    const counted = reportWorkflow({
      RebuildLateReports: (handler) => async (event, context) => {
        most = Math.max(most, (running += 1));
        try {
          // Long enough for every shard that could start to have started.
          await new Promise((resolve) => setTimeout(resolve, 20));
          return await handler(event, context);
        } finally {
          running -= 1;
        }
      },
    });

    const execution = await runReport(counted, month);

    expect(summaryOf(execution)).toMatchObject({ users: 40, failedShards: [] });
    expect(execution.children).toHaveLength(MONTH_SHARDS);
    expect(most).toBe(LOCAL_CHILD_EXECUTIONS_AT_ONCE);
  });

  test('stopping a run stops its child executions, and the children still waiting their turn never start (as AWS stops a map run)', async () => {
    const month = freshMonth();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The events themselves synchronise the test: the slots filled, then every running child's end.
    let allStarted: () => void = () => undefined;
    const slotsFilled = new Promise<void>((resolve) => (allStarted = resolve));
    let allEnded: () => void = () => undefined;
    const childrenEnded = new Promise<void>((resolve) => (allEnded = resolve));
    let parentArn = '';
    const ended: ExecutionRecord[] = [];
    let started = 0;
    const stuck = testWorkflow(
      MONTHLY_REPORT_WORKFLOW,
      {
        RebuildLateReports:
          (handler: LambdaHandler): LambdaHandler =>
          async (event, context) => {
            if ((started += 1) === LOCAL_CHILD_EXECUTIONS_AT_ONCE) allStarted();
            await held;
            return handler(event, context);
          },
      },
      {
        onExecutionEnded: (record) => {
          ended.push(record);
          const children = ended.filter((each) => each.parentExecutionArn === parentArn);
          if (children.length === LOCAL_CHILD_EXECUTIONS_AT_ONCE) allEnded();
        },
      },
    );
    const run = stuck.start(`report-stop-${randomUUID()}`, { month });
    parentArn = run.executionArn;
    await slotsFilled;

    const stopped = await stuck.stop(run.executionArn, { error: 'Operator', cause: 'stopped by the test' });
    release();
    await childrenEnded;
    // One more turn of the event loop: a queued child wrongly started by a freed slot would show here.
    await new Promise((resolve) => setImmediate(resolve));

    expect(stopped?.status).toBe('ABORTED');
    const children = ended.filter((record) => record.parentExecutionArn === run.executionArn);
    expect(children).toHaveLength(LOCAL_CHILD_EXECUTIONS_AT_ONCE);
    expect(children.every((child) => child.status === 'ABORTED')).toBe(true);
    expect(started).toBe(LOCAL_CHILD_EXECUTIONS_AT_ONCE);
  });

  test("scheduled: the schedule's input (its scheduled time, no month) reports on the month before", async () => {
    const [month, next] = freshMonths();
    const userId = randomUUID();
    await storePayments([storedPayment({ userId, timestamp: `${month}-12T08:00:00.000Z` })]);

    // What EventBridge Scheduler sends: {"scheduledTime": "<aws.scheduler.scheduled-time>"}.
    const execution = await workflow.run({ scheduledTime: `${next}-01T02:00:00Z` });

    expect(summaryOf(execution)).toMatchObject({ month, users: 1, reported: 1, payments: 1 });
    expect((await reports.getReport(userId, month))?.month).toBe(month);
  });

  test('invalid month: the run fails at StartReportRun with InvalidMonth and writes nothing', async () => {
    const execution = await workflow.run({ month: '2026-13' });

    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('InvalidMonth');
    expect(statesEntered(execution)).toEqual(['StartReportRun']);
    expect(execution.children).toEqual([]);
    expect(await reports.getSummary('2026-13')).toBeUndefined();
  });
});
