import { type Payee, samePayee } from '#domain/payee';
import type { PaymentReversal } from '#domain/reversal';

/**
 * A payment as the product knows it once validated: normalised and exact.
 * Produced once, by `validatePaymentSubmission`; nothing downstream re-checks it.
 */
export interface Payment {
  /** UUID v4, lower case. */
  id: string;
  /** UUID v4, lower case: the customer the payment belongs to. */
  userId: string;
  /** UTC RFC 3339 with milliseconds, e.g. `2026-10-05T09:30:00.000Z`. */
  timestamp: string;
  /**
   * The customer's date, `YYYY-MM-DD` in the offset the client sent (UTC for epoch milliseconds):
   * the payment's month. Absent on payments stored before it was kept (their UTC date stands in).
   */
  localDate?: string;
  /** The offset the client sent: `Z`, `+00:00`, `-01:00`. Absent where `localDate` is. */
  utcOffset?: string;
  /** 1..140 characters, NFC, trimmed, no control characters. */
  description: string;
  /** ISO 4217 alphabetic code. */
  currency: string;
  /** Decimal string with exactly the currency's minor-unit digits, e.g. `9.90`, `1000` (JPY). */
  amount: string;
  /** The same amount in integer minor units (pence, yen, fils). */
  amountMinor: number;
  /** The payee as an integration named it, when it did. */
  payee?: Payee;
}

/** What a 201/200 answer returns: the payment as stored, with when it was received. */
export interface StoredPayment extends Omit<Payment, 'amountMinor'> {
  receivedAt: string;
  /** Present once an integration reported it returned or reversed (decisions/0019). */
  reversal?: PaymentReversal;
}

/** The fields that make two submissions of one payment id "the same content", besides the payee and the offset. */
export const CONTENT_FIELDS = ['userId', 'timestamp', 'description', 'currency', 'amount'] as const;

type Content = Pick<Payment, (typeof CONTENT_FIELDS)[number] | 'payee' | 'utcOffset'>;

/**
 * The payee is content (another payee is another commitment), and so is the offset (another local
 * date); a payment stored before the offset was kept has none, and any offset replays it.
 */
export const sameContent = (stored: Content, submitted: Content): boolean =>
  CONTENT_FIELDS.every((field) => stored[field] === submitted[field]) &&
  samePayee(stored.payee, submitted.payee) &&
  (stored.utcOffset === undefined || stored.utcOffset === submitted.utcOffset);

/** `2026-10` for a payment on any day of October 2026. */
export const paymentMonth = (timestamp: string): string => timestamp.slice(0, 7);

/**
 * The customer's date of a payment: its local date, or for one stored before local dates were
 * kept, its UTC date. Months, the month index and late arrivals are all judged by it.
 */
export const localDateOf = (payment: Pick<Payment, 'timestamp' | 'localDate'>): string =>
  payment.localDate ?? payment.timestamp.slice(0, 10);

/** `2026-10` for a payment on any local day of October 2026. */
export const localMonthOf = (payment: Pick<Payment, 'timestamp' | 'localDate'>): string =>
  paymentMonth(localDateOf(payment));
