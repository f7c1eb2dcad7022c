import { minorUnits } from '#domain/currencies';
import { descriptionKey } from '#domain/description';
import { formatMinorUnits } from '#domain/money';
import { type ReportablePayment, submittedOnBehalf } from '#domain/payment-record';

/**
 * A customer's monthly report for the credit file: the commitments they kept in a month.
 * Pure: the BuildReport handler reads the payments and the previous report and stores the result.
 */

/** One payment as the report cites it, so an auditor can trace each figure to its submission. */
export interface ReportedPayment {
  id: string;
  timestamp: string;
  amount: string;
  /** Token `client_id` of the app that submitted it. */
  clientId: string;
  /** True when a trusted integration submitted it for the user (on-behalf scope), not the user's own token. */
  onBehalf: boolean;
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
  /** The distinct client ids behind the figure, sorted: its provenance for the credit bureau. */
  clientIds: string[];
  /** True when any of its payments was submitted with the user's own token rather than by an integration. */
  selfReported: boolean;
  payments: ReportedPayment[];
}

export interface MonthlyReport {
  userId: string;
  month: string;
  payments: number;
  /** When this version of the report was built (a late payment rebuilds it). */
  builtAt: string;
  commitments: Commitment[];
}

/**
 * The payee of a payment as a person would recognise it: "Netflix", " netflix " and "NETFLIX"
 * are one commitment. NFKC folds look-alike forms (full-width letters, ligatures); case and runs
 * of spaces do not make a different payee.
 */
export const normaliseDescriptionKey = (description: string): string => descriptionKey(description);

export const commitmentKey = (description: string, currency: string): string =>
  `${currency}#${normaliseDescriptionKey(description)}`;

const byTimeThenId = (a: ReportablePayment, b: ReportablePayment): number =>
  a.timestamp === b.timestamp ? a.id.localeCompare(b.id) : a.timestamp < b.timestamp ? -1 : 1;

const toCommitment = (key: string, payments: ReportablePayment[], previous: Commitment | undefined): Commitment => {
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
    clientIds: [...new Set(payments.map((payment) => payment.clientId))].sort(),
    selfReported: payments.some((payment) => !submittedOnBehalf(payment)),
    payments: payments.map((payment) => ({
      id: payment.id,
      timestamp: payment.timestamp,
      amount: payment.amount,
      clientId: payment.clientId,
      onBehalf: submittedOnBehalf(payment),
    })),
  };
};

/**
 * The report of `userId` for `month` from that month's payments, with each commitment's streak
 * continued from the previous month's report. Deterministic but for `builtAt`: the same payments
 * and previous report give the same figures, so a re-run rewrites them unchanged.
 */
export const buildMonthlyReport = (
  userId: string,
  month: string,
  payments: readonly ReportablePayment[],
  previous: Pick<MonthlyReport, 'commitments'> | undefined,
  builtAt: string,
): MonthlyReport => {
  const groups = new Map<string, ReportablePayment[]>();
  for (const payment of [...payments].sort(byTimeThenId)) {
    const key = commitmentKey(payment.description, payment.currency);
    const group = groups.get(key);
    if (group) group.push(payment);
    else groups.set(key, [payment]);
  }
  const previousByKey = new Map((previous?.commitments ?? []).map((commitment) => [commitment.key, commitment]));
  const commitments = [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, group]) => toCommitment(key, group, previousByKey.get(key)));
  return { userId, month, payments: payments.length, builtAt, commitments };
};
