import type { Context } from 'aws-lambda';
import { type BatchAnswerBody, batchAnswer } from '#contract/batch-answer';
import type { SubmissionOutput } from '#contract/workflow-io';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface AnswerBatchInput {
  requestId: string;
  /** Each payment's answer, in order: the single workflow's terminal output. */
  results: SubmissionOutput[];
  /** Each payment's id as written (ReadBatch), or null. */
  ids: Array<string | null>;
}

const observability = createObservability();

/** AnswerBatch: the payments' answers as one batch answer, with the counts by status. */
export const handler: (input: AnswerBatchInput, context: Context) => Promise<BatchAnswerBody> = workflowHandler(
  observability,
  async ({ results, ids }) => {
    const answer = batchAnswer(results, ids);
    observability.logger.info('Batch answered', { counts: answer.counts });
    return answer;
  },
);
