import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BatchRetry } from '#adapters/batch-retry';
import { UnprocessedWritesError, batchWriteAll } from '#adapters/batch-write';

const TABLE = 'payments';
const QUICK: BatchRetry = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

const puts = (count: number) => Array.from({ length: count }, (_, i) => ({ PutRequest: { Item: { pk: `P#${i}` } } }));

/** A stand-in client (a unit test of this one adapter) that leaves unprocessed what `unprocessed` picks from each call. */
const fakeClient = (unprocessed: (requests: unknown[], call: number) => unknown[]) => {
  const calls: unknown[][] = [];
  const client = {
    send: jest.fn(async (command: BatchWriteCommand) => {
      const requests = command.input.RequestItems![TABLE]!;
      calls.push(requests);
      const left = unprocessed(requests, calls.length);
      return left.length > 0 ? { UnprocessedItems: { [TABLE]: left } } : { UnprocessedItems: {} };
    }),
  };
  return { client: client as unknown as DynamoDBDocumentClient, calls };
};

describe('batchWriteAll', () => {
  test('sends 25 requests at a time, each once when DynamoDB processes them all', async () => {
    const { client, calls } = fakeClient(() => []);
    await batchWriteAll(client, TABLE, puts(60), QUICK);
    expect(calls.map((requests) => requests.length)).toEqual([25, 25, 10]);
  });

  test('sends again only what DynamoDB left unprocessed, until none is left', async () => {
    const { client, calls } = fakeClient((requests, call) => (call < 3 ? requests.slice(0, 2) : []));
    await batchWriteAll(client, TABLE, puts(5), QUICK);
    expect(calls.map((requests) => requests.length)).toEqual([5, 2, 2]);
    expect(calls[1]).toEqual(puts(5).slice(0, 2));
  });

  test('gives up with UnprocessedWritesError after the bounded attempts when items stay unprocessed', async () => {
    const { client, calls } = fakeClient((requests) => requests.slice(0, 1));
    const written = batchWriteAll(client, TABLE, puts(30), QUICK);
    await expect(written).rejects.toThrow(UnprocessedWritesError);
    await expect(written).rejects.toMatchObject({ name: 'UnprocessedWrites' });
    // The first batch's four attempts; the second batch is never sent.
    expect(calls).toHaveLength(QUICK.attempts);
  });

  test('the default retry is bounded', async () => {
    const { client, calls } = fakeClient((requests) => requests);
    jest.useFakeTimers();
    try {
      const written = batchWriteAll(client, TABLE, puts(1)).catch((error: unknown) => error);
      await jest.runAllTimersAsync();
      expect(await written).toBeInstanceOf(UnprocessedWritesError);
    } finally {
      jest.useRealTimers();
    }
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.length).toBeLessThanOrEqual(10);
  });
});
