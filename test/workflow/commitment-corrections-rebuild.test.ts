import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { ReadRequestEvent } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { movedCommitmentId } from '#domain/commitment-correction';
import { payeeKey } from '#domain/payee-key';
import type { MonthlyReport } from '#domain/report';
import type { RunSummary } from '#domain/report-run';
import { handler as correctCommitments } from '#handlers/correct-commitments';
import type { ExecutionRecord } from '#local/step-functions/execution-store';
import { paidOnTheFirst, reportWorkflow, reportsRepository, runReport, storePayments } from '../support/reports';
import { freshPastMonths } from '../support/fresh-months';

// Issue 20: a customer's correction (a merge, then a move to a new commitment) rebuilds the months
// it changes, through the real POST /commitments/corrections handler, the real monthly-report ASL
// and handlers, and DynamoDB Local. The months are in a past year of its own (freshPastMonths),
// so every due date has passed when the reports are built: an unpaid cycle is missed.

const reports = reportsRepository();

const succeeded = (execution: ExecutionRecord): RunSummary => {
  if (execution.status !== 'SUCCEEDED') throw new Error(`Execution ${execution.status}: ${execution.error}`);
  return execution.output as RunSummary;
};

const pastMonths = () => freshPastMonths(5) as [string, string, string, string, string];

// Two narratives of one gym that the payee key keeps apart: two commitments until the customer merges them.
const GYM = 'DD PUREGYM';
const GYM_AGAIN = 'DIRECT DEBIT PURE GYM LTD';
const GYM_ID = `GBP#${payeeKey(GYM)}`;
const GYM_AGAIN_ID = `GBP#${payeeKey(GYM_AGAIN)}`;

/**
 * POST /commitments/corrections as API Gateway hands it to the function, with the customer's own
 * token's claims, made at `at` (the handler dates the correction by its clock, and the report run
 * finds it in the lateArrivals index of the month it was made).
 */
