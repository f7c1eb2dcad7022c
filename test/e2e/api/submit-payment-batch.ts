import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import type { BatchResults, PaymentSubmission } from '#client/payments-api';
import { SCOPES, USER_APP_SCOPES } from '#contract/scopes';
import { MAX_BATCH_BODY_BYTES } from '#contract/workflow-io';
import { LOCAL_INTEGRATION_CLIENT_ID } from '#contract/oauth-clients';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { badBodies } from '../../support/bad-bodies';
import { testDocumentClient } from '../../support/dynamodb';
import { expectNothingWritten, expectProblem } from '../../support/expectations';
import { type BatchAnswer, postBatch, storedPayment, submitBatch } from '../../support/http';
import { expectPublishedAnswer } from '../../support/openapi-answers';
import { batchBody, paymentSubmission } from '#devtools/submissions';
import { runOps } from '#ops/cli';
import { sharedApiStack } from '../../support/api-stack';
import { historyOfNamed, sfnClient } from '../../support/sfn';
import { integrationToken } from '../../support/tokens';

/**
 * POST /payments/batch over HTTP against started local stacks (gateway, the batch ASL with the submit-payment states
 * composed in, the real handlers, DynamoDB Local), with real RS256 tokens.
 */
const documentClient = testDocumentClient();
let stack: RunningLocalStack;

beforeAll(async () => {
  stack = await sharedApiStack();
});

/** The results of a 200, checked against the published schema. */
const resultsOf = (answer: BatchAnswer): BatchResults['results'] => {
  expect(answer.status).toBe(200);
  expectPublishedAnswer('POST /payments/batch', 200, answer.data);
  return answer.data?.results ?? [];
};

const stored = (id: string) => storedPayment(documentClient, stack.tableNames.payments, id);

describe('request-level problems refuse the whole batch, as problem+json, and store nothing', () => {
  const user = randomUUID();
  const payments = [paymentSubmission({ userId: user }), paymentSubmission({ userId: user })];
  /** The batch's text, for the requests sent raw (padded, cut short, under another content type). */
  const body = batchBody(payments);

  afterEach(async () => {
    for (const payment of payments) await expectNothingWritten(documentClient, stack.tableNames, payment.id);
  });

  test('401: no token, or a token that is not one', async () => {
    expectProblem(await submitBatch(stack.url, undefined, payments), 401, 'unauthorized');
    expectProblem(await submitBatch(stack.url, 'not-a-token', payments), 401, 'unauthorized');
  });

  test(`403 naming ${SCOPES.submitOnBehalf}: a user app's token (batches are for integrations), a read-only one`, async () => {
    for (const scope of [USER_APP_SCOPES.join(' '), SCOPES.read]) {
      const token = await stack.token({ sub: user, scope });
      const answer = await submitBatch(stack.url, token, payments);
      expectProblem(answer, 403, 'missing-scope');
      expect((answer.body as { detail: string }).detail).toContain(SCOPES.submitOnBehalf);
    }
    // Refused before the body is read: no execution started.
    const listed = await fetch(`${stack.url}/console/api/executions?paymentId=${payments[0]!.id}`);
    expect(((await listed.json()) as { executions: unknown[] }).executions).toEqual([]);
  });

  test(`413: a body over ${MAX_BATCH_BODY_BYTES} bytes (declared, or sent without a length)`, async () => {
    const token = await integrationToken(stack, user);
    const padded = `${body.slice(0, -1)}${' '.repeat(MAX_BATCH_BODY_BYTES)}}`;
    expectProblem(await postBatch(stack.url, { body: padded, token }), 413, 'payload-too-large');
  });

  test('413: one payment over the single limit (4 KiB), though the batch is not', async () => {
    const token = await integrationToken(stack, user);
    // Raw: the large payment has a property the contract does not have.
    const large = batchBody([payments[0]!, { ...payments[1]!, note: 'x'.repeat(5000) }]);
    const answer = await postBatch(stack.url, { body: large, token });
    expectProblem(answer, 413, 'payload-too-large');
    expect(answer.body.detail).toMatch(/payments\[1\]/);
  });

  test('415: not application/json', async () => {
    const token = await integrationToken(stack, user);
    expectProblem(
      await postBatch(stack.url, { body, token, contentType: 'text/plain' }),
      415,
      'unsupported-media-type',
    );
  });

  /** Sent raw: a body the typed client cannot send (not JSON, not the contract's shape). */
  const raw =
    (text: string) =>
    (token: string): Promise<BatchAnswer> =>
      postBatch(stack.url, { body: text, token });
  /** Sent typed: the shape is the contract's, only the count is out of bounds. */
  const typed =
    (batch: PaymentSubmission[]) =>
    (token: string): Promise<BatchAnswer> =>
      submitBatch(stack.url, token, batch);
  test.each([
    ['not JSON', raw(`${body.slice(0, -2)}`), 'invalid-json'],
    ['no payments array', raw(JSON.stringify({ items: payments })), 'invalid-batch'],
    ['payments not an array', raw(JSON.stringify({ payments: payments[0] })), 'invalid-batch'],
    ['0 payments', typed([]), 'invalid-batch'],
    [
      '101 payments',
      typed([...payments, ...Array.from({ length: 99 }, () => paymentSubmission({ userId: user }))]),
      'invalid-batch',
    ],
  ])('400: %s', async (_case, sent, type) => {
    const token = await integrationToken(stack, user);
    const answer = await sent(token);
    expectProblem(answer, 400, type);
    if (type === 'invalid-batch') {
      expect(answer.body.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: expect.any(String) })]),
      );
    }
  });
});

