import {
  NoAccessTokenError,
  type PaymentSubmission,
  type PaymentsApi,
  type Problem,
  type StoredPayment,
} from '#client/payments-api';

/**
 * Submits one payment, retrying what is safe to retry. Safe by construction: the submission (with its payment id) is
 * fixed before the first attempt and every attempt sends that same frozen body, so a retry can only ever be the same
 * submission again, which the API answers once (201, then 200 replayed) and never stores twice. There is no way to
 * resend with another id: a new id is a new submission, made by the caller.
 *
 * It rejects with SubmissionFailedError when an attempt went unanswered (the payment may be stored: the same
 * submission again finds out), and with NoAccessTokenError when the session ended before anything went unanswered
 * (not stored: no attempt reached the API, or each one was answered with a refusal that stores nothing).
 */
export type SubmitOutcome =
  | { kind: 'stored'; status: 201 | 200; replayed: boolean; payment: StoredPayment; attempts: number }
  | { kind: 'refused'; status: number; problem: Problem; attempts: number };

export interface RetryPolicy {
  /** Attempts in all, the first included (default 3). */
  attempts: number;
  /** Wait before the n-th retry (1-based), unless the answer's Retry-After says otherwise (default 250 ms × 2^(n-1)). */
  delayMs: (retry: number) => number;
  /** The longest wait a Retry-After may impose before the client gives up retrying (default 5 s). */
  maxRetryAfterMs: number;
  sleep: (ms: number) => Promise<void>;
}

export class SubmissionFailedError extends Error {
  override readonly name = 'SubmissionFailedError';

  constructor(
    readonly paymentId: string,
    readonly attempts: number,
    options?: ErrorOptions,
  ) {
    super(`Payment ${paymentId} could not be sent after ${attempts} attempts; sending it again is safe`, options);
  }
}

const DEFAULT_POLICY: RetryPolicy = {
  attempts: 3,
  delayMs: (retry) => 250 * 2 ** (retry - 1),
  maxRetryAfterMs: 5_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** 503 (a dependency is down) and 429 (throttled) say nothing was stored and ask for a retry; nothing else does. */
const RETRIED_STATUSES = new Set([429, 503]);

const retryAfterMs = (headers: Headers): number | undefined => {
  const seconds = Number(headers.get('Retry-After'));
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
};

export const submitPayment = async (
  api: PaymentsApi,
  submission: Readonly<PaymentSubmission>,
  policy: Partial<RetryPolicy> = {},
): Promise<SubmitOutcome> => {
  const { attempts, delayMs, maxRetryAfterMs, sleep } = { ...DEFAULT_POLICY, ...policy };
  const body = Object.freeze({ ...submission });
  let lastFailure: unknown;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    let wait = delayMs(attempt);
    try {
      const { data, error, response } = await api.POST('/payments', { body });
      if (data) {
        const status = response.status === 201 ? 201 : 200;
        return { kind: 'stored', status, replayed: status === 200, payment: data, attempts: attempt };
      }
      const problem = error as Problem;
      const retryAfter = retryAfterMs(response.headers);
      if (!RETRIED_STATUSES.has(response.status) || attempt === attempts || (retryAfter ?? 0) > maxRetryAfterMs) {
        return { kind: 'refused', status: response.status, problem, attempts: attempt };
      }
      wait = retryAfter ?? wait;
    } catch (failure) {
      // Not sent at all (no access token: the session ended): retrying cannot help. Nothing of this attempt reached
      // the API; if an earlier one went unanswered, the payment may be stored, and the caller must know that.
      if (failure instanceof NoAccessTokenError) {
        if (lastFailure === undefined) throw failure;
        throw new SubmissionFailedError(body.id, attempt, { cause: failure });
      }
      // No answer (the network failed, the connection was cut): the payment may or may not be stored; the same
      // submission again finds out, at no risk.
      lastFailure = failure;
      if (attempt === attempts) break;
    }
    await sleep(wait);
  }
  throw new SubmissionFailedError(body.id, attempts, { cause: lastFailure });
};
