import type { Context } from 'aws-lambda';
import { type BatchRead, MAX_BATCH_BODY_BYTES, MAX_BODY_BYTES } from '#contract/workflow-io';
import { itemRequestId, readBatch } from '#domain/batch';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface ReadBatchInput {
  requestId: string;
  /** The raw request body. */
  body: string;
}

const observability = createObservability();

/**
 * ReadBatch: the batch body's payments, each as its exact text with its own request id (the batch's and its
 * position), for the batch's Map to submit one by one; or InvalidJson, InvalidBatch, PayloadTooLarge for the request.
 */
export const handler: (input: ReadBatchInput, context: Context) => Promise<BatchRead> = workflowHandler(
  observability,
  async ({ requestId, body }) => {
    const items = readBatch(body, { maxBodyBytes: MAX_BATCH_BODY_BYTES, maxItemBytes: MAX_BODY_BYTES });
    observability.logger.info('Batch read', { payments: items.length });
    return {
      items: items.map((item, index) => ({ requestId: itemRequestId(requestId, index), body: item.text })),
      ids: items.map((item) => item.id ?? null),
    };
  },
);
