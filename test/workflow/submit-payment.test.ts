import { randomUUID } from 'node:crypto';
import { expectPublishedAnswer } from '../support/openapi-answers';
import { DeleteCommand, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '#contract/environment';
import { paymentKey } from '#adapters/payment-repository';
import { userShard } from '#adapters/table-keys';
import { reportsRepository } from '../support/reports';
import {
  failingFirst,
  integrationCaller,
  outputOf,
  paymentBody,
  runSubmission,
  submissionWorkflow,
  userCaller,
} from '#devtools/submissions';
import { retriedStates, stateFailures, CREATED_PATH, statesEntered } from '../support/submissions';
import { itemsOfUser, testDocumentClient } from '../support/dynamodb';
import { idempotencyRecord, idempotencyRecordKey } from '../support/idempotency';

const documentClient = testDocumentClient();
const paymentsTable = (): string => process.env[ENV.paymentsTable] as string;

const userItems = (userId: string) => itemsOfUser(documentClient, paymentsTable(), userId);

const storedItem = async (id: string): Promise<Record<string, unknown> | undefined> =>
  (await documentClient.send(new GetCommand({ TableName: paymentsTable(), Key: paymentKey(id), ConsistentRead: true })))
    .Item;

describe('submit-payment workflow (real ASL, real handlers, DynamoDB Local)', () => {
  const workflow = submissionWorkflow();

  test('happy path: a new payment is stored and answered 201', async () => {
    const body = paymentBody({ amount: 12.5, timestamp: '2026-10-05T10:30:00+01:00' });
    const execution = await runSubmission(workflow, body);

    expect(statesEntered(execution)).toEqual(CREATED_PATH);
    const output = outputOf(execution);
    expect(output.statusCode).toBe(201);
    expectPublishedAnswer('POST /payments', 201, output.body);
    expect(output.headers.Location).toBe(`/payments/${body.id}`);
    expect(output.body).toMatchObject({
      id: body.id,
      userId: body.userId,
      timestamp: '2026-10-05T09:30:00.000Z',
      description: 'Netflix',
      currency: 'GBP',
      amount: '12.50',
    });
    expect(output.body.receivedAt).toEqual(expect.any(String));
    // The item leads to the execution that stored it ($$.Execution.Id) and its request.
    expect(await storedItem(body.id as string)).toMatchObject({
      amount: '12.50',
      amountMinor: 1250,
      clientId: 'local-user-app',
      requestId: execution.name,
      executionArn: execution.executionArn,
    });
    // One item, with its index keys: the report run finds it in its month shard (pattern 4), a
    // user's month lists it (pattern 3); it is on time, so it has no late-arrivals entry.
    expect(await userItems(body.userId as string)).toHaveLength(1);
    expect(await storedItem(body.id as string)).toMatchObject({
      gsi1pk: `MONTH#2026-10#SHARD#${String(userShard(body.userId as string)).padStart(2, '0')}`,
      gsi1sk: `USER#${body.userId}#2026-10-05T09:30:00.000Z#${body.id}`,
    });
    // The late-arrivals entry is there exactly when it was received after its month, October 2026 (the
    // month is fixed, the clock is not): the expected keys are written out, not computed by the product.
    const item = await storedItem(body.id as string);
    const receivedMonth = String(item?.receivedAt).slice(0, 7);
    const shard = String(userShard(body.userId as string)).padStart(2, '0');
    if (receivedMonth > '2026-10') {
      expect(item).toMatchObject({
        gsi2pk: `LATE#${receivedMonth}#SHARD#${shard}`,
        gsi2sk: `USER#${body.userId}#MONTH#2026-10#${body.id}`,
      });
    } else {
      expect(item).not.toHaveProperty('gsi2pk');
    }
    expect((await reportsRepository().userMonth(body.userId as string, '2026-10')).map((p) => p.id)).toEqual([body.id]);
    const page = await reportsRepository().monthPageUsers({
      month: '2026-10',
      shard: userShard(body.userId as string),
      after: null,
      pageItems: 10_000,
    });
    expect(page.userIds).toContain(body.userId);
  });

  test('replay: the same submission again answers 200 with the first answer and writes nothing', async () => {
    const body = paymentBody();
    const caller = userCaller(body.userId as string);
    const first = outputOf(await runSubmission(workflow, body, caller));
    const before = await storedItem(body.id as string);

    const again = await runSubmission(workflow, body, caller);

    expect(statesEntered(again)).toEqual([
      'ValidatePayment',
      'AuthorizeOwner',
      'CheckIdempotency',
      'IsReplay',
      'RespondReplayed',
    ]);
    const output = outputOf(again);
    expect(output.statusCode).toBe(200);
    expectPublishedAnswer('POST /payments', 200, output.body);
    expect(output.headers['Idempotent-Replayed']).toBe('true');
    expect(output.body).toEqual(first.body);
    expect(await storedItem(body.id as string)).toEqual(before);
  });

  test('conflict: the same id with different content answers 409 and keeps the first payment', async () => {
    const body = paymentBody();
    const caller = userCaller(body.userId as string);
    outputOf(await runSubmission(workflow, body, caller));

    const execution = await runSubmission(workflow, { ...body, amount: '10.00' }, caller);

    expect(stateFailures(execution)).toEqual(['CheckIdempotency:PaymentConflict']);
    expect(statesEntered(execution).slice(-2)).toEqual(['Conflict', 'RespondWithProblem']);
    const output = outputOf(execution);
    expect(output.statusCode).toBe(409);
    expect(output.headers['Content-Type']).toBe('application/problem+json');
    expect(output.body).toMatchObject({ status: 409, title: expect.any(String), requestId: execution.name });
    expect(await storedItem(body.id as string)).toMatchObject({ amount: '9.99' });
  });

  describe('after the idempotency record has expired, the conditional put still decides', () => {
    const expireIdempotencyRecord = async (id: string): Promise<void> => {
      const key = idempotencyRecordKey(id);
      expect(await idempotencyRecord(documentClient, process.env[ENV.idempotencyTable] as string, id)).toBeDefined();
      await documentClient.send(new DeleteCommand({ TableName: process.env[ENV.idempotencyTable], Key: key }));
    };

    test('same content: replayed by StorePayment, 200', async () => {
      const body = paymentBody();
      const caller = userCaller(body.userId as string);
      outputOf(await runSubmission(workflow, body, caller));
      await expireIdempotencyRecord(body.id as string);

      const execution = await runSubmission(workflow, body, caller);

      expect(statesEntered(execution)).toContain('StorePayment');
      expect(outputOf(execution).statusCode).toBe(200);
      expect(outputOf(execution).headers['Idempotent-Replayed']).toBe('true');
    });

    test('different content: refused by StorePayment, 409', async () => {
      const body = paymentBody();
      const caller = userCaller(body.userId as string);
      outputOf(await runSubmission(workflow, body, caller));
      await expireIdempotencyRecord(body.id as string);

      const execution = await runSubmission(
        workflow,
        { ...body, description: 'Spotify', timestamp: '2026-09-05T09:30:00Z' },
        caller,
      );

      expect(stateFailures(execution)).toEqual(['StorePayment:PaymentConflict']);
      expect(outputOf(execution).statusCode).toBe(409);
      expect(await storedItem(body.id as string)).toMatchObject({ description: 'Netflix' });
      // The refused put wrote nothing: still the one item, and nothing in the refused payment's month.
      expect(await userItems(body.userId as string)).toHaveLength(1);
      expect(await reportsRepository().userMonth(body.userId as string, '2026-09')).toEqual([]);
    });
  });

  test('in progress: while another submission of the id is in flight, retried, then 409 with Retry-After', async () => {
    const body = paymentBody();
    const caller = userCaller(body.userId as string);
    outputOf(await runSubmission(workflow, body, caller));
    // Turn the finished claim back into one in flight (as a request cut off mid-way leaves it):
    // same key and payload hash, status INPROGRESS until a minute from now.
    await documentClient.send(
      new UpdateCommand({
        TableName: process.env[ENV.idempotencyTable],
        Key: idempotencyRecordKey(body.id as string),
        UpdateExpression: 'SET #status = :inProgress, in_progress_expiration = :until REMOVE #data',
        ExpressionAttributeNames: { '#status': 'status', '#data': 'data' },
        ExpressionAttributeValues: { ':inProgress': 'INPROGRESS', ':until': Date.now() + 60_000 },
      }),
    );

    const execution = await runSubmission(workflow, body, caller);

    expect(retriedStates(execution)).toEqual(Array(4).fill('CheckIdempotency'));
    expect(statesEntered(execution).slice(-2)).toEqual(['StillInProgress', 'RespondWithProblem']);
    const output = outputOf(execution);
    expect(output.statusCode).toBe(409);
    expect(output.headers).toEqual({ 'Content-Type': 'application/problem+json', 'Retry-After': '2' });
    expect(output.body).toMatchObject({
      type: expect.stringMatching(/submission-in-progress$/),
      status: 409,
      requestId: execution.name,
    });
  });

  test('invalid: a body that breaks the schema answers 400 naming each field, and nothing is stored', async () => {
    const body = paymentBody({ amount: '9.999', currency: 'XYZ', extra: true });
    const execution = await runSubmission(workflow, body);

    expect(statesEntered(execution)).toEqual(['ValidatePayment', 'BadRequest', 'RespondWithProblem']);
    const output = outputOf(execution);
    expect(output.statusCode).toBe(400);
    expect(output.headers['Content-Type']).toBe('application/problem+json');
    const fields = (output.body.errors as Array<{ field: string }>).map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['currency', 'extra']));
    expect(output.body).toMatchObject({ status: 400, requestId: execution.name });
    expect(await storedItem(body.id as string)).toBeUndefined();
  });

  test('invalid JSON answers 400', async () => {
    const execution = await runSubmission(workflow, '{"id": ', userCaller(randomUUID()));
    expect(stateFailures(execution)).toEqual(['ValidatePayment:InvalidJson']);
    expect(outputOf(execution).statusCode).toBe(400);
  });

  test('forbidden: a user token for another user id answers 403, and nothing is stored', async () => {
    const body = paymentBody();
    const execution = await runSubmission(workflow, body, userCaller(randomUUID()));

    expect(stateFailures(execution)).toEqual(['AuthorizeOwner:NotPaymentOwner']);
    expect(statesEntered(execution).slice(-2)).toEqual(['Forbidden', 'RespondWithProblem']);
    expect(outputOf(execution).statusCode).toBe(403);
    expect(await storedItem(body.id as string)).toBeUndefined();
  });

  test('forbidden: a token without the write scope answers 403', async () => {
    const body = paymentBody();
    const caller = { ...userCaller(body.userId as string), scope: 'payments/read' };
    const execution = await runSubmission(workflow, body, caller);
    expect(stateFailures(execution)).toEqual(['AuthorizeOwner:MissingScope']);
    expect(outputOf(execution).statusCode).toBe(403);
  });

  test('on behalf: a trusted integration may submit for any user', async () => {
    const body = paymentBody();
    const execution = await runSubmission(workflow, body, integrationCaller());
    expect(outputOf(execution).statusCode).toBe(201);
    expect(await storedItem(body.id as string)).toMatchObject({
      submittedBy: 'local-integration',
      userId: body.userId,
    });
  });

  test('retry on service exception: a transient Lambda fault is retried and the payment stored once', async () => {
    const flaky = submissionWorkflow({ StorePayment: failingFirst(2, 'Lambda.ServiceException') });
    const body = paymentBody();
    const execution = await runSubmission(flaky, body);

    expect(retriedStates(execution)).toEqual(['StorePayment', 'StorePayment']);
    expect(outputOf(execution).statusCode).toBe(201);
    expect(await storedItem(body.id as string)).toBeDefined();
  });

  test('retry after a stored write: the answer was lost (a timeout) after the put; the retry finds its own request id and answers 201', async () => {
    let calls = 0;
    const lostAnswer = submissionWorkflow({
      StorePayment: (handler) => async (event, context) => {
        const result = await handler(event, context);
        calls += 1;
        if (calls === 1)
          throw Object.assign(new Error('Task timed out after the put'), { name: 'Lambda.ServiceException' });
        return result;
      },
    });
    const body = paymentBody();
    const execution = await runSubmission(lostAnswer, body);

    expect(retriedStates(execution)).toEqual(['StorePayment']);
    expect(outputOf(execution).statusCode).toBe(201);
    expect(outputOf(execution).headers).not.toHaveProperty('Idempotent-Replayed');
    expect(await userItems(body.userId as string)).toHaveLength(1);
  });

  test('a late arrival (received after its month ended) is one item too, with a sparse late-arrivals entry for the next report run', async () => {
    const body = paymentBody({ timestamp: new Date(Date.now() - 40 * 86_400_000).toISOString() });
    const execution = await runSubmission(workflow, body);

    expect(outputOf(execution).statusCode).toBe(201);
    expect(await userItems(body.userId as string)).toHaveLength(1);
    const receivedMonth = new Date().toISOString().slice(0, 7);
    expect(await storedItem(body.id as string)).toMatchObject({
      gsi2pk: `LATE#${receivedMonth}#SHARD#${String(userShard(body.userId as string)).padStart(2, '0')}`,
    });
  });

  describe('payee (optional, from an integration that knows the mandate)', () => {
    const payee = { reference: 'DDM-0042-7781', name: 'PureGym', kind: 'subscription' };

    test('stored on the payment item and answered; the same again replays', async () => {
      const body = paymentBody({ payee });
      const caller = userCaller(body.userId as string);
      const output = outputOf(await runSubmission(workflow, body, caller));
      expect(output.statusCode).toBe(201);
      expectPublishedAnswer('POST /payments', 201, output.body);
      expect(output.body).toMatchObject({ payee });
      expect(await storedItem(body.id as string)).toMatchObject({ payee });
      expect(outputOf(await runSubmission(workflow, body, caller)).statusCode).toBe(200);
    });

    test('the same id with another payee (or none) answers 409 and keeps the first', async () => {
      const body = paymentBody({ payee });
      const caller = userCaller(body.userId as string);
      outputOf(await runSubmission(workflow, body, caller));
      for (const other of [
        { ...body, payee: { ...payee, reference: 'DDM-9' } },
        { ...body, payee: undefined },
      ]) {
        const execution = await runSubmission(workflow, other, caller);
        expect(stateFailures(execution)).toEqual(['CheckIdempotency:PaymentConflict']);
        expect(outputOf(execution).statusCode).toBe(409);
      }
      expect(await storedItem(body.id as string)).toMatchObject({ payee });
    });

    test('a bad payee answers 400 naming each field, and nothing is stored', async () => {
      const body = paymentBody({ payee: { reference: '', kind: 'gym', iban: 'GB00' } });
      const output = outputOf(await runSubmission(workflow, body));
      expect(output.statusCode).toBe(400);
      expect((output.body.errors as { field: string }[]).map((error) => error.field).sort()).toEqual([
        'payee.iban',
        'payee.kind',
        'payee.reference',
      ]);
      expect(await userItems(body.userId as string)).toHaveLength(0);
    });
  });

  test("months are the customer's calendar: 23:30 at -01:00 on 31 October is stored as 1 November UTC and counts for October", async () => {
    const body = paymentBody({ timestamp: '2026-10-31T23:30:00-01:00' });
    const output = outputOf(await runSubmission(workflow, body));

    expect(output.statusCode).toBe(201);
    expectPublishedAnswer('POST /payments', 201, output.body);
    expect(output.body).toMatchObject({
      timestamp: '2026-11-01T00:30:00.000Z',
      localDate: '2026-10-31',
      utcOffset: '-01:00',
    });
    const shard = String(userShard(body.userId as string)).padStart(2, '0');
    expect(await storedItem(body.id as string)).toMatchObject({
      timestamp: '2026-11-01T00:30:00.000Z',
      localDate: '2026-10-31',
      utcOffset: '-01:00',
      gsi1pk: `MONTH#2026-10#SHARD#${shard}`,
    });
    const ids = async (month: string) =>
      (await reportsRepository().userMonth(body.userId as string, month)).map((payment) => payment.id);
    expect(await ids('2026-10')).toEqual([body.id]);
    expect(await ids('2026-11')).toEqual([]);
  });

  test('epoch milliseconds are dated in UTC', async () => {
    const body = paymentBody({ timestamp: Date.UTC(2026, 9, 31, 23, 30) });
    const output = outputOf(await runSubmission(workflow, body));
    expect(output.body).toMatchObject({ localDate: '2026-10-31', utcOffset: 'Z' });
  });

  test('older than 24 months: 400 naming the timestamp, nothing stored', async () => {
    const body = paymentBody({ timestamp: new Date(Date.now() - 25 * 31 * 86_400_000).toISOString() });
    const execution = await runSubmission(workflow, body);

    expect(outputOf(execution).statusCode).toBe(400);
    expect(JSON.stringify(outputOf(execution).body)).toContain('timestamp');
    expect(await userItems(body.userId as string)).toHaveLength(0);
  });

  test('a step that keeps failing unexpectedly answers 500, and the same request later succeeds', async () => {
    const broken = submissionWorkflow({ StorePayment: failingFirst(1, 'TypeError') });
    const body = paymentBody();
    const caller = userCaller(body.userId as string);

    const failed = await runSubmission(broken, body, caller);
    expect(statesEntered(failed).slice(-1)).toEqual(['InternalError']);
    expect(outputOf(failed).statusCode).toBe(500);
    expect(await storedItem(body.id as string)).toBeUndefined();

    // The idempotency record says "seen", but nothing was stored: the retry must store it, not replay.
    const retried = await runSubmission(workflow, body, caller);
    expect(outputOf(retried).statusCode).toBe(201);
    expect(await storedItem(body.id as string)).toBeDefined();
  });
});
