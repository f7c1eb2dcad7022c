import { ENV } from '#contract/environment';
import type { BatchAnswerBody } from '#contract/batch-answer';
import type { ExecutionRecord } from '#local/step-functions/execution-store';
import { expectPublishedAnswer } from '../support/openapi-answers';
import { testDocumentClient } from '../support/dynamodb';
import { storedPayment } from '../support/http';
import {
  batchBody,
  batchWorkflow,
  failingFirst,
  integrationCaller,
  outputOf,
  paymentBody,
  runSubmission,
  submissionInput,
  submissionWorkflow,
  userCaller,
} from '#devtools/submissions';
import { retriedStates, statesEntered } from '../support/submissions';

const documentClient = testDocumentClient();

const storedItem = (id: string) => storedPayment(documentClient, process.env[ENV.paymentsTable] as string, id);

/** The batch answer, checked against the schema the OpenAPI document publishes for it. */
const answerOf = (execution: ExecutionRecord): { headers: Record<string, string>; body: BatchAnswerBody } => {
  const output = outputOf(execution);
  expect(output.statusCode).toBe(200);
  expectPublishedAnswer('POST /payments/batch', 200, output.body);
  return { headers: output.headers, body: output.body as unknown as BatchAnswerBody };
};

const problemTypeOf = (result: BatchAnswerBody['results'][number]): string | undefined =>
  typeof result.problem?.type === 'string'
    ? result.problem.type.slice(result.problem.type.lastIndexOf('/') + 1)
    : undefined;

