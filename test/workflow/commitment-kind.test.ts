import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { ReadRequestEvent } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { accountFromCommitment } from '#domain/metro2/account';
import { payeeKey } from '#domain/payee-key';
import type { Commitment } from '#domain/report';
import type { ExecutionRecord } from '#local/step-functions/execution-store';
import { DynamoDbKindRepository } from '#adapters/kind-repository';
import { handler as setKind } from '#handlers/set-commitment-kind';
import { handler as setConsent } from '#handlers/set-commitment-consent';
import { testDocumentClient, testTableNames } from '../support/dynamodb';
import { paidOnTheFirst, reportWorkflow, reportsRepository, runReport, storePayments } from '../support/reports';
import { freshMonths } from '../support/fresh-months';

// Issue 23: the customer's kind choice, set through the real PUT /commitments/{id}/kind handler, reaches the next
// report run's report and the commitment's Metro 2 Account Type; an integration's payee.kind wins (real
// monthly-report ASL and handlers, DynamoDB Local).

const RENT = 'SO ACME LETTINGS';
const RENT_ID = `GBP#${payeeKey(RENT)}`;
const WATER_ID = 'GBP#ref#WATER-77';
const CONSUMER = {
  surname: 'Public',
  firstName: 'Jo',
  dateOfBirth: '1990-01-01',
  addressLine1: '1 Main St',
  city: 'Austin',
  state: 'TX',
  postalCode: '73301',
  countryCode: 'US',
};

const succeeded = (execution: ExecutionRecord): void => {
  if (execution.status !== 'SUCCEEDED') throw new Error(`Execution ${execution.status}: ${execution.error}`);
};

/** The PUT as API Gateway hands it to the function, the customer's own token, made at `at` (the handler's clock). */
const put = async (
  handler: typeof setKind,
  userId: string,
  path: { id: string },
  body: object,
  at: string,
): Promise<{ status: number; body: Record<string, unknown> }> => {
  const event: ReadRequestEvent = {
    pathParameters: path,
    queryStringParameters: {},
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    requestContext: {
      requestId: randomUUID(),
      authorizer: { claims: { sub: userId, scope: `${SCOPES.read} ${SCOPES.write}`, client_id: 'local-user-app' } },
    },
  };
  jest.useFakeTimers({ now: new Date(at), doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'clearTimeout'] });
  try {
    const answer = await handler(event, {} as Context);
    return { status: answer.statusCode, body: JSON.parse(answer.body) as Record<string, unknown> };
  } finally {
    jest.useRealTimers();
  }
};

const accountTypeOf = (commitment: Commitment | undefined, userId: string, month: string) => {
  const mapped = accountFromCommitment(commitment!, CONSUMER, month, { userId });
  return 'skipped' in mapped ? mapped.skipped : mapped.accountType;
};

describe("the customer's kind choice reaches the report and the Metro 2 account (real handlers, ASL, DynamoDB Local)", () => {
  const workflow = reportWorkflow();

  test('unknown kind is not furnished; chosen rent is Account Type 29 from the next run; the integration wins', async () => {
    const [m1, m2] = freshMonths();
    const userId = randomUUID();
    const water = (month: string) => ({
      ...paidOnTheFirst(userId, month, 'DD WATER CO'),
      payee: { reference: 'WATER-77', kind: 'utility' as const },
    });
    await storePayments([m1, m2].flatMap((month) => [paidOnTheFirst(userId, month, RENT), water(month)]));
    succeeded(await runReport(workflow, m1));
    for (const id of [RENT_ID, WATER_ID])
      expect((await put(setConsent, userId, { id }, { report: true }, `${m2}-01T09:00:00.000Z`)).status).toBe(200);
    const first = await reportsRepository().getReport(userId, m1);
    const rentOf = (report: typeof first) => report?.commitments.find(({ commitmentId }) => commitmentId === RENT_ID);
    const waterOf = (report: typeof first) => report?.commitments.find(({ commitmentId }) => commitmentId === WATER_ID);
    expect(rentOf(first)?.kind).toBeNull();
    expect(accountTypeOf({ ...rentOf(first)!, consent: { report: true, changedAt: null } }, userId, m1)).toBe(
      'its kind is unknown',
    );

    expect(await put(setKind, userId, { id: RENT_ID }, { kind: 'rent' }, `${m2}-02T10:00:00.000Z`)).toEqual({
      status: 200,
      body: { commitmentId: RENT_ID, kind: 'rent', kindSource: 'customer' },
    });
    const refused = await put(setKind, userId, { id: WATER_ID }, { kind: 'telecom' }, `${m2}-02T10:00:00.000Z`);
    expect(refused).toEqual({
      status: 409,
      body: expect.objectContaining({ type: expect.stringMatching(/kind-set-by-integration$/) }),
    });
    const kept = await new DynamoDbKindRepository(testDocumentClient(), testTableNames().payments).ofUser(userId);
    expect(kept).toEqual([expect.objectContaining({ commitmentId: RENT_ID, kind: 'rent', by: userId })]);

    succeeded(await runReport(workflow, m2));
    const second = await reportsRepository().getReport(userId, m2);
    expect([rentOf(second)?.kind, rentOf(second)?.kindSource]).toEqual(['rent', 'customer']);
    expect([waterOf(second)?.kind, waterOf(second)?.kindSource]).toEqual(['utility', 'integration']);
    expect(accountTypeOf(rentOf(second), userId, m2)).toBe('29');
    expect(accountTypeOf(waterOf(second), userId, m2)).toBe('92');
  }, 180_000);

  test("another user's commitment is 404, a bad body 400 naming the field, an integration's token 403: nothing kept", async () => {
    const [m1] = freshMonths();
    const userId = randomUUID();
    await storePayments([paidOnTheFirst(userId, m1, RENT)]);
    succeeded(await runReport(workflow, m1));
    const at = `${m1}-20T10:00:00.000Z`;
    expect((await put(setKind, randomUUID(), { id: RENT_ID }, { kind: 'rent' }, at)).status).toBe(404);
    expect(await put(setKind, userId, { id: RENT_ID }, { kind: 'mortgage' }, at)).toEqual({
      status: 400,
      body: expect.objectContaining({
        type: expect.stringMatching(/invalid-kind$/),
        errors: [expect.objectContaining({ field: 'kind' })],
      }),
    });
    expect((await put(setKind, 'bank-feed-client', { id: RENT_ID }, { kind: 'rent' }, at)).status).toBe(403);
    expect(await new DynamoDbKindRepository(testDocumentClient(), testTableNames().payments).ofUser(userId)).toEqual(
      [],
    );
  }, 180_000);
});