const postCorrection = async (userId: string, body: object, at: string): Promise<{ status: number; body: unknown }> => {
  const event: ReadRequestEvent = {
    pathParameters: null,
    queryStringParameters: null,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    requestContext: {
      requestId: randomUUID(),
      authorizer: { claims: { sub: userId, scope: `${SCOPES.read} ${SCOPES.write}`, client_id: 'local-user-app' } },
    },
  };
  jest.useFakeTimers({
    now: new Date(at),
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  try {
    const answer = await correctCommitments(event, {} as Context);
    return { status: answer.statusCode, body: JSON.parse((answer as { body: string }).body) };
  } finally {
    jest.useRealTimers();
  }
};

const commitmentsOf = (report: MonthlyReport | undefined) =>
  (report?.commitments ?? []).map((commitment) => ({
    commitmentId: commitment.commitmentId,
    streak: commitment.streak,
    history: commitment.history.slice(0, 4).map(({ status }) => status),
    profile: commitment.paymentHistoryProfile.slice(0, 6),
    payments: commitment.payments.map(({ id }) => id),
  }));

/** A reported commitment as the test reads it: id, streak, its latest 4 months, the profile's first 6, cited payments. */
const row = (commitmentId: string, streak: number, history: string[], profile: string, payments: string[]) => ({
  commitmentId,
  streak,
  history,
  profile,
  payments,
});

/** The report's commitments are in id order. */
const byId = <T extends { commitmentId: string }>(rows: T[]): T[] =>
  rows.sort((a, b) => (a.commitmentId < b.commitmentId ? -1 : 1));

describe('a customer correction rebuilds commitments, streaks and histories (real handler, ASL, DynamoDB Local)', () => {
  const workflow = reportWorkflow();

  test('a merge rebuilds the earlier months as one commitment; a move to new gives a commitment of its own', async () => {
    const [m1, m2, m3, m4, m5] = pastMonths();
    expect(GYM_ID).not.toBe(GYM_AGAIN_ID);
    const userId = randomUUID();
    const gym = (month: string, description: string) => paidOnTheFirst(userId, month, description);
    const payments = [gym(m1, GYM), gym(m2, GYM_AGAIN), gym(m3, GYM), gym(m4, GYM_AGAIN)];
    const [p1, p2, p3, p4] = payments.map(({ id }) => id) as [string, string, string, string];
    await storePayments(payments);
    for (const month of [m1, m2, m3]) succeeded(await runReport(workflow, month));

    // Before the correction: two commitments of one gym, each with gaps.
    expect(commitmentsOf(await reports.getReport(userId, m3))).toEqual([
      row(GYM_AGAIN_ID, 0, ['missed', 'kept', 'none', 'none'], '10BBBB', []),
      row(GYM_ID, 1, ['kept', 'missed', 'kept', 'none'], '010BBB', [p3]),
    ]);

    // The customer merges them during m4, as POST /commitments/corrections does.
    const merge = await postCorrection(
      userId,
      { kind: 'merge', from: GYM_AGAIN_ID, into: GYM_ID },
      `${m4}-15T10:00:00.000Z`,
    );
    expect(merge).toEqual({
      status: 201,
      body: expect.objectContaining({
        rebuildFrom: m1,
        correction: expect.objectContaining({ kind: 'merge', by: userId }),
      }),
    });

    const merged = succeeded(await runReport(workflow, m4));
    // One correction read from the lateArrivals index; m1 to m3 rebuilt for the one user.
    expect(merged.late).toMatchObject({ payments: 1, users: 1, reports: 3, failedUsers: 0 });
    expect(commitmentsOf(await reports.getReport(userId, m1))).toEqual([
      row(GYM_ID, 1, ['kept', 'none', 'none', 'none'], '0BBBBB', [p1]),
    ]);
    expect(commitmentsOf(await reports.getReport(userId, m2))).toEqual([
      row(GYM_ID, 2, ['kept', 'kept', 'none', 'none'], '00BBBB', [p2]),
    ]);
    expect(commitmentsOf(await reports.getReport(userId, m3))).toEqual([
      row(GYM_ID, 3, ['kept', 'kept', 'kept', 'none'], '000BBB', [p3]),
    ]);
    // m4's payment under the merged-away narrative goes to the merged commitment too.
    expect(commitmentsOf(await reports.getReport(userId, m4))).toEqual([
      row(GYM_ID, 4, ['kept', 'kept', 'kept', 'kept'], '0000BB', [p4]),
    ]);

    // During m5 the customer moves m2's payment to a new commitment; the run of m5 rebuilds m2 to m4.
    const move = await postCorrection(userId, { kind: 'move', paymentId: p2, into: 'new' }, `${m5}-10T10:00:00.000Z`);
    expect(move).toEqual({ status: 201, body: expect.objectContaining({ rebuildFrom: m2 }) });
    const moved = succeeded(await runReport(workflow, m5));
    expect(moved.late).toMatchObject({ payments: 1, users: 1, reports: 3, failedUsers: 0 });
    const movedId = movedCommitmentId('GBP', payeeKey(GYM_AGAIN), p2);
    expect(commitmentsOf(await reports.getReport(userId, m2))).toEqual(
      byId([
        row(GYM_ID, 0, ['missed', 'kept', 'none', 'none'], '10BBBB', []),
        row(movedId, 1, ['kept', 'none', 'none', 'none'], '0BBBBB', [p2]),
      ]),
    );
    // Later payments of the moved payment's payee follow it (m4's); the gym keeps m1 and m3.
    expect(commitmentsOf(await reports.getReport(userId, m4))).toEqual(
      byId([
        row(GYM_ID, 0, ['missed', 'kept', 'missed', 'kept'], '1010BB', []),
        row(movedId, 1, ['kept', 'missed', 'kept', 'none'], '010BBB', [p4]),
      ]),
    );
  }, 180_000);
});
