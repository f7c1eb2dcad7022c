import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BATCH_RETRY, type BatchRetry, sendUntilProcessed } from '#adapters/batch-retry';

// BatchWriteItem's own limit per call.
const BATCH_WRITE_ITEMS = 25;

/** DynamoDB still left requests unprocessed after every attempt: the write is incomplete and the caller must fail. */
export class UnprocessedWritesError extends Error {
  override readonly name = 'UnprocessedWrites';
}

type WriteRequest = Record<string, unknown>;

/** One batch of up to 25 requests, what DynamoDB leaves unprocessed sent again with backoff, a bounded number of times. */
const writeBatch = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  batch: readonly WriteRequest[],
  retry: BatchRetry,
): Promise<void> => {
  const send = async (requests: readonly WriteRequest[]): Promise<WriteRequest[]> => {
    const result = await documentClient.send(new BatchWriteCommand({ RequestItems: { [tableName]: [...requests] } }));
    return (result.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
  };
  const incomplete = (left: number): Error =>
    new UnprocessedWritesError(
      `${left} of ${batch.length} writes to ${tableName} still unprocessed after ${retry.attempts} attempts`,
    );
  await sendUntilProcessed(batch, retry, send, incomplete);
};

/** BatchWriteItem over every request, 25 at a time; throws UnprocessedWritesError when DynamoDB keeps refusing some. */
export const batchWriteAll = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  all: readonly WriteRequest[],
  retry: BatchRetry = BATCH_RETRY,
): Promise<void> => {
  for (let start = 0; start < all.length; start += BATCH_WRITE_ITEMS) {
    await writeBatch(documentClient, tableName, all.slice(start, start + BATCH_WRITE_ITEMS), retry);
  }
};
