import { COMMITMENT_ID_PATTERN } from '#domain/commitment-correction';
import { type FieldError, InvalidRequestError } from '#domain/errors';
import { isMonth } from '#domain/month';
import { isUuidV4 } from '#domain/payment-schema';
import { bodyOf, oneOf, textOf, unknownFields } from '#domain/request-fields';
import { canonicalUserId } from '#domain/user-id';

/**
 * A customer's dispute of what their credit file says of one month of a commitment, or of one payment
 * (FCRA §623(a)(8), Regulation V §1022.43: decisions/0018). Filed open; operations resolve it once, for good:
 * no reopen (a new dispute may be filed). Pure: the state machine and the request rules.
 */

export const DISPUTE_REASONS = ['not-mine', 'paid-on-time', 'wrong-amount', 'not-a-commitment', 'other'] as const;
export type DisputeReason = (typeof DISPUTE_REASONS)[number];

export const DISPUTE_OUTCOMES = ['verified', 'corrected', 'deleted'] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

export type DisputeState = 'open' | DisputeOutcome;

/** The customer's free text, bounded and validated as payment descriptions are (decision 0004). */
export const DISPUTE_TEXT_MAX_LENGTH = 500;
/** The operations note on a resolution. */
export const RESOLUTION_NOTE_MAX_LENGTH = 500;

/** Who did a step, when, with which client: every step is audited. */
export interface DisputeStep {
  at: string;
  by: string;
  clientId: string;
}

export interface DisputeRequest {
  commitmentId: string;
  /** The disputed month; for a payment dispute, the payment's own month (the caller's `month` must agree). */
  month: string;
  paymentId: string | null;
  reason: DisputeReason;
  text: string;
}

export interface Dispute extends DisputeRequest {
  disputeId: string;
  userId: string;
  state: DisputeState;
  filed: DisputeStep;
  resolution: (DisputeStep & { outcome: DisputeOutcome; note: string }) | null;
}

export interface ResolutionRequest {
  outcome: DisputeOutcome;
  note: string;
}

/** The body of a dispute request or resolution is JSON but breaks the rules; names each field. */
export class InvalidDisputeError extends InvalidRequestError {
  override readonly name = 'InvalidDispute';
  constructor(fieldErrors: FieldError[]) {
    super('dispute', fieldErrors);
  }
}

/** A resolved dispute is final: resolving it again is refused. */
export class DisputeAlreadyResolvedError extends Error {
  override readonly name = 'DisputeAlreadyResolved';
  constructor(readonly state: DisputeState) {
    super(`The dispute is already resolved (${state}); file a new dispute instead`);
  }
}

const COMMITMENT_ID = new RegExp(COMMITMENT_ID_PATTERN, 'u');

const REQUEST_FIELDS = ['commitmentId', 'month', 'paymentId', 'reason', 'text'] as const;

/** The body of POST /disputes; InvalidJsonError or InvalidDisputeError (naming each field) if not one. */
export const parseDisputeRequest = (rawBody: string | null | undefined): DisputeRequest => {
  const body = bodyOf(rawBody, (fieldErrors) => new InvalidDisputeError(fieldErrors));
  const errors = unknownFields(body, REQUEST_FIELDS);
  const { commitmentId, month, paymentId } = body;
  if (typeof commitmentId !== 'string' || !COMMITMENT_ID.test(commitmentId))
    errors.push({ field: 'commitmentId', message: 'must be a commitment id of yours' });
  if (!isMonth(month)) errors.push({ field: 'month', message: 'must be a month, YYYY-MM' });
  if (paymentId !== undefined && !isUuidV4(paymentId))
    errors.push({ field: 'paymentId', message: 'must be a UUID v4' });
  const reason = oneOf(body.reason, 'reason', DISPUTE_REASONS, errors);
  const text = textOf(body.text, 'text', DISPUTE_TEXT_MAX_LENGTH, errors);
  if (errors.length > 0) throw new InvalidDisputeError(errors);
  return {
    commitmentId: commitmentId as string,
    month: month as string,
    paymentId: isUuidV4(paymentId) ? canonicalUserId(paymentId) : null,
    reason,
    text,
  };
};

/** The body of POST /disputes/{id}/resolution. */
export const parseResolutionRequest = (rawBody: string | null | undefined): ResolutionRequest => {
  const body = bodyOf(rawBody, (fieldErrors) => new InvalidDisputeError(fieldErrors));
  const errors = unknownFields(body, ['outcome', 'note']);
  const outcome = oneOf(body.outcome, 'outcome', DISPUTE_OUTCOMES, errors);
  const note = textOf(body.note, 'note', RESOLUTION_NOTE_MAX_LENGTH, errors);
  if (errors.length > 0) throw new InvalidDisputeError(errors);
  return { outcome, note };
};

/** A new dispute: always open. */
export const fileDispute = (
  disputeId: string,
  userId: string,
  request: DisputeRequest,
  step: DisputeStep,
): Dispute => ({
  disputeId,
  userId,
  ...request,
  state: 'open',
  filed: step,
  resolution: null,
});

/** The one transition: open -> verified | corrected | deleted. Anything else is refused (no reopen). */
export const resolveDispute = (dispute: Dispute, request: ResolutionRequest, step: DisputeStep): Dispute => {
  if (dispute.state !== 'open') throw new DisputeAlreadyResolvedError(dispute.state);
  return { ...dispute, state: request.outcome, resolution: { ...step, ...request } };
};

const DAY_MS = 86_400_000;

/** What the age rules read of a dispute: its state and filing time (an open marker carries as much). */
export type DisputeAge = Pick<Dispute, 'state'> & { filed: Pick<DisputeStep, 'at'> };

/** Whole days a dispute has been open at `now`. */
export const openDays = (dispute: { filed: Pick<DisputeStep, 'at'> }, now: Date): number =>
  Math.floor((now.getTime() - Date.parse(dispute.filed.at)) / DAY_MS);

/** The age after which an open dispute is overdue (FCRA §611(a)(1): 30 days to investigate). */
export const DISPUTE_DEADLINE_DAYS = 30;

/** The one overdue rule (the ops warning and the AWS alarm): open, and open more than 30 whole days. */
export const isOverdue = (dispute: DisputeAge, now: Date): boolean =>
  dispute.state === 'open' && openDays(dispute, now) > DISPUTE_DEADLINE_DAYS;

/** What operations watch of the open disputes: how many, how many overdue, the oldest one's age (0 when none). */
export interface OpenDisputesSummary {
  open: number;
  overdue: number;
  oldestOpenAgeDays: number;
}

export const summariseOpenDisputes = (disputes: readonly DisputeAge[], now: Date): OpenDisputesSummary => {
  const open = disputes.filter((dispute) => dispute.state === 'open');
  return {
    open: open.length,
    overdue: open.filter((dispute) => isOverdue(dispute, now)).length,
    oldestOpenAgeDays: Math.max(0, ...open.map((dispute) => openDays(dispute, now))),
  };
};

/** Open disputes, oldest first, with their age in days. */
export const openDisputesOldestFirst = (disputes: readonly Dispute[], now: Date): (Dispute & { ageDays: number })[] =>
  disputes
    .filter((dispute) => dispute.state === 'open')
    .sort((a, b) => (a.filed.at < b.filed.at ? -1 : a.filed.at > b.filed.at ? 1 : 0))
    .map((dispute) => ({ ...dispute, ageDays: openDays(dispute, now) }));
