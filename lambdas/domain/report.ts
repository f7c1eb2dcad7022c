import { minorUnits } from '#domain/currencies';
import { descriptionKey } from '#domain/description';
import { formatMinorUnits } from '#domain/money';
import type { PaymentRecord } from '#domain/payment-record';

/**
 * A customer's monthly report for the credit file: the commitments they kept in a month.
 * Pure: the BuildReport handler reads the payments and the previous report and stores the result.
 */

/** One payment as the report cites it, so an auditor can trace each figure to its submission. */
export interface ReportedPayment {
  id: string;
  timestamp: string;
  amount: string;
}

export interface Commitment {
  /** Grouping key: currency and normalised description (`GBP#netflix`). */
  key: string;
  /** The description as the customer's latest payment of the month spelled it. */
  description: string;
  currency: string;
  /** The month's payments to this payee, summed exactly, with the currency's minor-unit digits. */
  amount: string;
  /** UTC date (`2026-10-05`) of the month's latest payment to this payee. */
  paidOn: string;
  /** Consecutive months, this one included, in which this commitment was paid. */
  streak: number;
  payments: ReportedPayment[];
}

export interface MonthlyReport {
  userId: string;
  month: string;
  payments: number;
  commitments: Commitment[];
}

/**
 * The payee of a payment as a person would recognise it: "Netflix", " netflix " and "NETFLIX"
 * are one commitment. NFKC folds look-alike forms (full-width letters, ligatures); case and runs
 * of spaces do not make a different payee.
 */
export const normaliseDescriptionKey = (description: string): string =>
  descriptionKey(description);

export const commitmentKey = (description: string, currency: string): string =>
  `${currency}#${normaliseDescriptionKey(description)}`;

const byTimeThenId = (a: PaymentRecord, b: PaymentRecord): number =>
  a.timestamp === b.timestamp ? a.id.localeCompare(b.id) : a.timestamp < b.timestamp ? -1 : 1;

const toCommitment = (key: string, payments: PaymentRecord[], previous: Commitment | undefined): Commitment => {
  const latest = payments[payments.length - 1]!;
  const units = minorUnits(latest.currency);
  if (units === undefined) throw new RangeError(`Unknown currency ${latest.currency} in a stored payment`);
  const total = payments.reduce((sum, payment) => sum + BigInt(payment.amountMinor), 0n);
  return {
    key,
    description: latest.description,
    currency: latest.currency,
    amount: formatMinorUnits(total, units),
    paidOn: latest.timestamp.slice(0, 10),
    streak: previous ? previous.streak + 1 : 1,
    payments: payments.map(({ id, timestamp, amount }) => ({ id, timestamp, amount })),
  };
};

/**
 * The report of `userId` for `month` from that month's payments, with each commitment's streak
 * continued from the previous month's report. Deterministic: the same payments and previous
 * report give the same report, so a re-run rewrites it unchanged.
 */
export const buildMonthlyReport = (
  userId: string,
  month: string,
  payments: readonly PaymentRecord[],
  previous: MonthlyReport | undefined,
): MonthlyReport => {
  const groups = new Map<string, PaymentRecord[]>();
  for (const payment of [...payments].sort(byTimeThenId)) {
    const key = commitmentKey(payment.description, payment.currency);
    groups.set(key, [...(groups.get(key) ?? []), payment]);
  }
  const previousByKey = new Map((previous?.commitments ?? []).map((commitment) => [commitment.key, commitment]));
  const commitments = [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, group]) => toCommitment(key, group, previousByKey.get(key)));
  return { userId, month, payments: payments.length, commitments };
};
