/** How often and how patiently what a batch call leaves unprocessed is sent again (AWS: exponential backoff). */
export interface BatchRetry {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

// About 5.5 s of waiting in all: long past a partition's throttling burst, far inside a Lambda's 15 min.
export const BATCH_RETRY: BatchRetry = { attempts: 10, baseDelayMs: 25, maxDelayMs: 1000 };

/** The wait before attempt `attempt` (1, 2, ...): doubling from the base, capped. */
const backoff = (attempt: number, retry: BatchRetry): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt)));

/**
 * One batch call (BatchGetItem, BatchWriteItem) over `batch`, then over what DynamoDB left unprocessed again with
 * backoff, `retry.attempts` calls at most. `send` makes one call and answers what it left unprocessed. When some is
 * still unprocessed after the last attempt, throws `incomplete(how many)`: the caller's work is incomplete.
 */
export const sendUntilProcessed = async <Request>(
  batch: readonly Request[],
  retry: BatchRetry,
  send: (pending: readonly Request[]) => Promise<readonly Request[]>,
  incomplete: (left: number) => Error,
): Promise<void> => {
  let pending = batch;
  for (let attempt = 0; attempt < retry.attempts; attempt += 1) {
    if (attempt > 0) await backoff(attempt, retry);
    pending = await send(pending);
    if (pending.length === 0) return;
  }
  throw incomplete(pending.length);
};
