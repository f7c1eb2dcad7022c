import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BATCH_RETRY, type BatchRetry, sendUntilProcessed } from '#adapters/batch-retry';

// BatchGetItem's own limit per call.
const BATCH_GET_KEYS = 100;

/** DynamoDB still left keys unprocessed after every attempt: the read is incomplete and the caller must fail. */
export class UnprocessedReadsError extends Error {
  override readonly name = 'UnprocessedReads';
}

type Key = Record<string, unknown>;
type Item = Record<string, unknown>;

/** One call's keys (up to 100), what DynamoDB leaves unprocessed asked again with backoff. */
const readBatch = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  batch: readonly Key[],
  retry: BatchRetry,
  consistentRead: boolean,
): Promise<Item[]> => {
  const items: Item[] = [];
  const send = async (keys: readonly Key[]): Promise<Key[]> => {
    const result = await documentClient.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [...keys], ConsistentRead: consistentRead } } }),
    );
    items.push(...((result.Responses?.[tableName] ?? []) as Item[]));
    return (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
  };
  const incomplete = (left: number): Error =>
    new UnprocessedReadsError(
      `${left} of ${batch.length} keys of ${tableName} still unprocessed after ${retry.attempts} attempts`,
    );
  await sendUntilProcessed(batch, retry, send, incomplete);
  return items;
};

/**
 * BatchGetItem over every key, 100 at a time: the items found (in no particular order); absent keys give none.
 * `consistentRead`: an item written a moment ago is seen (open disputes' details after their markers).
 */
export const batchGetAll = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  retry: BatchRetry = BATCH_RETRY,
  consistentRead = false,
): Promise<Item[]> => {
  const items: Item[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_KEYS) {
    items.push(
      ...(await readBatch(documentClient, tableName, keys.slice(start, start + BATCH_GET_KEYS), retry, consistentRead)),
    );
  }
  return items;
};
