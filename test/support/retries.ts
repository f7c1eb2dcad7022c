import { SUBMISSION_FUNCTIONS } from '#contract/functions';
import { localTimeoutSeconds } from '#local/lambda/lambda-runtime';
import { functionTimeoutCap } from '#local/local-settings';
import type { PaymentSubmission } from '#client/payments-api';
import { type HttpAnswer, submit } from './http';

/** What crash tests give their stacks: every local function's timeout capped, so an in-progress hold is short. */
export const SHORT_TIMEOUT_ENV = { LOCAL_LAMBDA_TIMEOUT_SECONDS: '3' };

/**
 * How long an idempotency record left IN_PROGRESS by a request cut off mid-way holds its payment
 * id on a stack started with SHORT_TIMEOUT_ENV: Powertools sets its expiry from the CheckIdempotency
 * step's remaining time, so at most that step's timeout after the request began (plus a margin for
 * a slow machine).
 */
export const IN_PROGRESS_HOLD_MS =
  localTimeoutSeconds(
    SUBMISSION_FUNCTIONS.find((definition) => definition.name === 'CheckIdempotency')!,
    functionTimeoutCap(SHORT_TIMEOUT_ENV),
  ) *
    1000 +
  2_000;

export const isInProgress = (answer: HttpAnswer): boolean =>
  answer.status === 409 && String(answer.body.type).endsWith('/submission-in-progress');

/**
 * Retries each submission as a client would until it is confirmed (201 or 200). A 409
 * submission-in-progress is retried until `holdEndsAt`; one still in progress when sent after
 * that, or any other answer, throws: a confirmed submission is what the caller then checks is stored.
 */
export const retryUntilConfirmed = async (
  url: string,
  token: string,
  bodies: PaymentSubmission[],
  holdEndsAt: number,
): Promise<void> => {
  let pending = bodies;
  while (pending.length > 0) {
    // Judged by when the round was sent: a round begun before the expiry may come back in progress
    // after it on a slow machine; one sent after the expiry must not.
    const sentAt = Date.now();
    const answers = await Promise.all(pending.map((body) => submit(url, token, body)));
    const refused = answers.filter((answer) => ![200, 201].includes(answer.status) && !isInProgress(answer));
    if (refused.length > 0)
      throw new Error(`A retry was refused: ${JSON.stringify(refused.map((answer) => [answer.status, answer.body]))}`);
    pending = pending.filter((_, index) => answers[index]!.status === 409);
    if (pending.length > 0 && sentAt > holdEndsAt)
      throw new Error(`Still in progress after the records' expiry: ${pending.map((body) => body.id).join(', ')}`);
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
};
