import { type FieldError, InvalidRequestError } from '#domain/errors';
import { localDateOf } from '#domain/payment';
import { type PaymentRecord, submittedOnBehalf } from '#domain/payment-record';
import { bodyOf, oneOf, textOf, unknownFields } from '#domain/request-fields';
import { canonicalUserId } from '#domain/user-id';
import {
  type PaymentReversal,
  REVERSAL_NOTE_MAX_LENGTH,
  REVERSAL_REASONS,
  type ReversalMark,
  type ReversalRequest,
} from '#domain/reversal';

/**
 * A payment the bank returned or reversed after it was reported (a direct debit returned unpaid: Bacs ARUDD,
 * Nacha R01..): it stays stored, but no longer counts as kept (decisions/0019). Pure: the request rules, who may
 * reverse, and whether a reversal is new, a replay or a conflict.
 */

export {
  type PaymentReversal,
  REVERSAL_NOTE_MAX_LENGTH,
  REVERSAL_REASONS,
  type ReversalMark,
  type ReversalReason,
  type ReversalRequest,
} from '#domain/reversal';

/** The body breaks the rules; names each field. */
export class InvalidReversalError extends InvalidRequestError {
  override readonly name = 'InvalidReversal';
  constructor(fieldErrors: FieldError[]) {
    super('reversal', fieldErrors);
  }
}

/** The payment is already reversed differently: one reversal per payment, for good. */
export class ReversalConflictError extends Error {
  override readonly name = 'ReversalConflict';
  constructor(readonly stored: PaymentReversal) {
    super(`Payment ${stored.paymentId} is already reversed (${stored.reason} on ${stored.reversedOn})`);
  }
}

const FIELDS = ['reason', 'reversedOn', 'note'] as const;
const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** A real calendar date written `YYYY-MM-DD`. */
export const isCalendarDate = (text: unknown): text is string => {
  const match = typeof text === 'string' ? DATE.exec(text) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/** The body of POST /payments/{id}/reversal; InvalidJsonError or InvalidReversalError (naming each field) if not one. */
export const parseReversalRequest = (rawBody: string | null | undefined): ReversalRequest => {
  const body = bodyOf(rawBody, (fieldErrors) => new InvalidReversalError(fieldErrors));
  const errors = unknownFields(body, FIELDS);
  const reason = oneOf(body.reason, 'reason', REVERSAL_REASONS, errors);
  if (!isCalendarDate(body.reversedOn)) errors.push({ field: 'reversedOn', message: 'must be a date, YYYY-MM-DD' });
  const note = body.note === undefined ? null : textOf(body.note, 'note', REVERSAL_NOTE_MAX_LENGTH, errors);
  if (errors.length > 0) throw new InvalidReversalError(errors);
  return { reason, reversedOn: body.reversedOn as string, note };
};

/** The latest date anywhere on Earth at `now` (UTC+14): a bank's date later than it is in the future. */
const latestDateOnEarth = (now: Date): string => new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);

/** A payment is reversed on or after its own (local) date, and not in the future; InvalidReversalError naming `reversedOn`. */
export const checkReversalDate = (
  request: Pick<ReversalRequest, 'reversedOn'>,
  payment: Pick<PaymentRecord, 'timestamp' | 'localDate'>,
  now: Date,
): void => {
  const paidOn = localDateOf(payment);
  if (request.reversedOn < paidOn)
    throw new InvalidReversalError([
      { field: 'reversedOn', message: `must not be before the payment's date, ${paidOn}` },
    ]);
  if (request.reversedOn > latestDateOnEarth(now))
    throw new InvalidReversalError([{ field: 'reversedOn', message: 'must not be in the future' }]);
};

/**
 * Only the integration that submitted the payment for its customer may reverse it: it is the one whose feed sees the
 * return. A payment the customer reported themselves, or another integration's, is not the caller's to reverse.
 */
export const mayReverse = (payment: Pick<PaymentRecord, 'userId' | 'submittedBy'>, sub: string): boolean =>
  submittedOnBehalf(payment) && canonicalUserId(payment.submittedBy) === canonicalUserId(sub);

/** The same reversal sent again: same reason, date and note. */
export const sameReversal = (stored: ReversalRequest, request: ReversalRequest): boolean =>
  stored.reason === request.reason && stored.reversedOn === request.reversedOn && stored.note === request.note;

/**
 * What a reversal request does to a payment that may hold one: `record` a new one, `replay` the stored one (the same
 * request again), or ReversalConflictError (another reversal is stored).
 */
export const reversalOutcome = (stored: PaymentReversal | undefined, request: ReversalRequest): 'record' | 'replay' => {
  if (!stored) return 'record';
  if (sameReversal(stored, request)) return 'replay';
  throw new ReversalConflictError(stored);
};

/** The report's mark of a reversed payment. */
export const reversalMark = ({ reason, reversedOn }: ReversalMark): ReversalMark => ({ reason, reversedOn });
