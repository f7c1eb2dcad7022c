import type { Payment } from '#domain/payment';
import { type PaymentRecord, type StoreOutcome, replayOrConflict } from '#domain/payment-record';

export type IdempotencyOutcome = { outcome: 'new' } | StoreOutcome;

/**
 * After the idempotency check: this request is new if it is the first to claim the payment id,
 * or if the first claimant never stored it (it failed after claiming). A replay answers only
 * from what is durably stored, so a 200 never stands for data that is not there.
 */
export const resolveIdempotency = async (args: {
  requestId: string;
  firstRequestId: string;
  payment: Payment;
  loadStored: (id: string) => Promise<PaymentRecord | undefined>;
}): Promise<IdempotencyOutcome> => {
  if (args.firstRequestId === args.requestId) return { outcome: 'new' };
  const stored = await args.loadStored(args.payment.id);
  if (!stored) return { outcome: 'new' };
  return replayOrConflict(stored, args.payment);
};
