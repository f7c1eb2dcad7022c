import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '#local/dynamodb-local';
import { freePort } from '#local/free-port';
import { postPayment, storedPayment } from '../support/http';
import { type RunningLocalStack, startLocalStack } from '../support/local-stack';
import { paymentBody } from '../support/submissions';

/**
 * The stack's DynamoDB goes away and comes back: while it is down, answers are 503 with
 * Retry-After and nothing is half-written; afterwards the same requests succeed, once each.
 */
describe('DynamoDB unavailable', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'payments-down-'));
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
    const before = paymentBody({ userId });
    const during = paymentBody({ userId, description: 'Rent' });
    expect((await postPayment(stack.url, { token, body: before })).status).toBe(201);

    await dynamoDb!.stop();
    dynamoDb = undefined;
    for (const body of [during, before]) {
      const answer = await postPayment(stack.url, { token, body });
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }

    dynamoDb = await startDynamoDbLocal({ port: dynamoDbPort, dataDir });
    const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamoDb.endpoint }));
    expect(await storedPayment(documentClient, stack.tableNames.payments, during.id as string)).toBeUndefined();

    const retriedDuring = await postPayment(stack.url, { token, body: during });
    const retriedBefore = await postPayment(stack.url, { token, body: before });
    expect(retriedDuring.status).toBe(201);
    expect(retriedBefore.status).toBe(200);
    expect(await storedPayment(documentClient, stack.tableNames.payments, during.id as string)).toMatchObject({ description: 'Rent' });
  });
});
