import type { Context } from 'aws-lambda';
import { type BatchPhase, type ShardWalk, recordFailedBatch } from '#domain/report-batch';
import { pageItems } from '#adapters/report-pages';
import { lazyReportRepository } from '#adapters/report-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface RecordFailedBatchInput extends ShardWalk {
  requestId: string;
  phase: BatchPhase;
  /** The failed batch's error name (the Catch's `$.error.Error`). */
  error: string;
}

const observability = createObservability();
const repository = lazyReportRepository(observability);

/** RecordFailedBatch: the users of a batch that failed after its retries become failures; the walk goes on after them. */
export const handler: (input: RecordFailedBatchInput, context: Context) => Promise<ShardWalk> = workflowHandler(
  observability,
  async ({ requestId: _requestId, ...input }) => {
    const { month, shard, phase, error } = input;
    const output = await recordFailedBatch(repository(), input, { pageItems: pageItems(phase) });
    observability.logger.warn('Report batch failed; its users are recorded', { month, shard, phase, error });
    return output;
  },
);
