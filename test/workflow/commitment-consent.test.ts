import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { type ReadRequestEvent, type StreamedHttpResponse, isStreamed } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { payeeKey } from '#domain/payee-key';
import type { ExecutionRecord } from '#local/step-functions/execution-store';
import { ENV } from '#contract/environment';
import { DynamoDbConsentRepository } from '#adapters/consent-repository';
import { answer as exportReports } from '#handlers/export-reports';
import { runOps } from '#ops/cli';
import { testDocumentClient, testTableNames } from '../support/dynamodb';
import { handler as setConsent } from '#handlers/set-commitment-consent';
import {
  paidOnTheFirst,
  reportWorkflow,
  reportsRepository,
  runReport,
  storePayments,
  storedPayment,
} from '../support/reports';
import { freshMonths } from '../support/fresh-months';

// Issue 22: a customer's consent, set through the real PUT /commitments/{id}/consent handler, decides which
// commitments the next report run's bureau export carries (real monthly-report ASL and handlers, DynamoDB Local).

const GYM = 'DD PUREGYM';
const PHONE = 'DD VODAFONE LTD';
const GYM_ID = `GBP#${payeeKey(GYM)}`;
const PHONE_ID = `GBP#${payeeKey(PHONE)}`;

const consentRepository = () => new DynamoDbConsentRepository(testDocumentClient(), testTableNames().payments);

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
    const paid = (month: string, description: string) => paidOnTheFirst(userId, month, description);
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

    // Operations read the same records through npm run ops (the local stack's table, as AWS's with --payments-table).
    const printed: string[] = [];
    const ops = [
      '--dynamodb-endpoint',
      process.env[ENV.dynamodbEndpoint]!,
      '--payments-table',
      testTableNames().payments,
    ];
    expect(await runOps(['consent', userId, GYM_ID, '--json', ...ops], (text) => printed.push(text))).toBe(0);
    expect((JSON.parse(printed[0]!) as { from: boolean; to: boolean }[]).map(({ from, to }) => [from, to])).toEqual([
      [false, true],
      [true, false],
    ]);
    expect(await runOps(['consent', userId, PHONE_ID, ...ops], (text) => printed.push(text))).toBe(0);
    expect(printed[1]).toMatch(/No consent changes/);

    // A commitment's answer holds its own changes only, never the customer's other commitments'.
    const phoneIn = await putConsent(userId, PHONE_ID, true, `${m3}-03T10:00:00.000Z`);
    expect(phoneIn.body.changes).toEqual([expect.objectContaining({ commitmentId: PHONE_ID, from: false, to: true })]);
  }, 180_000);

  test("another user's commitment is 404, a bad body 400 naming the field, an integration's token 403: nothing kept", async () => {
    const [m1] = freshMonths();
    const userId = randomUUID();
    await storePayments([
      storedPayment({
        userId,
        timestamp: `${m1}-01T08:00:00.000Z`,
        localDate: `${m1}-01`,
        description: GYM,
        amount: '35.00',
        amountMinor: 3500,
        receivedAt: `${m1}-01T08:01:00.000Z`,
      }),
    ]);
    succeeded(await runReport(workflow, m1));
    const at = `${m1}-20T10:00:00.000Z`;
    expect((await putConsent(randomUUID(), GYM_ID, true, at)).status).toBe(404);
    const bad = await putConsent(userId, GYM_ID, 'yes', at);
    expect(bad).toEqual({
      status: 400,
      body: expect.objectContaining({
        type: expect.stringMatching(/invalid-consent$/),
        errors: [expect.objectContaining({ field: 'report' })],
      }),
    });
    const claims = {
      sub: 'bank-feed-client',
      scope: `${SCOPES.write} ${SCOPES.submitOnBehalf}`,
      client_id: 'bank-feed',
    };
    const integration = await setConsent(event(claims, { id: GYM_ID }, {}, { report: true }), {} as Context);
    expect(integration.statusCode).toBe(403);
    expect(await consentRepository().ofUser(userId)).toEqual([]);
  }, 180_000);
});
