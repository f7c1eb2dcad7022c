import { randomUUID } from 'node:crypto';
import { SCOPES } from '#contract/scopes';
import { payeeKey } from '#domain/payee-key';
import type { MonthlyReport } from '#domain/report';
import type { RunSummary } from '#domain/report-run';
import { handler as reversePayment } from '#handlers/reverse-payment';
import type { ExecutionRecord } from '#local/step-functions/execution-store';
import { callAt } from '../support/function-route';
import { expectPublishedAnswer } from '../support/openapi-answers';
import {
  paidOnTheFirst,
  paymentsRepository,
  reportWorkflow,
  reportsRepository,
  runReport,
  storePayments,
} from '../support/reports';
import { freshPastMonths } from '../support/fresh-months';

// Issue 22, item 3: a payment the bank returned no longer counts as kept. Through the real POST /payments/{id}/reversal
// handler, the real monthly-report ASL and handlers, and DynamoDB Local: the reversal breaks the streak at its month,
// and the next run rebuilds that month and the later ones. The months are in a past year of its own (freshPastMonths),
// so every due date has passed: an unpaid cycle is missed.

const reports = reportsRepository();
const RENT = 'DD ACME LETTINGS';
const RENT_ID = `GBP#${payeeKey(RENT)}`;
const FEED = {
  sub: 'local-integration',
  scope: `${SCOPES.write} ${SCOPES.submitOnBehalf}`,
  client_id: 'local-integration',
};

const succeeded = (execution: ExecutionRecord): RunSummary => {
  if (execution.status !== 'SUCCEEDED') throw new Error(`Execution ${execution.status}: ${execution.error}`);
  return execution.output as RunSummary;
};

const pastMonths = (): string[] => freshPastMonths(5);

/** The rent commitment as the test reads it: streak, its latest 4 months, the reversed months, cited payments. */
const rentOf = (report: MonthlyReport | undefined) => {
  const rent = report?.commitments.find((commitment) => commitment.commitmentId === RENT_ID);
  return {
    streak: rent?.streak,
    history: rent?.history.slice(0, 4).map(({ status }) => status),
    reversedMonths: rent?.reversedMonths,
    payments: rent?.payments.map(({ id }) => id),
    reversed: rent?.reversedPayments?.map(({ id, reversal }) => ({ id, reversal })),
  };
};

describe('a reversed payment breaks the streak at its month; the next run corrects the later months', () => {
  const workflow = reportWorkflow();

  test('reversed during m4: m2 missed from the m4 run on, m3 and m4 streaks rebuilt; replay 200, another 409', async () => {
    const [m1, m2, m3, m4] = pastMonths() as [string, string, string, string];
    const userId = randomUUID();
    const payments = [m1, m2, m3, m4].map((month) => ({
      ...paidOnTheFirst(userId, month, RENT),
      clientId: FEED.client_id,
      submittedBy: FEED.sub,
    }));
    const [, p2, p3, p4] = payments.map(({ id }) => id) as [string, string, string, string];
    await storePayments(payments);
    for (const month of [m1, m2, m3]) succeeded(await runReport(workflow, month));
    expect(rentOf(await reports.getReport(userId, m3))).toMatchObject({
      streak: 3,
      history: ['kept', 'kept', 'kept', 'none'],
      reversedMonths: [],
    });

    // The feed reports m2's payment returned unpaid, during m4.
    const body = { reason: 'returned-unpaid', reversedOn: `${m2}-06` };
    const at = `${m4}-15T10:00:00.000Z`;
    const reversed = await callAt(reversePayment, FEED, { id: p2, body }, at);
    expect(reversed).toMatchObject({
      status: 201,
      body: { paymentId: p2, ...body, note: null, by: FEED.sub, clientId: FEED.client_id, recordedAt: at },
    });
    expectPublishedAnswer('POST /payments/{id}/reversal', reversed.status, reversed.body);
    const again = await callAt(reversePayment, FEED, { id: p2, body }, `${m4}-16T10:00:00.000Z`);
    expect(again).toMatchObject({ status: 200, headers: { 'Idempotent-Replayed': 'true' }, body: reversed.body });
    const other = await callAt(
      reversePayment,
      FEED,
      { id: p2, body: { ...body, reason: 'insufficient-funds' } },
      `${m4}-16T10:00:00.000Z`,
    );
    expect(other).toMatchObject({ status: 409, body: { type: expect.stringMatching(/reversal-conflict$/) } });
    // The payment stays stored, with its reversal (the first one).
    expect(await paymentsRepository().get(p2)).toMatchObject({ id: p2, amount: '35.00', reversal: reversed.body });

    const run = succeeded(await runReport(workflow, m4));
    // The reversal read from the lateArrivals index of m4: m2 and m3 rebuilt for the one user.
    expect(run.late).toMatchObject({ payments: 1, users: 1, reports: 2, failedUsers: 0 });
    const reversal = { reason: 'returned-unpaid', reversedOn: `${m2}-06` };
    const m2Report = await reports.getReport(userId, m2);
    expectPublishedAnswer('GET /reports/{month}', 200, m2Report);
    expect(rentOf(m2Report)).toEqual({
      streak: 0,
      history: ['missed', 'kept', 'none', 'none'],
      reversedMonths: [m2],
      payments: [],
      reversed: [{ id: p2, reversal }],
    });
    expect(rentOf(await reports.getReport(userId, m3))).toEqual({
      streak: 1,
      history: ['kept', 'missed', 'kept', 'none'],
      reversedMonths: [m2],
      payments: [p3],
      reversed: [],
    });
    const m4Report = await reports.getReport(userId, m4);
    expect(rentOf(m4Report)).toEqual({
      streak: 2,
      history: ['kept', 'kept', 'missed', 'kept'],
      reversedMonths: [m2],
      payments: [p4],
      reversed: [],
    });
    expect(m4Report?.commitments[0]?.paymentHistoryProfile.slice(0, 4)).toBe('0010');
  }, 180_000);
});
