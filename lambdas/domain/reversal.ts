/**
 * What a reversal is (decisions/0019): the reasons, the request and the stored record. A leaf module, so the payment
 * types can name it; the rules are in payment-reversal.ts.
 */

export const REVERSAL_REASONS = [
  'returned-unpaid',
  'insufficient-funds',
  'cancelled-by-payer',
  'disputed-with-bank',
  'other',
] as const;
export type ReversalReason = (typeof REVERSAL_REASONS)[number];

/** The optional note, bounded and validated as descriptions are. */
export const REVERSAL_NOTE_MAX_LENGTH = 140;

export interface ReversalRequest {
  reason: ReversalReason;
  /** The date the bank reversed it, `YYYY-MM-DD`: not before the payment's own date, not in the future. */
  reversedOn: string;
  note: string | null;
}

/** What the report cites of a reversal beside the payment. */
export type ReversalMark = Pick<ReversalRequest, 'reason' | 'reversedOn'>;

/** A reversal as stored on its payment: the request, and who recorded it, when, with which client, in which request. */
export interface PaymentReversal extends ReversalRequest {
  paymentId: string;
  recordedAt: string;
  /** The integration's token `sub` (a client, never a customer). */
  by: string;
  clientId: string;
  requestId: string;
}