describe('request-level problems that need a stack of their own', () => {
  const stacks: RunningLocalStack[] = [];
  afterAll(async () => {
    await Promise.all(stacks.map((running) => running.stop()));
  });

  test('429 with Retry-After: over the client rate', async () => {
    const throttled = await startLocalStack({ env: { RATE_LIMIT_PER_SECOND: '0.1', RATE_LIMIT_BURST: '1' } });
    stacks.push(throttled);
    const user = randomUUID();
    const token = await integrationToken(throttled, user);
    const answers = await Promise.all(
      [0, 1, 2].map(() => submitBatch(throttled.url, token, [paymentSubmission({ userId: user })])),
    );
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expectProblem(answer, 429, 'throttled');
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
    }
  });

  test("429 by items: a caller's batches spend its per-caller share one payment each, not one request each", async () => {
    // 24 a minute: two batches of 10 fit, a third does not (three requests would); a batch of 3 still does (each
    // request is charged one on arrival). Sizes cut from 50s at 120: the refused batch still lacks 15 s of refill.
    const limited = await startLocalStack({ env: { RATE_LIMIT_PER_USER_PER_MINUTE: '24' } });
    stacks.push(limited);
    const caller = randomUUID();
    const token = await integrationToken(limited, caller);
    const batchOf = (count: number) => Array.from({ length: count }, () => paymentSubmission());
    // Sent at once, so the bucket refills nothing to speak of while the first two run through the workflow (on a
    // loaded machine that takes long enough to refill a batch's worth): whichever arrives last is refused.
    const batches = [batchOf(10), batchOf(10), batchOf(10)];
    const answers = await Promise.all(batches.map((payments) => submitBatch(limited.url, token, payments)));
    const refusedAt = answers.findIndex((answer) => answer.status === 429);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(1);
    for (const accepted of answers.filter((_, index) => index !== refusedAt))
      expect(resultsOf(accepted).every((result) => result.status === 201)).toBe(true);
    const [answer, refused] = [answers[refusedAt]!, batches[refusedAt]!];
    expectProblem(answer, 429, 'throttled');
    expect((answer.body as { detail: string }).detail).toContain('this user');
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    for (const payment of refused) await expectNothingWritten(documentClient, limited.tableNames, payment.id);
    const small = batchOf(3);
    expect(resultsOf(await submitBatch(limited.url, token, small)).map((result) => result.status)).toEqual(
      small.map(() => 201),
    );
  });
});

/** How many Map iterations an execution's history shows started before the first one ended. */
const startedBeforeFirstEnd = (history: HistoryEvent[]): number => {
  const firstEnd = history.findIndex(({ type }) => type === 'MapIterationSucceeded' || type === 'MapIterationFailed');
  return history.slice(0, firstEnd).filter(({ type }) => type === 'MapIterationStarted').length;
};

