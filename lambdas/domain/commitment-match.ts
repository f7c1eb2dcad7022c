import { daysBetween } from '#domain/commitment-cycles';

/**
 * Which of a customer's commitments with the same payee key a payment belongs to, when the key
 * alone is ambiguous (one brand, two subscriptions). As the recurring-payment detectors do
 * (Actual Budget: amounts within 7.5 %; Canopy: similar amount, ±5 days): a payment joins the
 * commitment whose last amount it is close to; a price change joins a commitment that is due
 * again; only a payment at another price while every candidate has just been paid starts a new one.
 */

/** Amounts within 7.5 % of the last one are the same commitment's (Actual Budget's "approximately"). */
export const AMOUNT_TOLERANCE = 0.075;
/** A commitment is due again this many days after its last payment: a month less twice the cycle tolerance. */
export const DUE_AGAIN_AFTER_DAYS = 18;

export interface MatchCandidate {
  commitmentId: string;
  /** Minor units of its latest known payment; undefined when no payment of it is at hand. */
  lastAmountMinor: bigint | undefined;
  lastPaidOn: string;
  dueDay: number;
}

const close = (amount: bigint, last: bigint | undefined): boolean => {
  if (last === undefined) return false;
  const difference = amount > last ? amount - last : last - amount;
  // Exact in integers: |a - l| <= 0.075 * |l|, scaled by 1000.
  return difference * 1000n <= (last < 0n ? -last : last) * BigInt(AMOUNT_TOLERANCE * 1000);
};

const dueAgain = (candidate: MatchCandidate, localDate: string): boolean =>
  daysBetween(candidate.lastPaidOn, localDate) >= DUE_AGAIN_AFTER_DAYS;

const dayDistance = (candidate: MatchCandidate, localDate: string): number => {
  const day = Number(localDate.slice(8, 10));
  const raw = Math.abs(day - candidate.dueDay);
  return Math.min(raw, 31 - raw);
};

const amountDistance = (candidate: MatchCandidate, amount: bigint): bigint => {
  if (candidate.lastAmountMinor === undefined) return 1n << 62n;
  const difference = amount - candidate.lastAmountMinor;
  return difference < 0n ? -difference : difference;
};

const nearest = <T>(items: readonly T[], distance: (item: T) => number | bigint): T | undefined =>
  [...items].sort((a, b) => {
    const [x, y] = [distance(a), distance(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  })[0];

/** The candidate the payment joins, or undefined: it starts a commitment of its own. */
export const matchCommitment = (
  candidates: readonly MatchCandidate[],
  payment: { amountMinor: bigint; localDate: string },
): MatchCandidate | undefined => {
  const { amountMinor, localDate } = payment;
  const closeOnes = candidates.filter((candidate) => close(amountMinor, candidate.lastAmountMinor));
  const due = candidates.filter((candidate) => dueAgain(candidate, localDate));
  const closeAndDue = closeOnes.filter((candidate) => due.includes(candidate));
  if (closeAndDue.length > 0) return nearest(closeAndDue, (candidate) => dayDistance(candidate, localDate));
  // A price rise (or fall): the commitment that is due again, at the nearest price.
  if (due.length > 0) return nearest(due, (candidate) => amountDistance(candidate, amountMinor));
  // Two payments of one cycle (a split payment) at about the same amount.
  if (closeOnes.length > 0) return nearest(closeOnes, (candidate) => dayDistance(candidate, localDate));
  return undefined;
};
