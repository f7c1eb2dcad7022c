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
  /** 1..140 characters, NFC, trimmed, no control characters. */
  description: string;
  /** ISO 4217 alphabetic code. */
  currency: string;
  /** Decimal string with exactly the currency's minor-unit digits, e.g. `9.90`, `1000` (JPY). */
  amount: string;
  /** The same amount in integer minor units (pence, yen, fils). */
  amountMinor: number;
}

/** What a 201/200 answer returns: the payment as stored, with when it was received. */
export interface StoredPayment extends Omit<Payment, 'amountMinor'> {
  receivedAt: string;
}

/** The fields that make two submissions of one payment id "the same content". */
export const CONTENT_FIELDS = ['userId', 'timestamp', 'description', 'currency', 'amount'] as const;

export const sameContent = (
  a: Pick<Payment, (typeof CONTENT_FIELDS)[number]>,
  b: Pick<Payment, (typeof CONTENT_FIELDS)[number]>,
): boolean => CONTENT_FIELDS.every((field) => a[field] === b[field]);

/** `2026-10` for a payment on any day of October 2026 (UTC). */
export const paymentMonth = (timestamp: string): string => timestamp.slice(0, 7);
