import type { PaymentSubmission } from '#client/payments-api';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '#local/dynamodb/dynamodb-local';
import { freePort } from '#local/free-port';
import { type HttpAnswer, submit, storedPayment } from '../support/http';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { IN_PROGRESS_HOLD_MS, retryUntilConfirmed } from '../support/retries';
import { paymentSubmission } from '#devtools/submissions';
import { scratchDir } from '../support/scratch-dir';

/**
 * The stack's DynamoDB goes away and comes back: while it is down, answers are 503 with
 * Retry-After and nothing is half-written; afterwards the same requests succeed, once each.
 * Then the same while a load is in flight.
 */
const WORKERS = 6;
describe('DynamoDB unavailable', () => {
  const dataDir = scratchDir('payments-down-');
  let dynamoDbPort: number;
  let dynamoDb: Awaited<ReturnType<typeof startDynamoDbLocal>> | undefined;
  let stack: RunningLocalStack;

  beforeAll(async () => {
    dynamoDbPort = await freePort();
    dynamoDb = await startDynamoDbLocal({ port: dynamoDbPort, dataDir });
    stack = await startLocalStack({ dynamoDbEndpoint: dynamoDb.endpoint });
  });

  afterAll(async () => {
    await stack?.stop();
    await dynamoDb?.stop();
  });

  test('503 with Retry-After while it is down; 201 then 200 once it is back, each payment stored once', async () => {
    const userId = randomUUID();
    const token = await stack.token({ sub: userId });
    const before = paymentSubmission({ userId });
    const during = paymentSubmission({ userId, description: 'Rent' });
    expect((await submit(stack.url, token, before)).status).toBe(201);

    await dynamoDb!.stop();
    dynamoDb = undefined;
    for (const body of [during, before]) {
      const answer = await submit(stack.url, token, body);
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }

    dynamoDb = await startDynamoDbLocal({ port: dynamoDbPort, dataDir });
    const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamoDb.endpoint }));
    expect(await storedPayment(documentClient, stack.tableNames.payments, during.id as string)).toBeUndefined();

    const retriedDuring = await submit(stack.url, token, during);
    const retriedBefore = await submit(stack.url, token, before);
    expect(retriedDuring.status).toBe(201);
    expect(retriedBefore.status).toBe(200);
    expect(await storedPayment(documentClient, stack.tableNames.payments, during.id as string)).toMatchObject({
      description: 'Rent',
    });
  });

  test('201 or 503 + Retry-After while it goes; every unconfirmed submission stored once after it is back', async () => {
    const userId = randomUUID();
    const token = await stack.token({ sub: userId });
    const answers: { body: PaymentSubmission; answer: HttpAnswer }[] = [];
    let stopped = false;
    const worker = async (): Promise<void> => {
      // Keep sending until the outage has answered at least once per worker.
      for (let outageAnswers = 0; outageAnswers < 2;) {
        const body = paymentSubmission({ userId });
        const answer = await submit(stack.url, token, body);
        answers.push({ body, answer });
        if (stopped) outageAnswers += 1;
      }
    };
    const load = Array.from({ length: WORKERS }, () => worker());
    while (answers.length < 30) await new Promise((resolve) => setTimeout(resolve, 20));
    await dynamoDb!.stop();
    dynamoDb = undefined;
    stopped = true;
    await Promise.all(load);

    // Every id is fresh, so no answer may be a conflict or in-progress: stored, or safe to retry.
    const unexpected = answers.filter(
      ({ answer }) =>
        answer.status !== 201 && !(answer.status === 503 && /^\d+$/.test(answer.headers.get('retry-after') ?? '')),
    );
    expect(unexpected.map(({ answer }) => [answer.status, answer.body])).toEqual([]);
    expect(answers.filter(({ answer }) => answer.status === 503).length).toBeGreaterThan(0);

    dynamoDb = await startDynamoDbLocal({ port: dynamoDbPort, dataDir });
    const restartedAt = Date.now();
    const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamoDb.endpoint }));
    for (const { body } of answers.filter(({ answer }) => answer.status === 201)) {
      expect(await storedPayment(documentClient, stack.tableNames.payments, body.id as string)).toMatchObject({
        id: body.id,
      });
    }

    // Retried as a client would, until each is confirmed.
    const unconfirmed = answers.filter(({ answer }) => answer.status !== 201).map(({ body }) => body);
    await retryUntilConfirmed(stack.url, token, unconfirmed, restartedAt + IN_PROGRESS_HOLD_MS);
    for (const body of unconfirmed) {
      expect(await storedPayment(documentClient, stack.tableNames.payments, body.id as string)).toMatchObject({
        id: body.id,
        userId,
      });
    }
  });
});
