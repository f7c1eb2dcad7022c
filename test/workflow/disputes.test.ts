import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { SCOPES } from '#contract/scopes';
import { payeeKey } from '#domain/payee-key';
import type { MonthlyReport } from '#domain/report';
import type { RunSummary } from '#domain/report-run';
import { OPEN_DISPUTES_LOG } from '#contract/dispute-check';
import { DynamoDbDisputeRepository } from '#adapters/dispute-repository';
import { DisputeAlreadyResolvedError, fileDispute as filed, resolveDispute as resolved } from '#domain/dispute';
import { handler as checkOverdueDisputes } from '#handlers/check-overdue-disputes';
import { handler as fileDispute } from '#handlers/file-dispute';
import { handler as getDispute } from '#handlers/get-dispute';
import { handler as listDisputes } from '#handlers/list-disputes';
import { handler as resolveDispute } from '#handlers/resolve-dispute';
import type { ExecutionRecord } from '#local/step-functions/execution-store';
import { disputeKey } from '#adapters/table-keys';
import { testDocumentClient, testTableNames } from '../support/dynamodb';
import { callAt } from '../support/function-route';
import { reportWorkflow, reportsRepository, runReport, storePayments, storedPayment } from '../support/reports';
import { freshPastMonths } from '../support/fresh-months';

// Issue 22: a disputed month is `disputed` (neither kept nor missed) with XB until operations resolve it; after
// `deleted` it is not reported. Through the real dispute handlers, the real monthly-report ASL and handlers, and
// DynamoDB Local. The months are in a past year of its own, so every due date has passed: an unpaid cycle is missed.

const reports = reportsRepository();
const GYM = 'DD PUREGYM';
const GYM_ID = `GBP#${payeeKey(GYM)}`;

const succeeded = (execution: ExecutionRecord): RunSummary => {
  if (execution.status !== 'SUCCEEDED') throw new Error(`Execution ${execution.status}: ${execution.error}`);
  return execution.output as RunSummary;
};

const customer = (userId: string) => ({
  sub: userId,
  scope: `${SCOPES.read} ${SCOPES.write}`,
  client_id: 'local-user-app',
});
const OPERATIONS = {
  sub: 'local-operations',
  scope: `${SCOPES.read} ${SCOPES.reportsAdmin} ${SCOPES.disputesAdmin}`,
  client_id: 'local-operations',
};

const gymOf = (report: MonthlyReport | undefined) => {
  const commitment = report?.commitments.find((held) => held.commitmentId === GYM_ID);
  return {
    history: commitment?.history.slice(0, 6).map(({ status }) => status),
    streak: commitment?.streak,
    profile: commitment?.paymentHistoryProfile.slice(0, 6),
    complianceCondition: commitment?.complianceCondition,
    deletedMonths: commitment?.deletedMonths,
  };
};

