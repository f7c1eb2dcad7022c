import type { Dispute } from '#domain/dispute';
import { type CycleStatus, HISTORY_MONTHS } from '#domain/payment-history';
import { previousMonth } from '#domain/month';

/** A dispute as a commitment of the report lists it (docs/next interface). */
export type DisputeMark = Pick<Dispute, 'disputeId' | 'month' | 'paymentId' | 'state'>;

/** What the disputes of one commitment change of its report (decisions/0018). */
export interface DisputedFacts {
  disputes: DisputeMark[];
  /** Metro 2 Compliance Condition Code: `XB` while a dispute of the report month or earlier is open. */
  complianceCondition: 'XB' | null;
  /** Months a `deleted` resolution removed: reported as neither kept nor missed (status `none`). */
  deletedMonths: string[];
}

const firstHistoryMonth = (month: string): string => {
  let at = month;
  for (let n = 1; n < HISTORY_MONTHS; n += 1) at = previousMonth(at);
  return at;
};

/**
 * Marks the disputed months of one commitment's statuses (`known`, changed in place): an open dispute's month is
 * `disputed`, a deleted one's `none`; verified and corrected ones change nothing here (a correction is applied
 * through the commitment corrections). Only the disputes of the 24 months ending with `month` count.
 */
export const markDisputes = (
  known: Map<string, CycleStatus>,
  month: string,
  disputes: readonly Dispute[],
): DisputedFacts => {
  const first = firstHistoryMonth(month);
  const shown = disputes
    .filter((dispute) => dispute.month >= first && dispute.month <= month)
    .sort((a, b) => (a.filed.at < b.filed.at ? -1 : a.filed.at > b.filed.at ? 1 : 0));
  const deleted = new Set(shown.filter((dispute) => dispute.state === 'deleted').map((dispute) => dispute.month));
  for (const at of deleted) known.set(at, 'none');
  const open = shown.filter((dispute) => dispute.state === 'open');
  for (const dispute of open) if (!deleted.has(dispute.month)) known.set(dispute.month, 'disputed');
  return {
    disputes: shown.map(({ disputeId, month: at, paymentId, state }) => ({ disputeId, month: at, paymentId, state })),
    complianceCondition: open.length > 0 ? 'XB' : null,
    deletedMonths: [...deleted].sort(),
  };
};
