import { PaymentConflictError } from '#domain/errors';
import { type Payment, type StoredPayment, localMonthOf, paymentMonth, sameContent } from '#domain/payment';
import type { PaymentReversal } from '#domain/reversal';

/** A payment as persisted: the payment plus who sent it, when, and in which request. */
export interface PaymentRecord extends Payment {
  receivedAt: string;
  /** API request id of the submission that stored it (the execution name). */
  requestId: string;
  /** Token `client_id` of the app that sent it. */
  clientId: string;
  /** Token `sub` of the caller: the user, or an integration acting on the user's behalf. */
  submittedBy: string;
  /** The submit-payment execution that stored it (absent on payments stored before it was kept). */
  executionArn?: string;
  /** The bank returned or reversed it after it was stored (decisions/0019): it stays stored, no longer kept. */
  reversal?: PaymentReversal;
}

/** What a report needs of a stored payment: the report run reads only these attributes. */
export const REPORTABLE_FIELDS = [
  'id',
  'userId',
  'timestamp',
  'localDate',
  'utcOffset',
  'description',
  'currency',
  'amount',
  'amountMinor',
  'clientId',
  'submittedBy',
  'payee',
  'reversal',
] as const;
export type ReportablePayment = Pick<PaymentRecord, (typeof REPORTABLE_FIELDS)[number]>;

/**
 * Received after its own month had ended (a phone syncing on the 1st, a bank-feed backfill): the
 * month's report may already be built, so the next report run rebuilds it (decision 0008). Judged
 * by the calendar alone, with no read: a payment received before its month's run is re-reported
 * once more by the next run, which changes nothing. The payment's month is the customer's (local);
 * the month it was received is UTC, as the report runs' schedule is.
 */
export const isLateArrival = (record: Pick<PaymentRecord, 'timestamp' | 'localDate' | 'receivedAt'>): boolean =>
  localMonthOf(record) < paymentMonth(record.receivedAt);

/** Sent by a trusted integration for the user (the on-behalf scope), not by the user's own token. */
export const submittedOnBehalf = (record: Pick<PaymentRecord, 'userId' | 'submittedBy'>): boolean =>
  record.submittedBy.toLowerCase() !== record.userId.toLowerCase();

/** Port: the one write the submission path makes, and the one read the replay check needs. */
export interface PaymentRepository {
  /** Stores the record unless its id exists; returns the existing record if it does. */
  putIfAbsent(record: PaymentRecord): Promise<{ stored: true } | { stored: false; existing: PaymentRecord }>;
  get(id: string): Promise<PaymentRecord | undefined>;
}

export type StoreOutcome = { outcome: 'created' | 'replayed'; payment: StoredPayment };

export const toStoredPayment = (record: PaymentRecord): StoredPayment => ({
  id: record.id,
  userId: record.userId,
  timestamp: record.timestamp,
  ...(record.localDate !== undefined ? { localDate: record.localDate } : {}),
  ...(record.utcOffset !== undefined ? { utcOffset: record.utcOffset } : {}),
  description: record.description,
  currency: record.currency,
  amount: record.amount,
  ...(record.payee !== undefined ? { payee: record.payee } : {}),
  receivedAt: record.receivedAt,
  ...(record.reversal !== undefined ? { reversal: record.reversal } : {}),
});

/** The answer for a submission whose id is already stored: the first answer, or a conflict. */
export const replayOrConflict = (existing: PaymentRecord, submitted: Payment): StoreOutcome => {
  if (!sameContent(existing, submitted)) {
    throw new PaymentConflictError(`Payment ${submitted.id} already exists with different content`);
  }
  return { outcome: 'replayed', payment: toStoredPayment(existing) };
};

/**
 * Stores a payment at most once, forever: a second submission replays or conflicts. A retry of the
 * same request whose earlier attempt stored the item before its answer was lost (a Lambda timeout,
 * the state machine's Retry) finds its own request id there: that is still the first answer, 201.
 */
export const storePayment = async (record: PaymentRecord, repository: PaymentRepository): Promise<StoreOutcome> => {
  const result = await repository.putIfAbsent(record);
  if (result.stored) return { outcome: 'created', payment: toStoredPayment(record) };
  const outcome = replayOrConflict(result.existing, record);
  return result.existing.requestId === record.requestId ? { outcome: 'created', payment: outcome.payment } : outcome;
};