describe('a disputed month (real handlers, ASL, DynamoDB Local)', () => {
  const workflow = reportWorkflow();

  test('open: disputed and XB, neither kept nor missed; deleted: no longer reported', async () => {
    const [m1, m2, m3, m4, m5, m6] = freshPastMonths(6) as [string, string, string, string, string, string];
    const userId = randomUUID();
    const gym = (month: string) =>
      storedPayment({
        userId,
        timestamp: `${month}-01T08:00:00.000Z`,
        localDate: `${month}-01`,
        description: GYM,
        amount: '35.00',
        amountMinor: 3500,
        receivedAt: `${month}-01T08:01:00.000Z`,
      });
    // m3 unpaid: missed.
    await storePayments([m1, m2, m4, m5, m6].map(gym));
    for (const month of [m1, m2, m4]) succeeded(await runReport(workflow, month));
    expect(gymOf(await reports.getReport(userId, m4))).toMatchObject({
      history: ['kept', 'missed', 'kept', 'kept', 'none', 'none'],
      streak: 1,
      complianceCondition: null,
    });

    const filed = await callAt(
      fileDispute,
      customer(userId),
      { body: { commitmentId: GYM_ID, month: m3, reason: 'paid-on-time', text: 'Paid in cash at the desk' } },
      `${m5}-10T10:00:00.000Z`,
    );
    expect(filed).toMatchObject({ status: 201, body: { state: 'open', month: m3, userId } });
    const disputeId = filed.body.disputeId as string;
    // The same month again while open: 409.
    const again = await callAt(
      fileDispute,
      customer(userId),
      { body: { commitmentId: GYM_ID, month: m3, reason: 'other', text: 'Again' } },
      `${m5}-11T10:00:00.000Z`,
    );
    expect(again.status).toBe(409);

    succeeded(await runReport(workflow, m5));
    const disputed = { history: ['kept', 'disputed', 'kept', 'kept', 'none', 'none'], streak: 3, profile: '0D00BB' };
    expect(gymOf(await reports.getReport(userId, m4))).toMatchObject({ ...disputed, complianceCondition: 'XB' });
    expect(gymOf(await reports.getReport(userId, m5))).toMatchObject({
      history: ['kept', 'kept', 'disputed', 'kept', 'kept', 'none'],
      streak: 4,
      complianceCondition: 'XB',
    });

    const resolved = await callAt(
      resolveDispute,
      OPERATIONS,
      { id: disputeId, body: { outcome: 'deleted', note: 'The bank confirmed the cash payment' } },
      `${m6}-02T09:00:00.000Z`,
    );
    expect(resolved).toMatchObject({ status: 200, body: { state: 'deleted', resolution: { by: 'local-operations' } } });
    const twice = await callAt(
      resolveDispute,
      OPERATIONS,
      { id: disputeId, body: { outcome: 'verified', note: 'Second thoughts' } },
      `${m6}-02T09:05:00.000Z`,
    );
    expect(twice.status).toBe(409);
    const seen = await callAt(getDispute, customer(userId), { id: disputeId }, `${m6}-03T09:00:00.000Z`);
    expect(seen).toMatchObject({ status: 200, body: { state: 'deleted', resolution: { outcome: 'deleted' } } });
    expect((await callAt(getDispute, customer(randomUUID()), { id: disputeId }, `${m6}-03T09:00:00.000Z`)).status).toBe(
      404,
    );

    succeeded(await runReport(workflow, m6));
    expect(gymOf(await reports.getReport(userId, m6))).toEqual({
      history: ['kept', 'kept', 'kept', 'none', 'kept', 'kept'],
      streak: 3,
      profile: '000B00',
      complianceCondition: null,
      deletedMonths: [m3],
    });
  }, 180_000);
});

describe('the daily overdue check, CheckOverdueDisputes (real handler, DynamoDB Local)', () => {
  const DAY_MS = 86_400_000;
  const disputes = () => new DynamoDbDisputeRepository(testDocumentClient(), testTableNames().payments);
  const request = { commitmentId: GYM_ID, month: '2026-09', paymentId: null, reason: 'other' as const, text: 'x' };

  /** The handler's answer and what it logged (the Logger's calls: the line the metric filters read). */
  const check = async () => {
    const calls: unknown[][] = [];
    const spies = (['info', 'warn'] as const).map((level) =>
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
        calls.push(args);
      }),
    );
    try {
      const summary = await checkOverdueDisputes({ requestId: randomUUID() }, { functionName: 'test' } as Context);
      const line = calls.find(([message]) => message === OPEN_DISPUTES_LOG.message);
      return { summary, line: JSON.stringify(line ?? []) };
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  };

  test('open disputes of 31 and 29 days are counted open, the first overdue; the line holds counts only (no id, no user)', async () => {
    const userId = randomUUID();
    const before = (await check()).summary;
    const at = (days: number) => new Date(Date.now() - days * DAY_MS - 60_000).toISOString();
    const late = filed(randomUUID(), userId, request, { at: at(31), by: userId, clientId: 'local-user-app' });
    const recent = filed(randomUUID(), userId, request, { at: at(29), by: userId, clientId: 'local-user-app' });
    await disputes().file(late);
    await disputes().file(recent);
    // The other files of this run file disputes too (this table is shared): counted up from before, not exactly.
    const { summary, line } = await check();
    expect(summary.open).toBeGreaterThanOrEqual(before.open + 2);
    expect(summary.overdue).toBeGreaterThanOrEqual(before.overdue + 1);
    expect(summary.oldestOpenAgeDays).toBeGreaterThanOrEqual(31);
    expect(JSON.parse(line)).toEqual([
      OPEN_DISPUTES_LOG.message,
      { open: summary.open, overdue: summary.overdue, oldestOpenAgeDays: summary.oldestOpenAgeDays },
    ]);
    for (const secret of [userId, late.disputeId, recent.disputeId]) expect(line).not.toContain(secret);
  });
});