// What keeps a batch of 100 inside the 29 s budget is that its payments run side by side, 10 at once
// (docs/decisions/0013-batch-submission.md): read from the execution's history, not from a clock. (The interpreter
// forwards iteration events asynchronously, so an end may be listed after the next start: no upper bound here.)
test('a batch of 100: every payment stored once, answered 201 in order, its payments run 10 side by side', async () => {
  const user = randomUUID();
  const payments = Array.from({ length: 100 }, (_, index) =>
    paymentSubmission({ userId: user, amount: `${index + 1}.00` }),
  );
  const token = await integrationToken(stack, user);
  const answer = await submitBatch(stack.url, token, payments);
  const results = resultsOf(answer);

  expect(results.map((result) => [result.index, result.id, result.status])).toEqual(
    payments.map((payment, index) => [index, payment.id, 201]),
  );
  for (const payment of payments) expect(await stored(payment.id)).toMatchObject({ amount: payment.amount });
  const client = sfnClient(stack.sfnUrl);
  const history = await historyOfNamed(client, 'SubmitPaymentBatch', answer.headers.get('x-request-id') ?? '');
  client.destroy();
  expect(history.filter((event) => event.type === 'MapIterationSucceeded')).toHaveLength(100);
  expect(startedBeforeFirstEnd(history)).toBeGreaterThanOrEqual(10);
});

test('the same batch sent 10 times at once: each payment stored exactly once, answered 201 exactly once', async () => {
  const user = randomUUID();
  const payments = Array.from({ length: 20 }, () => paymentSubmission({ userId: user }));
  const token = await integrationToken(stack, user);
  const answers = await Promise.all(Array.from({ length: 10 }, () => submitBatch(stack.url, token, payments)));
  const perPayment = payments.map((_, index) => answers.map((answer) => resultsOf(answer)[index]!));
  for (const [index, results] of perPayment.entries()) {
    const statuses = results.map((result) => result.status);
    expect({ index, created: statuses.filter((status) => status === 201).length }).toEqual({ index, created: 1 });
    // The others replay, or find the first still in progress (409 submission-in-progress, with retryAfter).
    for (const result of results.filter((candidate) => candidate.status !== 201)) {
      if (result.status === 409) {
        expect(result.problem?.type).toMatch(/submission-in-progress$/);
        expect(result.retryAfter).toEqual(expect.any(Number));
      } else expect(result.status).toBe(200);
    }
  }
  for (const payment of payments) expect(await stored(payment.id)).toMatchObject({ id: payment.id });
});

test('a batch with duplicate ids inside it: one stores, the other replays or conflicts; the answer says which', async () => {
  const payment = paymentSubmission();
  const token = await integrationToken(stack, payment.userId);
  const results = resultsOf(
    await submitBatch(stack.url, token, [
      payment,
      paymentSubmission({ userId: payment.userId }),
      payment,
      { ...payment, amount: '1.00' },
    ]),
  );
  expect(results[1]!.status).toBe(201);
  // Whichever copy claims the id first stores it; each other copy replays if it has that content, else conflicts.
  const copies = [0, 2, 3].map((index) => ({ index, amount: index === 3 ? '1.00' : '9.99' }));
  const statuses = copies.map(({ index }) => results[index]!.status);
  expect(statuses.filter((status) => status === 201)).toHaveLength(1);
  const storedAmount = (await stored(payment.id))?.amount;
  expect(statuses).toEqual(
    copies.map(({ amount }, position) => (statuses[position] === 201 ? 201 : amount === storedAmount ? 200 : 409)),
  );
  for (const replayed of results.filter((result) => result.status === 200)) {
    expect(replayed.payment).toMatchObject({ id: payment.id, amount: storedAmount });
  }
});

test('an integration submits on behalf of many users in one batch', async () => {
  const payments = [paymentSubmission(), paymentSubmission()];
  const token = await stack.token({
    sub: LOCAL_INTEGRATION_CLIENT_ID,
    clientId: LOCAL_INTEGRATION_CLIENT_ID,
    scope: `${SCOPES.write} ${SCOPES.submitOnBehalf}`,
  });
  const results = resultsOf(await submitBatch(stack.url, token, payments));
  expect(results.map((result) => result.status)).toEqual([201, 201]);
  for (const payment of payments) expect(await stored(payment.id)).toMatchObject({ userId: payment.userId });
});

