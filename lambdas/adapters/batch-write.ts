import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

// BatchWriteItem's own limit per call.
const BATCH_WRITE_ITEMS = 25;

/** How often and how patiently unprocessed requests are sent again (AWS: exponential backoff). */
export interface BatchWriteRetry {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

// About 5.5 s of waiting in all: long past a partition's throttling burst, far inside a Lambda's 15 min.
export const BATCH_WRITE_RETRY: BatchWriteRetry = { attempts: 10, baseDelayMs: 25, maxDelayMs: 1000 };

/** DynamoDB still left requests unprocessed after every attempt: the write is incomplete and the caller must fail. */
export class UnprocessedWritesError extends Error {
  override readonly name = 'UnprocessedWrites';
}

type WriteRequest = Record<string, unknown>;

/** The wait before attempt `attempt` (1, 2, ...): doubling from the base, capped. Batch reads use it too. */
export const backoff = (attempt: number, retry: BatchWriteRetry): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt)));

/** One batch of up to 25 requests, what DynamoDB leaves unprocessed sent again with backoff, a bounded number of times. */
const writeBatch = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  batch: readonly WriteRequest[],
  retry: BatchWriteRetry,
): Promise<void> => {
  let requests = batch;
  for (let attempt = 0; attempt < retry.attempts; attempt += 1) {
    if (attempt > 0) await backoff(attempt, retry);
    const result = await documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName]: [...requests] } }));
    requests = (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
    if (requests.length === 0) return;
  }
  throw new UnprocessedWritesError(
    `${requests.length} of ${batch.length} writes to ${tableName} still unprocessed after ${retry.attempts} attempts`,
  );
};

/** BatchWriteItem over every request, 25 at a time; throws UnprocessedWritesError when DynamoDB keeps refusing some. */
export const batchWriteAll = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  all: readonly WriteRequest[],
  retry: BatchWriteRetry = BATCH_WRITE_RETRY,
): Promise<void> => {
  for (let start = 0; start < all.length; start += BATCH_WRITE_ITEMS) {
    await writeBatch(documentClient, tableName, all.slice(start, start + BATCH_WRITE_ITEMS), retry);
  }
};