describe("operations' open disputes (pattern 7: the open markers, real handlers, DynamoDB Local)", () => {
  const DAY_MS = 86_400_000;
  const disputes = () => new DynamoDbDisputeRepository(testDocumentClient(), testTableNames().payments);
  const request = (month: string) => ({
    commitmentId: GYM_ID,
    month,
    paymentId: null,
    reason: 'other' as const,
    text: 'x',
  });

  /** GET /disputes as operations (open ones by default), with every Query the SDK sent meanwhile. */
  const listOpen = async () => {
    const send = jest.spyOn(DynamoDBDocumentClient.prototype, 'send');
    try {
      const answer = await callAt(listDisputes, OPERATIONS, {}, new Date().toISOString());
      const queries = send.mock.calls.map(([command]) => command).filter((command) => command instanceof QueryCommand);
      const listed = answer.body.disputes as { disputeId: string; state: string; ageDays: number }[];
      return { status: answer.status, listed, queries: queries.map((query) => (query as QueryCommand).input) };
    } finally {
      send.mockRestore();
    }
  };

  test('two filed: listed oldest first in one Query (no index, no shard); resolved: it leaves the list; a resolution refused by its condition leaves its marker', async () => {
    const userId = randomUUID();
    const at = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();
    const step = (days: number) => ({ at: at(days), by: userId, clientId: 'local-user-app' });
    // Filed newest first, so the order listed is the filing time's, not the writes'.
    const newer = filed(randomUUID(), userId, request('2026-08'), step(2));
    const older = filed(randomUUID(), userId, request('2026-07'), step(5));
    await disputes().file(newer);
    await disputes().file(older);
    const mine = (listed: { disputeId: string }[]) =>
      listed.filter(({ disputeId }) => [older.disputeId, newer.disputeId].includes(disputeId));

    const first = await listOpen();
    expect(first.status).toBe(200);
    expect(mine(first.listed)).toMatchObject([
      { disputeId: older.disputeId, state: 'open', ageDays: 5, text: 'x' },
      { disputeId: newer.disputeId, state: 'open', ageDays: 2 },
    ]);
    expect(first.queries).toHaveLength(1);
    expect(first.queries[0]).toMatchObject({ KeyConditionExpression: 'pk = :pk' });
    expect(first.queries[0]?.IndexName).toBeUndefined();

    const answer = await callAt(
      resolveDispute,
      OPERATIONS,
      { id: older.disputeId, body: { outcome: 'verified', note: 'Checked with the bank' } },
      new Date().toISOString(),
    );
    expect(answer.status).toBe(200);
    const second = await listOpen();
    expect(mine(second.listed).map(({ disputeId }) => disputeId)).toEqual([newer.disputeId]);
    expect(second.queries).toHaveLength(1);
    const markers = async () => (await disputes().openMarkers()).map(({ disputeId }) => disputeId);
    expect(await markers()).not.toContain(older.disputeId);

    // A resolution already stored (as a concurrent resolver's would be): the second one's transaction is refused whole.
    const { pk } = disputeKey(newer.disputeId, 'RESOLVED');
    const other = resolved(newer, { outcome: 'verified', note: 'First' }, { at: at(0), by: 'ops-a', clientId: 'x' });
    await testDocumentClient().send(
      new PutCommand({ TableName: testTableNames().payments, Item: { pk, sk: 'RESOLVED', dispute: other } }),
    );
    const refused = resolved(newer, { outcome: 'deleted', note: 'Second' }, { at: at(0), by: 'ops-b', clientId: 'x' });
    await expect(disputes().resolve(refused)).rejects.toBeInstanceOf(DisputeAlreadyResolvedError);
    expect(await markers()).toContain(newer.disputeId);
    // The list reads each dispute by key: one resolved since its marker was read is not listed as open.
    expect(mine((await listOpen()).listed)).toEqual([]);
  });
});