describe('submit-payment-batch workflow (real ASL composed with the submit-payment states, real handlers, DynamoDB Local)', () => {
  const workflow = batchWorkflow();
  const single = submissionWorkflow();

  test('a mixed batch: created, replayed, conflicting, invalid and forbidden payments, each answered as POST /payments would', async () => {
    const user = paymentBody().userId as string;
    const caller = userCaller(user);
    const earlier = paymentBody({ userId: user });
    const taken = paymentBody({ userId: user });
    outputOf(await runSubmission(single, earlier, caller));
    outputOf(await runSubmission(single, taken, caller));
    const fresh = paymentBody({ userId: user, amount: 12.5 });
    const otherUsers = paymentBody();

    const input = submissionInput(
      batchBody([
        fresh,
        earlier,
        { ...taken, amount: '1.00' },
        '{"id":"not-a-uuid","amount":"9.999","amount":"1"}',
        otherUsers,
        '"not an object"',
      ]),
      caller,
    );
    const execution = await runSubmission(workflow, input);

    const { body } = answerOf(execution);
    expect(body.results.map(({ index, status }) => [index, status])).toEqual([
      [0, 201],
      [1, 200],
      [2, 409],
      [3, 400],
      [4, 403],
      [5, 400],
    ]);
    expect(body.results.map((result) => result.id)).toEqual([
      fresh.id,
      earlier.id,
      taken.id,
      'not-a-uuid',
      otherUsers.id,
      undefined,
    ]);
    expect(body.results.map(problemTypeOf)).toEqual([
      undefined,
      undefined,
      'payment-conflict',
      'invalid-payment',
      'not-payment-owner',
      'invalid-payment',
    ]);
    // Each payment validated from its exact text, as the single path validates a body: the amount as written, and
    // the repeated key seen.
    expect(body.results[0]!.payment).toMatchObject({ id: fresh.id, amount: '12.50' });
    expect(body.results[3]!.problem!.errors).toEqual(
      expect.arrayContaining([{ field: 'amount', message: 'appears more than once' }]),
    );
    expect(body.counts).toEqual({ '201': 1, '200': 1, '409': 1, '400': 2, '403': 1 });

    // The path: the batch's own states around the Map, and in it the single workflow's states, once per payment.
    const entered = statesEntered(execution);
    expect(entered.slice(0, 2)).toEqual(['ReadBatch', 'SubmitEachPayment']);
    expect(entered.slice(-2)).toEqual(['AnswerBatch', 'RespondBatch']);
    expect(entered.filter((state) => state === 'ValidatePayment')).toHaveLength(6);
    expect(entered.filter((state) => state === 'StorePayment')).toHaveLength(1);

    // Stored once, with the payment's own request id (the batch's and its position) and the batch's execution.
    expect(await storedItem(fresh.id as string)).toMatchObject({
      amount: '12.50',
      requestId: `${input.requestId}/0`,
      executionArn: execution.executionArn,
      submittedBy: user,
    });
    expect(await storedItem(taken.id as string)).toMatchObject({ amount: '9.99' });
    expect(await storedItem(otherUsers.id as string)).toBeUndefined();
  });

  test('on behalf: a trusted integration submits for many users in one batch, beside an invalid payment', async () => {
    const payments = [paymentBody(), paymentBody(), paymentBody({ currency: 'XXX' })];
    const execution = await runSubmission(workflow, batchBody(payments), integrationCaller());

    const { body } = answerOf(execution);
    expect(body.results.map((result) => result.status)).toEqual([201, 201, 400]);
    for (const payment of payments.slice(0, 2)) {
      expect(await storedItem(payment.id as string)).toMatchObject({
        userId: payment.userId,
        submittedBy: 'local-integration',
        clientId: 'local-integration',
      });
    }
    expect(await storedItem(payments[2]!.id as string)).toBeUndefined();
  });

  test('two payments with the same id in one batch are two submissions: one stores, the other replays or conflicts', async () => {
    const payment = paymentBody();
    const caller = userCaller(payment.userId as string);
    // The copies run at once: the later ones find the first claim in progress and retry (SubmissionInProgress), as
    // a second request would. With retries that do not wait they would give up at once: these wait 250 ms each.
    const waiting = batchWorkflow({}, { retryIntervalMs: 250 });
    const execution = await runSubmission(
      waiting,
      batchBody([payment, payment, { ...payment, description: 'Spotify' }]),
      caller,
    );

    // Whichever copy claims the id first stores it; each other copy replays if it has that content, else conflicts.
    const statuses = answerOf(execution).body.results.map((result) => result.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    const storedDescription = (await storedItem(payment.id as string))?.description;
    const copies = ['Netflix', 'Netflix', 'Spotify'];
    expect(statuses).toEqual(
      copies.map((description, index) =>
        statuses[index] === 201 ? 201 : description === storedDescription ? 200 : 409,
      ),
    );
  });

  test('the same batch again answers each payment as a replay would, and writes nothing new', async () => {
    const user = paymentBody().userId as string;
    const payments = [paymentBody({ userId: user }), paymentBody({ userId: user })];
    const caller = userCaller(user);
    const first = answerOf(await runSubmission(workflow, batchBody(payments), caller)).body;
    const again = answerOf(await runSubmission(workflow, batchBody(payments), caller)).body;

    expect(first.counts).toEqual({ '201': 2 });
    expect(again.counts).toEqual({ '200': 2 });
    expect(again.results.map((result) => result.payment)).toEqual(first.results.map((result) => result.payment));
  });

  test("retry on service exception: one payment's transient fault is retried, and every payment stored once", async () => {
    const flaky = batchWorkflow({ StorePayment: failingFirst(1, 'Lambda.ServiceException') });
    const user = paymentBody().userId as string;
    const payments = [paymentBody({ userId: user }), paymentBody({ userId: user }), paymentBody({ userId: user })];
    const execution = await runSubmission(flaky, batchBody(payments), userCaller(user));

    expect(retriedStates(execution)).toEqual(['StorePayment']);
    expect(answerOf(execution).body.counts).toEqual({ '201': 3 });
    for (const payment of payments) expect(await storedItem(payment.id as string)).toBeDefined();
  });

  test.each([
    ['not JSON', '{"payments": [', 'BatchBadRequest', 400, 'invalid-json'],
    ['no payments array', '{"payment": []}', 'BatchBadRequest', 400, 'invalid-batch'],
    ['an empty batch', '{"payments": []}', 'BatchBadRequest', 400, 'invalid-batch'],
    [
      '101 payments',
      batchBody(Array.from({ length: 101 }, () => paymentBody())),
      'BatchBadRequest',
      400,
      'invalid-batch',
    ],
    [
      'one payment over 4 KiB',
      batchBody([paymentBody({ description: 'x'.repeat(5000) })]),
      'BatchTooLarge',
      413,
      'payload-too-large',
    ],
  ])(
    'a request-level problem (%s) answers for the whole request, and nothing runs per payment',
    async (_case, text, state, status, type) => {
      const execution = await runSubmission(workflow, text, userCaller(paymentBody().userId as string));

      expect(statesEntered(execution)).toEqual(['ReadBatch', state, 'RespondWithBatchProblem']);
      const output = outputOf(execution);
      expect(output.statusCode).toBe(status);
      expect(output.headers['Content-Type']).toBe('application/problem+json');
      expect(output.body).toMatchObject({ status, type: `https://payments-tracker.example/problems/${type}` });
    },
  );

  test('a payee travels with each payment of a batch: stored where valid, 400 naming payee.kind where not', async () => {
    const user = paymentBody().userId as string;
    const payee = { reference: 'SO-17', name: 'Landlord Ltd', kind: 'rent' };
    const good = paymentBody({ userId: user, payee });
    const bad = paymentBody({ userId: user, payee: { ...payee, kind: 'flat' } });
    const { body } = answerOf(await runSubmission(workflow, batchBody([good, bad]), userCaller(user)));

    expect(body.results.map((result) => result.status)).toEqual([201, 400]);
    expect(body.results[0]?.payment).toMatchObject({ payee });
    expect(body.results[1]?.problem?.errors).toEqual([{ field: 'payee.kind', message: expect.any(String) }]);
    expect(await storedItem(good.id as string)).toMatchObject({ payee });
    expect(await storedItem(bad.id as string)).toBeUndefined();
  });
});