describe('100 generated bad batches: never a 5xx; nothing stored for a refused payment or a refused batch', () => {
  /** A batch of valid and bad payments, sometimes broken as a whole (cut short, emptied, wrapped wrongly). */
  const badBatches = fc.record({
    items: fc.array(fc.oneof(badBodies, fc.constant(undefined)), { minLength: 1, maxLength: 8 }),
    breakage: fc.constantFrom('none', 'none', 'none', 'cut', 'empty', 'not-an-array', 'extra-field', 'trailing'),
  });

  test('each answers 200 with a 4xx for every bad payment, or a 4xx problem for the whole', async () => {
    const user = randomUUID();
    const token = await integrationToken(stack, user);
    await fc.assert(
      fc.asyncProperty(badBatches, async ({ items, breakage }) => {
        const payments = items.map((item) => item ?? { ...paymentSubmission({ userId: user }) });
        const texts = payments.map((payment) =>
          'text' in payment ? (payment.text as string) : JSON.stringify(payment),
        );
        const inner = texts.join(',');
        const text = {
          none: `{"payments":[${inner}]}`,
          cut: `{"payments":[${inner}`,
          empty: '{"payments":[]}',
          'not-an-array': `{"payments":{"first":${texts[0]}}}`,
          'extra-field': `{"payments":[${inner}],"source":"feed"}`,
          trailing: `{"payments":[${inner}]}]`,
        }[breakage];
        // Raw: generated text, bad items and broken wrappings among it.
        const answer = await postBatch(stack.url, { body: text, token });
        expect(answer.status).toBeLessThan(500);
        const bad = payments.flatMap((payment) => ('text' in payment ? [payment as { id: string }] : []));
        let wholeJson = true;
        try {
          JSON.parse(text);
        } catch {
          wholeJson = false;
        }
        if (answer.status !== 200) {
          // Refused whole: nothing of it stored, good payments included.
          expect([400, 413]).toContain(answer.status);
          for (const payment of payments) await expectNothingWritten(documentClient, stack.tableNames, payment.id);
          return;
        }
        expect(wholeJson).toBe(true);
        // A raw answer has no typed data: its body, which resultsOf checks against the published schema.
        const results = resultsOf({ ...answer, data: answer.body as BatchResults });
        expect(results).toHaveLength(payments.length);
        for (const [index, payment] of payments.entries()) {
          const result = results[index]!;
          if ('text' in payment) expect([400, 403]).toContain(result.status);
          else expect(result.status).toBe(201);
        }
        for (const payment of bad) await expectNothingWritten(documentClient, stack.tableNames, payment.id);
      }),
      // 100 over HTTP (each batch a whole workflow run); the item rules run by the thousand in process.
      { numRuns: 100 },
    );
  }, 600_000);
});

test("each payment of a batch is findable by its id: the console lists the batch's execution, and ops trace shows the payment's own attempt", async () => {
  const user = randomUUID();
  const payments = [paymentSubmission({ userId: user }), paymentSubmission({ userId: user })];
  const token = await integrationToken(stack, user);
  const answer = await submitBatch(stack.url, token, payments);
  const requestId = answer.headers.get('x-request-id');
  await submitBatch(stack.url, token, [payments[1]!]);

  const listed = await fetch(`${stack.url}/console/api/executions?paymentId=${payments[1]!.id}`);
  const { executions } = (await listed.json()) as { executions: Array<{ name: string; stateMachineArn: string }> };
  expect(executions).toHaveLength(2);
  expect(executions.map((execution) => execution.stateMachineArn)).toEqual([
    expect.stringMatching(/:SubmitPaymentBatch$/),
    expect.stringMatching(/:SubmitPaymentBatch$/),
  ]);
  expect(executions.map((execution) => execution.name)).toContain(requestId);

  const printed: string[] = [];
  const target = ['--endpoint', stack.sfnUrl, '--dynamodb-endpoint', stack.dynamoDbEndpoint];
  const options = [...target, '--payments-table', stack.tableNames.payments, '--json'];
  expect(await runOps(['trace', payments[1]!.id, ...options], (text) => printed.push(text))).toBe(0);
  const trace = JSON.parse(printed.join('\n')) as {
    attempts: Array<{ requestId: string; batchIndex?: number; httpStatus: number; outcome: string; steps: unknown[] }>;
    stored?: Record<string, unknown>;
  };
  expect(
    trace.attempts.map(({ requestId: id, batchIndex, httpStatus, outcome }) => [id, batchIndex, httpStatus, outcome]),
  ).toEqual([
    [`${requestId}/1`, 1, 201, 'created'],
    [expect.stringMatching(/\/0$/), 0, 200, 'replayed'],
  ]);
  expect(trace.stored).toMatchObject({ id: payments[1]!.id, requestId: `${requestId}/1` });
});
