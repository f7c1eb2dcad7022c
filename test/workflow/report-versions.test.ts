import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '#contract/environment';
import { type MonthlyReport, buildMonthlyReport } from '#domain/report';
import type { RunSummary } from '#domain/report-run';
import { DynamoDbReportRepository } from '#adapters/report-repository';
import { reportPartition, userShard } from '#adapters/table-keys';
import { itemsOfUser, testDocumentClient, testTableNames } from '../support/dynamodb';
import { clientKilledAfter, finishedBeforeKill } from '../support/killed-writer';
import {
  type ReportRunRecord,
  reportWorkflow,
  reportsRepository,
  runReport,
  storeManyPayments,
  storePayments,
  storedPayment,
  usersInShard,
  PAYMENTS_OF_SEVERAL_PARTS,
  PAYMENTS_OF_SEVERAL_SMALL_PARTS,
  rebuiltReports,
  severalPartsOfPayments,
  smallPartsRepository,
} from '../support/reports';
import { freshMonth, freshMonths } from '../support/fresh-months';

// A batch holds the user with thousands of payments whole.
process.env[ENV.reportPageSize] = '1000';

const reports = reportsRepository();

const summaryOf = (run: ReportRunRecord): RunSummary => {
  if (run.status !== 'SUCCEEDED') throw new Error(`Execution ${run.status}: ${run.error} ${run.cause}`);
  return run.output as RunSummary;
};

/** A payment of `month` received on the 1st of `received`, after the month was reported. */
const latePayment = (userId: string, month: string, day: number, received: string, description?: string) =>
  storedPayment({
    userId,
    timestamp: `${month}-${String(day).padStart(2, '0')}T08:00:00.000Z`,
    receivedAt: `${received}-01T01:00:00.000Z`,
    ...(description ? { description } : {}),
  });

/** A report read whole: one of the versions it may be, every payment it counts cited once. */
const expectWhole = (report: MonthlyReport | undefined, paymentCounts: readonly number[]): void => {
  expect(report).toBeDefined();
  expect(paymentCounts).toContain(report!.payments);
  expect(report!.commitments.reduce((sum, commitment) => sum + commitment.payments.length, 0)).toBe(report!.payments);
};

type Figures = { users: number; payments: number; commitments: number };

/** What the export streams for the month (the reports it joins), counted. */
const exportFigures = async (month: string): Promise<Figures> => {
  const figures = { users: 0, payments: 0, commitments: 0 };
  for await (const page of reports.reportsOfMonth(month, 100))
    for (const report of page) {
      expectWhole(report, [report.payments]);
      figures.users += 1;
      figures.payments += report.payments;
      figures.commitments += report.commitments.length;
    }
  return figures;
};

const summaryFigures = async (month: string): Promise<Figures> => {
  const summary = (await reports.getSummary(month))!;
  return { users: summary.reported, payments: summary.payments, commitments: summary.commitments };
};

/** The user's report items of the month: the head, and the parts of any version. */
const reportItems = async (userId: string, month: string): Promise<Array<Record<string, unknown>>> =>
  (await itemsOfUser(testDocumentClient(), testTableNames().payments, userId)).filter(
    (item) => item.pk === reportPartition(month, userShard(userId)),
  );

/** Every item is the head or a part of the version it names: no build left anything behind. */
const expectNoLeftovers = async (userId: string, month: string): Promise<void> => {
  const items = await reportItems(userId, month);
  const head = items.find((item) => item.part === 0)!;
  expect(items.filter((item) => item.part !== 0 && item.version !== head.version)).toEqual([]);
  expect(items).toHaveLength(head.parts as number);
};

