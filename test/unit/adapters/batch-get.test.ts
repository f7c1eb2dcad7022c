import type { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { UnprocessedReadsError, batchGetAll } from '#adapters/batch-get';
import type { BatchRetry } from '#adapters/batch-retry';

const TABLE = 'identities';
const QUICK: BatchRetry = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

const keys = (count: number) => Array.from({ length: count }, (_, i) => ({ userId: `U${i}` }));

/** A stand-in client (a unit test of this one adapter): finds every key it is asked, but leaves `unprocessed` of them. */
const fakeClient = (unprocessed: (asked: Array<{ userId: string }>, call: number) => Array<{ userId: string }>) => {
  const calls: Array<Array<{ userId: string }>> = [];
  const client = {
    send: jest.fn(async (command: BatchGetCommand) => {
      const asked = command.input.RequestItems![TABLE]!.Keys as Array<{ userId: string }>;
      calls.push(asked);
      const left = unprocessed(asked, calls.length);
      const found = asked.filter((key) => !left.includes(key)).map((key) => ({ ...key, state: 'active' }));
      return { Responses: { [TABLE]: found }, UnprocessedKeys: left.length ? { [TABLE]: { Keys: left } } : {} };
    }),
  };
  return { client: client as unknown as DynamoDBDocumentClient, calls };
};

describe('batchGetAll', () => {
  test('asks 100 keys at a time and returns every item found', async () => {
    const { client, calls } = fakeClient(() => []);
    const items = await batchGetAll(client, TABLE, keys(250), QUICK);
    expect(calls.map((asked) => asked.length)).toEqual([100, 100, 50]);
    expect(items.map((item) => item.userId)).toEqual(keys(250).map((key) => key.userId));
  });

  test('asks again only for the keys DynamoDB left unprocessed, until none is left', async () => {
    const { client, calls } = fakeClient((asked, call) => (call < 3 ? asked.slice(0, 2) : []));
    const items = await batchGetAll(client, TABLE, keys(5), QUICK);
    expect(calls.map((asked) => asked.length)).toEqual([5, 2, 2]);
    expect(items.map((item) => item.userId).sort()).toEqual(['U0', 'U1', 'U2', 'U3', 'U4']);
  });

  test('gives up with UnprocessedReadsError after the bounded attempts: no partial page is taken for a whole one', async () => {
    const { client, calls } = fakeClient((asked) => asked.slice(0, 1));
    const read = batchGetAll(client, TABLE, keys(150), QUICK);
    await expect(read).rejects.toThrow(UnprocessedReadsError);
    await expect(read).rejects.toMatchObject({ name: 'UnprocessedReads' });
    expect(calls).toHaveLength(QUICK.attempts);
  });

  test('consistentRead: every call, retries included, reads consistently (open disputes after their markers); by default not', async () => {
    const { client } = fakeClient((asked, call) => (call < 2 ? asked.slice(0, 1) : []));
    await batchGetAll(client, TABLE, keys(150), QUICK, true);
    const consistent = (client.send as jest.Mock).mock.calls.map(
      ([command]: [BatchGetCommand]) => command.input.RequestItems![TABLE]!.ConsistentRead,
    );
    expect(consistent).toEqual([true, true, true]);
    const plain = fakeClient(() => []);
    await batchGetAll(plain.client, TABLE, keys(5), QUICK);
    expect((plain.client.send as jest.Mock).mock.calls[0][0].input.RequestItems[TABLE].ConsistentRead).toBe(false);
  });
});
