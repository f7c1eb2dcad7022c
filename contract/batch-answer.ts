import type { SubmissionOutput } from '#contract/workflow-io';

/**
 * The answer of POST /payments/batch, from each payment's answer as the single workflow's terminal state built it
 * (the batch's Map runs exactly those states). The answer is always 200: each payment has its own status.
 *
 * Its keys are chosen for the response mapping (contract/api-gateway-templates.ts), which cuts the body out of the
 * execution output's text: no object in it has a `headers` or `statusCode` key, so a payment's answer is its
 * `status`, its stored `payment` or its `problem`, and its Retry-After a number.
 */
export interface BatchItemResult {
  index: number;
  /** The stored payment's id; for a refused payment, its `id` as written, when it had a string one. */
  id?: string;
  /** What POST /payments would have answered for this payment alone. */
  status: number;
  /** 201 and 200: the stored payment (200: stored before, replayed). */
  payment?: Record<string, unknown>;
  /** Any other status: the RFC 9457 problem POST /payments would have answered. */
  problem?: Record<string, unknown>;
  /** Seconds, when the payment may be sent again later with the same content (503, or a submission in progress). */
  retryAfter?: number;
}

export interface BatchAnswerBody {
  results: BatchItemResult[];
  /** How many payments got each status, by status (`"201": 98`). */
  counts: Record<string, number>;
}

const isSuccess = (status: number): boolean => status === 200 || status === 201;

const itemResult = (index: number, output: SubmissionOutput, writtenId: string | null | undefined): BatchItemResult => {
  const status = output.statusCode;
  const storedId = isSuccess(status) && typeof output.body.id === 'string' ? output.body.id : undefined;
  const id = storedId ?? writtenId ?? undefined;
  const retryAfter = output.headers['Retry-After'];
  return {
    index,
    ...(id === undefined ? {} : { id }),
    status,
    ...(isSuccess(status) ? { payment: output.body } : { problem: output.body }),
    ...(retryAfter === undefined ? {} : { retryAfter: Number(retryAfter) }),
  };
};

/** The batch answer's body: one result per payment, in order, and the counts by status. */
export const batchAnswer = (
  outputs: readonly SubmissionOutput[],
  ids: ReadonlyArray<string | null>,
): BatchAnswerBody => {
  const results = outputs.map((output, index) => itemResult(index, output, ids[index]));
  const counts: Record<string, number> = {};
  for (const { status } of results) counts[String(status)] = (counts[String(status)] ?? 0) + 1;
  return { results, counts };
};
