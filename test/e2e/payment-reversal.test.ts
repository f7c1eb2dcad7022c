import { randomUUID } from 'node:crypto';
import { LOCAL_INTEGRATION_CLIENT_ID } from '#contract/oauth-clients';
import { SCOPES } from '#contract/scopes';
import { runOps } from '#ops/cli';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { paymentSubmission } from '#devtools/submissions';
import type { ReversalRequest } from '#client/payments-api';
import { expectProblem } from '../support/expectations';
import { type HttpAnswer, answerOf, apiFor, getRaw, parsedAnswer, postTo, submit } from '../support/http';
import { expectPublishedAnswer } from '../support/openapi-answers';

/**
 * POST /payments/{id}/reversal over HTTP against a started local stack, with real signed tokens and the typed client:
 * every status of the contract. What a reversal does to the reports is tested in test/workflow/payment-reversal.test.ts.
 */
let stack: RunningLocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack?.stop();
});

const ON_BEHALF = `${SCOPES.write} ${SCOPES.submitOnBehalf}`;
const integrationToken = (sub = LOCAL_INTEGRATION_CLIENT_ID): Promise<string> =>
  stack.token({ sub, clientId: LOCAL_INTEGRATION_CLIENT_ID, scope: ON_BEHALF });

const reverse = async (token: string | undefined, id: string, body: ReversalRequest): Promise<HttpAnswer> =>
  answerOf(await apiFor(stack.url, token).POST('/payments/{id}/reversal', { params: { path: { id } }, body }));

const RETURNED: ReversalRequest = {
  reason: 'returned-unpaid',
  reversedOn: '2026-10-08',
  note: 'ARUDD 0 refer to payer',
};

/** A payment the integration submitted for a fresh customer (dated 5 October 2026). */
const submittedByTheFeed = async (): Promise<{ id: string; userId: string }> => {
  const submission = paymentSubmission();
  expect((await submit(stack.url, await integrationToken(), submission)).status).toBe(201);
  return { id: submission.id, userId: submission.userId };
};

const fieldsOf = (answer: HttpAnswer): string[] =>
  ((answer.body.errors ?? []) as { field: string }[]).map((error) => error.field);

describe('POST /payments/{id}/reversal', () => {
  test('201 stores it beside the payment, which stays stored; the same again is 200 replayed; another is 409', async () => {
    const { id, userId } = await submittedByTheFeed();
    const token = await integrationToken();
    const first = await reverse(token, id, RETURNED);
    expect(first.status).toBe(201);
    expectPublishedAnswer('POST /payments/{id}/reversal', 201, first.body);
    expect(first.body).toMatchObject({ paymentId: id, ...RETURNED, by: LOCAL_INTEGRATION_CLIENT_ID });

    const again = await reverse(token, id, RETURNED);
    expect(again.status).toBe(200);
    expectPublishedAnswer('POST /payments/{id}/reversal', 200, again.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);

    const other = await reverse(token, id, { ...RETURNED, reason: 'insufficient-funds' });
    expectProblem(other, 409, 'reversal-conflict');
    // The customer still reads the payment, with the first reversal.
    const read = parsedAnswer(
      await getRaw(stack.url, `/payments/${id}`, { token: await stack.token({ sub: userId }) }),
    );
    expect(read.status).toBe(200);
    expectPublishedAnswer('GET /payments/{id}', 200, read.body);
    expect(read.body).toMatchObject({ id, amount: '9.99', reversal: first.body });
  });

  test('400 names the field: a date before the payment, in the future, not a date; a reason off the list', async () => {
    const { id } = await submittedByTheFeed();
    const token = await integrationToken();
    const early = await reverse(token, id, { ...RETURNED, reversedOn: '2026-10-04' });
    expectProblem(early, 400, 'invalid-reversal');
    expect(fieldsOf(early)).toEqual(['reversedOn']);
    const future = await reverse(token, id, { ...RETURNED, reversedOn: '2999-01-01' });
    expect([future.status, fieldsOf(future)]).toEqual([400, ['reversedOn']]);
    const raw = await postTo(stack.url, `/payments/${id}/reversal`, {
      token,
      body: { reason: 'bounced', reversedOn: '8 Oct', extra: 1 },
    });
    expectProblem(raw, 400, 'invalid-reversal');
    expect(fieldsOf(raw).sort()).toEqual(['extra', 'reason', 'reversedOn']);
    // Nothing was stored: a valid reversal is still the first.
    expect((await reverse(token, id, RETURNED)).status).toBe(201);
  });

  test('401 without a token; 403 without the on-behalf scope, and for a payment the integration did not submit', async () => {
    const { id, userId } = await submittedByTheFeed();
    expectProblem(await reverse(undefined, id, RETURNED), 401, 'unauthorized');
    // The customer's own app token: write, but not on-behalf.
    expectProblem(await reverse(await stack.token({ sub: userId }), id, RETURNED), 403, 'missing-scope');
    // Another integration: its customers are not this one's.
    expectProblem(await reverse(await integrationToken('another-integration'), id, RETURNED), 403, 'not-reversible');
    // A payment the customer reported themselves: no integration saw it leave the bank.
    const own = paymentSubmission();
    expect((await submit(stack.url, await stack.token({ sub: own.userId }), own)).status).toBe(201);
    expectProblem(await reverse(await integrationToken(), own.id, RETURNED), 403, 'not-reversible');
    // None of these stored anything.
    expect((await reverse(await integrationToken(), id, RETURNED)).status).toBe(201);
  });

  test('npm run ops -- trace shows the reversal beside the stored payment', async () => {
    const { id } = await submittedByTheFeed();
    const reversal = await reverse(await integrationToken(), id, RETURNED);
    const printed: string[] = [];
    const target = ['--endpoint', stack.sfnUrl, '--dynamodb-endpoint', stack.dynamoDbEndpoint];
    const args = ['trace', id, ...target, '--payments-table', stack.tableNames.payments];
    expect(await runOps(args, (text) => printed.push(text))).toBe(0);
    const text = printed.join('\n');
    expect(text).toContain('Reversed by the bank (counts as not paid from the next report run):');
    expect(text).toMatch(/reason\s+returned-unpaid/);
    expect(text).toMatch(/reversedOn\s+2026-10-08/);
    expect(text).toContain(`requestId   ${String(reversal.body.requestId)}`);
  });

  test('404 for a payment id that names no payment', async () => {
    expectProblem(await reverse(await integrationToken(), randomUUID(), RETURNED), 404, 'not-found');
    const notAnId = await postTo(stack.url, '/payments/not-a-uuid/reversal', {
      token: await integrationToken(),
      body: RETURNED,
    });
    expect(notAnId.status).toBe(404);
  });
});
