import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { type ReadRequestEvent, type StreamedHttpResponse, isStreamed } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { payeeKey } from '#domain/payee-key';
import type { ExecutionRecord } from '#local/step-functions/execution-store';
import { answer as exportReports } from '#handlers/export-reports';
import { handler as setConsent } from '#handlers/set-commitment-consent';
import {
  freshMonths,
  reportWorkflow,
  reportsRepository,
  runReport,
  storePayments,
  storedPayment,
} from '../support/reports';

// Issue 22: a customer's consent, set through the real PUT /commitments/{id}/consent handler, decides which
// commitments the next report run's bureau export carries (real monthly-report ASL and handlers, DynamoDB Local).

const GYM = 'DD PUREGYM';
const PHONE = 'DD VODAFONE LTD';
const GYM_ID = `GBP#${payeeKey(GYM)}`;
const PHONE_ID = `GBP#${payeeKey(PHONE)}`;

const succeeded = (execution: ExecutionRecord): void => {
  if (execution.status !== 'SUCCEEDED') throw new Error(`Execution ${execution.status}: ${execution.error}`);
};

const event = (
  claims: Record<string, string>,
  params: Record<string, string>,
  query: Record<string, string> = {},
  body?: object,
): ReadRequestEvent => ({
  pathParameters: params,
  queryStringParameters: query,
  headers: { 'Content-Type': 'application/json' },
  body: body === undefined ? null : JSON.stringify(body),
  requestContext: { requestId: randomUUID(), authorizer: { claims } },
});

/** The PUT as API Gateway hands it to the function, the customer's own token, made at `at` (the handler's clock). */
const putConsent = async (userId: string, commitmentId: string, report: unknown, at: string) => {
  const claims = { sub: userId, scope: `${SCOPES.read} ${SCOPES.write}`, client_id: 'local-user-app' };
  jest.useFakeTimers({ now: new Date(at), doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'clearTimeout'] });
  try {
    const answer = await setConsent(event(claims, { id: commitmentId }, {}, { report }), {} as Context);
    return { status: answer.statusCode, body: JSON.parse(answer.body) as Record<string, unknown> };
  } finally {
    jest.useRealTimers();
  }
};

/** The month's export as JSON Lines for the audience, the rows of one user. */
const exported = async (month: string, userId: string, audience?: string) => {
  const claims = { sub: 'operations-client', scope: SCOPES.reportsAdmin, client_id: 'operations-client' };
  const query = { format: 'jsonl', ...(audience ? { audience } : {}) };
  const answer = await exportReports(event(claims, { month }, query), {} as Context);
  if (!isStreamed(answer)) throw new Error(`Export answered ${answer.statusCode}: ${answer.body}`);
  let text = '';
  for await (const chunk of (answer as StreamedHttpResponse).body) text += chunk;
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { userId: string; commitmentId: string; consent: boolean })
    .filter((row) => row.userId === userId)
    .map((row) => [row.commitmentId, row.consent]);
};

describe('consent per commitment decides the bureau export (real handlers, ASL, DynamoDB Local)', () => {
  const workflow = reportWorkflow();

  test('opted out by default; opted in appears from the next run; opted out again leaves it out, earlier months kept', async () => {
    const [m1, m2, m3] = freshMonths();
    const userId = randomUUID();
    const paid = (month: string, description: string) =>
      storedPayment({
        userId,
        timestamp: `${month}-01T08:00:00.000Z`,
        localDate: `${month}-01`,
        description,
        amount: '35.00',
        amountMinor: 3500,
        receivedAt: `${month}-01T08:01:00.000Z`,
      });
    await storePayments([m1, m2, m3].flatMap((month) => [paid(month, GYM), paid(month, PHONE)]));
    succeeded(await runReport(workflow, m1));
    // The stage default (opted out): the report says so, the bureau gets nothing.
    const m1Report = await reportsRepository().getReport(userId, m1);
    expect(m1Report?.commitments.map((commitment) => commitment.consent)).toEqual([
      { report: false, changedAt: null },
      { report: false, changedAt: null },
    ]);
    expect(await exported(m1, userId, 'bureau')).toEqual([]);

    const optIn = await putConsent(userId, GYM_ID, true, `${m2}-02T10:00:00.000Z`);
    expect(optIn).toEqual({
      status: 200,
      body: {
        commitmentId: GYM_ID,
        consent: { report: true, changedAt: `${m2}-02T10:00:00.000Z` },
        changes: [expect.objectContaining({ from: false, to: true, by: userId, clientId: 'local-user-app' })],
      },
    });
    succeeded(await runReport(workflow, m2));
    expect(await exported(m2, userId, 'bureau')).toEqual([[GYM_ID, true]]);
    expect(await exported(m2, userId)).toEqual(
      [
        [GYM_ID, true],
        [PHONE_ID, false],
      ].sort(),
    );

    const optOut = await putConsent(userId, GYM_ID, false, `${m3}-02T10:00:00.000Z`);
    expect(optOut.body.changes).toEqual([
      expect.objectContaining({ from: false, to: true }),
      expect.objectContaining({ from: true, to: false }),
    ]);
    succeeded(await runReport(workflow, m3));
    expect(await exported(m3, userId, 'bureau')).toEqual([]);
    // The month already exported is not rewritten.
    expect(await exported(m2, userId, 'bureau')).toEqual([[GYM_ID, true]]);
  }, 180_000);
});
