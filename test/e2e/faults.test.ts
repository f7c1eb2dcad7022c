import { randomUUID } from 'node:crypto';
import { testDocumentClient } from '../support/dynamodb';
import { expectNothingWritten, expectProblem } from '../support/expectations';
import { storedPayment, submit, submitBatch } from '../support/http';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { paymentSubmission } from '#devtools/submissions';
import { integrationToken } from '../support/tokens';

/**
 * Handler faults injected into running stacks (LOCAL_INJECT_FAULTS): the ASL's Retry absorbs
 * transient ones with its real backoff, and an unexpected error is a 500 that stores nothing.
 */
const documentClient = testDocumentClient();
const stacks: RunningLocalStack[] = [];
afterAll(async () => {
  await Promise.all(stacks.map((stack) => stack.stop()));
});

const startWithFault = async (fault: string): Promise<RunningLocalStack> => {
  const stack = await startLocalStack({ env: { LOCAL_INJECT_FAULTS: fault } });
  stacks.push(stack);
  return stack;
};

/** Faults of two workflows in one stack: a payment's StorePayment and a batch's ReadBatch never meet. */
let storeAndReadBatchFailing: Promise<RunningLocalStack> | undefined;
const failingStack = (): Promise<RunningLocalStack> =>
  (storeAndReadBatchFailing ??= startWithFault('StorePayment:TypeError,ReadBatch:Lambda.ServiceException'));

describe('injected handler faults over HTTP', () => {
  test('500: an unexpected error in StorePayment stores nothing; the problem says retrying is safe', async () => {
    const stack = await failingStack();
    const userId = randomUUID();
    const body = paymentSubmission({ userId });
    const answer = await submit(stack.url, await stack.token({ sub: userId }), body);

    expect(answer.status).toBe(500);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toMatchObject({
      status: 500,
      type: expect.stringMatching(/internal-error$/),
      requestId: answer.headers.get('x-request-id'),
    });
    expect(await storedPayment(documentClient, stack.tableNames.payments, body.id)).toBeUndefined();
  });

  test('503 with Retry-After: the batch could not be read (its first step keeps failing); nothing stored', async () => {
    const stack = await failingStack();
    const payment = paymentSubmission();
    const token = await integrationToken(stack, payment.userId);
    const answer = await submitBatch(stack.url, token, [payment]);
    expectProblem(answer, 503, 'dependency-unavailable');
    expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
    await expectNothingWritten(documentClient, stack.tableNames, payment.id);
  });

  test('two transient Lambda faults in CheckIdempotency are retried with backoff: 201, stored once', async () => {
    const stack = await startWithFault('CheckIdempotency:Lambda.ServiceException:2');
    const userId = randomUUID();
    const body = paymentSubmission({ userId });
    const answer = await submit(stack.url, await stack.token({ sub: userId }), body);

    expect(answer.status).toBe(201);
    expect(await storedPayment(documentClient, stack.tableNames.payments, body.id)).toMatchObject({
      id: body.id,
    });
  });

  test('a fault naming no function stops the stack with a clear message', async () => {
    await expect(startWithFault('NoSuchStep:TypeError')).rejects.toThrow(
      /LOCAL_INJECT_FAULTS names no function: NoSuchStep/,
    );
  });

  test('a bad setting is a start failure too, naming its variable (settings and LOG_LEVEL are read in main)', async () => {
    await expect(startLocalStack({ env: { SFN_PORT: 'eighty', LOG_LEVEL: 'DEBUG' } })).rejects.toThrow(
      /exited with 1 before it was ready:[^]*^The local stack could not start: SFN_PORT must be a port number/m,
    );
  });
});