describe('report versions: a report is replaced whole or not at all (real ASL, real handlers, DynamoDB Local)', () => {
  const workflow = reportWorkflow();

  test('a build killed at every write boundary: every report reads as the old or the new version, summary = export; the next run completes with no failed user and no leftovers', async () => {
    const [month, next] = freshMonths();
    const [big, small, lateUser, newUser] = usersInShard(4, 9) as [string, string, string, string];
    await storeManyPayments(severalPartsOfPayments(big, month, PAYMENTS_OF_SEVERAL_SMALL_PARTS));
    await storePayments([
      storedPayment({ userId: small, timestamp: `${month}-03T08:00:00.000Z` }),
      storedPayment({ userId: lateUser, timestamp: `${month}-04T08:00:00.000Z` }),
      storedPayment({ userId: big, timestamp: `${next}-02T08:00:00.000Z` }),
      storedPayment({ userId: small, timestamp: `${next}-02T08:00:00.000Z` }),
    ]);
    summaryOf(await runReport(workflow, month));
    const rebuilt = () => rebuiltReports([big, small], month);
    // Builds with a tenth of the part budget (SMALL_PART_BUDGET_BYTES): the old version is in parts too.
    const smallParts = (client?: DynamoDBDocumentClient) => smallPartsRepository(testTableNames().payments, client);
    await smallParts().putReports(await rebuilt(), 'parts-run');
    expect((await reportItems(big, month)).length).toBeGreaterThan(1);

    // One more payment of the big user arrives after the month was reported: its rebuild changes the figures.
    await storePayments([latePayment(big, month, 28, next)]);

    // The build dies before its first write, then before its second, ... until it finishes.
    let writes = 0;
    for (let finished = false; !finished; writes += 1) {
      finished = await finishedBeforeKill(
        smallParts(clientKilledAfter(writes)).putReports(await rebuilt(), 'killed-run'),
      );
      expectWhole(await reports.getReport(big, month), [
        PAYMENTS_OF_SEVERAL_SMALL_PARTS,
        PAYMENTS_OF_SEVERAL_SMALL_PARTS + 1,
      ]);
      expectWhole(await reports.getReport(small, month), [1]);
      expect(await exportFigures(month)).toEqual(await summaryFigures(month));
      expect(writes).toBeLessThan(20);
    }
    // Parts, head, superseded parts: every boundary between them was a kill.
    expect(writes).toBeGreaterThanOrEqual(4);
    expect((await reports.getReport(big, month))?.payments).toBe(PAYMENTS_OF_SEVERAL_SMALL_PARTS + 1);

    // Two more late payments: one more for a reported user, the first of a user the month had not named.
    await storePayments([latePayment(lateUser, month, 20, next), latePayment(newUser, month, 21, next)]);
    const execution = await runReport(workflow, next);
    const nextSummary = summaryOf(execution);

    expect(nextSummary).toMatchObject({ users: 2, reported: 2, failedUsers: 0, failures: [], failedShards: [] });
    expect(nextSummary.late).toMatchObject({ users: 3, failedUsers: 0 });
    // The month's summary follows the late rebuilds: it counts what its export holds.
    expect(await summaryFigures(month)).toEqual({
      users: 4,
      payments: PAYMENTS_OF_SEVERAL_SMALL_PARTS + 1 + 1 + 2 + 1,
      commitments: 6,
    });
    expect(await exportFigures(month)).toEqual(await summaryFigures(month));
    expect(await reports.getSummary(month)).toMatchObject({
      lastChangedBy: expect.any(String),
      lastChangedAt: expect.any(String),
    });
    for (const userId of [big, small, lateUser, newUser]) await expectNoLeftovers(userId, month);
  }, 300_000);

  test("a late rebuild changes its month's summary with its reports: summary = export, and the summary names the run", async () => {
    const [month, next] = freshMonths();
    const [reported, firstLate] = usersInShard(2, 31) as [string, string];
    await storePayments([storedPayment({ userId: reported, timestamp: `${month}-03T08:00:00.000Z` })]);
    summaryOf(await runReport(workflow, month));
    await storePayments([
      latePayment(reported, month, 4, next),
      latePayment(reported, month, 5, next, 'Gym'),
      latePayment(firstLate, month, 6, next),
    ]);
    const execution = await runReport(workflow, next);

    expect(summaryOf(execution).late).toMatchObject({ payments: 3, users: 2, reports: 2, failedUsers: 0 });
    expect(await summaryFigures(month)).toEqual({ users: 2, payments: 4, commitments: 3 });
    expect(await exportFigures(month)).toEqual(await summaryFigures(month));
    const shardRun = execution.children.find((child) => (child.input as { shard: number }).shard === 31)!;
    expect(await reports.getSummary(month)).toMatchObject({ lastChangedBy: shardRun.name });
  });

  test('reads while two runs rebuild a report of several parts: every read answers a whole report, never an error', async () => {
    const month = freshMonth();
    const [big, other] = usersInShard(2, 17) as [string, string];
    await storeManyPayments(severalPartsOfPayments(big, month));
    await storePayments([storedPayment({ userId: other, timestamp: `${month}-03T08:00:00.000Z` })]);
    summaryOf(await runReport(workflow, month));

    let running = true;
    const errors: string[] = [];
    let reads = 0;
    const poll = async (read: () => Promise<void>): Promise<void> => {
      while (running) {
        try {
          await read();
          reads += 1;
        } catch (error) {
          errors.push(String(error));
        }
      }
    };
    const polls = [
      poll(async () => expectWhole(await reports.getReport(big, month), [PAYMENTS_OF_SEVERAL_PARTS])),
      poll(async () => expect((await exportFigures(month)).users).toBe(2)),
    ];
    try {
      for (let run = 0; run < 2; run += 1) summaryOf(await runReport(workflow, month));
    } finally {
      running = false;
      await Promise.all(polls);
    }

    expect(errors).toEqual([]);
    expect(reads).toBeGreaterThan(4);
    await expectNoLeftovers(big, month);
  }, 300_000);

  test('an older build never replaces a newer one that is visible, and leaves nothing behind', async () => {
    const month = freshMonth();
    const [userId] = usersInShard(1, 23) as [string];
    const payments = Array.from({ length: 30 }, (_, i) =>
      storedPayment({ userId, timestamp: `${month}-${String(1 + (i % 27)).padStart(2, '0')}T08:00:00.000Z` }),
    );
    // A small part budget: the report is stored in several parts.
    const repository = new DynamoDbReportRepository(testDocumentClient(), testTableNames().payments, 1_500);
    const newer = buildMonthlyReport(userId, month, payments, undefined, '2026-12-01T02:00:00.000Z');
    await repository.putReports([newer]);
    await repository.putReports([{ ...newer, payments: 29, builtAt: '2026-12-01T01:00:00.000Z' }]);

    expect(await reports.getReport(userId, month)).toEqual(newer);
    expect((await reportItems(userId, month)).length).toBeGreaterThan(2);
    await expectNoLeftovers(userId, month);
  });
});
