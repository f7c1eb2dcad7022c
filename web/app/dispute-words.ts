import type { components } from '#client/openapi-types';

/**
 * What the web app says of a customer's disputes (decisions/0018), pure: the reasons the API accepts in words, which
 * dispute a month of a commitment shows, and that dispute's state and outcome as a sentence.
 */
export type Dispute = components['schemas']['Dispute'];
export type DisputeReason = components['schemas']['DisputeRequest']['reason'];

/** Every reason the API accepts, in words (a reason added to the contract fails to compile here until it has words). */
export const REASON_WORDS: Readonly<Record<DisputeReason, string>> = {
  'paid-on-time': 'I paid this month on time',
  'wrong-amount': 'The amount is wrong',
  'not-mine': 'This is not mine',
  'not-a-commitment': 'This is not a regular commitment',
  other: 'Something else',
};

export const DISPUTE_REASONS = Object.keys(REASON_WORDS) as DisputeReason[];

/** A date-time as the day it fell on (UTC, as the API writes it). */
const dayOf = (at: string): string => at.slice(0, 10);

/**
 * The dispute a month of a commitment shows: the open one if any (there is at most one), else the latest resolved.
 * A commitment merged into this one brings its disputes (`mergedFrom`).
 */
export const disputeOfMonth = (
  disputes: readonly Dispute[],
  commitment: { commitmentId: string; mergedFrom?: readonly string[] },
  month: string,
): Dispute | undefined => {
  const ids = new Set([commitment.commitmentId, ...(commitment.mergedFrom ?? [])]);
  const ofMonth = disputes
    .filter((dispute) => ids.has(dispute.commitmentId) && dispute.month === month)
    .sort((a, b) => (a.filed.at < b.filed.at ? 1 : a.filed.at > b.filed.at ? -1 : 0));
  return ofMonth.find((dispute) => dispute.state === 'open') ?? ofMonth[0];
};

const OUTCOME_WORDS: Readonly<Record<Exclude<Dispute['state'], 'open'>, string>> = {
  verified: 'verified: reported as it was',
  corrected: 'corrected',
  deleted: 'deleted: this month is no longer reported',
};

/** A dispute's state in one sentence: open since when, or resolved with its outcome and the operator's note. */
export const disputeStateText = (dispute: Dispute): string => {
  const what = dispute.paymentId === null ? 'Dispute' : 'Dispute of a payment';
  if (dispute.state === 'open' || dispute.resolution === null)
    return `${what} open since ${dayOf(dispute.filed.at)}: we answer within 30 days.`;
  return (
    `${what} resolved on ${dayOf(dispute.resolution.at)}, ${OUTCOME_WORDS[dispute.state]}. ` +
    `Note: ${dispute.resolution.note}`
  );
};
