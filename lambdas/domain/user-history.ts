import { nextMonth } from '#domain/month';
import { localMonthOf } from '#domain/payment';
import type { CommitmentPayment, PaymentsOfMonth } from '#domain/report';

/**
 * A user's payments over many months, read at once (the `byUser` index, decision 0022) and sorted
 * into the customer's months. Pure: the store reads one UTC range, these rules say which range and
 * which month each payment counts for.
 */

const DAY_MS = 86_400_000;

/** Every month from `first` to `last`, oldest first; none when `first` is after `last`. */
export const monthsFromTo = (first: string, last: string): string[] => {
  const months: string[] = [];
  for (let month = first; month <= last; month = nextMonth(month)) months.push(month);
  return months;
};

const startOfMonthMs = (month: string): number => Date.parse(`${month}-01T00:00:00.000Z`);

/**
 * The UTC instants (`timestamp`, as stored) between which lie all the payments of the local
 * months `first`..`last`: a local date is less than a day from its UTC date (an offset is under
 * 24 hours), so a day on either side. Payments near the edges of other months come too: sort them
 * out with `byLocalMonth`.
 */
export const utcBoundsOfLocalMonths = (first: string, last: string): { from: string; to: string } => ({
  from: new Date(startOfMonthMs(first) - DAY_MS).toISOString(),
  to: new Date(startOfMonthMs(nextMonth(last)) + DAY_MS).toISOString(),
});

// As the byMonthShard index orders a user's month: by timestamp, the id breaking ties.
const inTimeOrder = (a: CommitmentPayment, b: CommitmentPayment): number =>
  a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * A user's payments as the months `first`..`last`, oldest first, each month present (empty when it
 * had none) and in time order; payments of other local months are left out.
 */
export const byLocalMonth = (
  payments: readonly CommitmentPayment[],
  first: string,
  last: string,
): PaymentsOfMonth[] => {
  const byMonth = new Map(monthsFromTo(first, last).map((month) => [month, [] as CommitmentPayment[]]));
  for (const payment of payments) byMonth.get(localMonthOf(payment))?.push(payment);
  return [...byMonth].map(([month, ofMonth]) => ({ month, payments: ofMonth.sort(inTimeOrder) }));
};
