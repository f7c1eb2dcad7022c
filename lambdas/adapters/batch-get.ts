import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BATCH_WRITE_RETRY, type BatchWriteRetry, backoff } from '#adapters/batch-write';

// BatchGetItem's own limit per call.
const BATCH_GET_KEYS = 100;

/** DynamoDB still left keys unprocessed after every attempt: the read is incomplete and the caller must fail. */
export class UnprocessedReadsError extends Error {
  override readonly name = 'UnprocessedReads';
}

type Key = Record<string, unknown>;
type Item = Record<string, unknown>;

/** One call's keys (up to 100), what DynamoDB leaves unprocessed asked again with backoff, as batch-write.ts does. */
const readBatch = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  batch: readonly Key[],
  retry: BatchWriteRetry,
  consistentRead: boolean,
): Promise<Item[]> => {
  const items: Item[] = [];
  let keys = batch;
  for (let attempt = 0; attempt < retry.attempts; attempt += 1) {
    if (attempt > 0) await backoff(attempt, retry);
    const result = await documentClient.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: [...keys], ConsistentRead: consistentRead } } }),
    );
    items.push(...((result.Responses?.[tableName] ?? []) as Item[]));
    keys = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
    if (keys.length === 0) return items;
  }
  throw new UnprocessedReadsError(
    `${keys.length} of ${batch.length} keys of ${tableName} still unprocessed after ${retry.attempts} attempts`,
  );
};

/**
 * BatchGetItem over every key, 100 at a time: the items found (in no particular order); absent keys give none.
 * `consistentRead`: an item written a moment ago is seen (open disputes' details after their markers).
 */
export const batchGetAll = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
  retry: BatchWriteRetry = BATCH_WRITE_RETRY,
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
