import { previousMonth } from '#domain/month';

/**
 * A commitment's 24-month payment history, most recent month first, and the same history as a
 * Metro 2 Payment History Profile string. Pure; the mapping is in docs/decisions/0015.
 */

export const HISTORY_MONTHS = 24;

export type CycleStatus = 'kept' | 'missed' | 'pending' | 'none';

export interface HistoryMonth {
  month: string;
  status: CycleStatus;
}

/** The 24 months ending with `month`, most recent first, with the status each has in `known` (else `none`). */
export const historyOf = (month: string, known: ReadonlyMap<string, CycleStatus>): HistoryMonth[] => {
  const history: HistoryMonth[] = [];
  for (let at = month; history.length < HISTORY_MONTHS; at = previousMonth(at)) {
    history.push({ month: at, status: known.get(at) ?? 'none' });
  }
  return history;
};

const RANK: Record<CycleStatus, number> = { none: 0, missed: 1, pending: 2, kept: 3 };

/** Two commitments merged: each month takes the better of the two (a kept month of either is kept). */
export const mergeHistories = (a: readonly HistoryMonth[], b: readonly HistoryMonth[]): Map<string, CycleStatus> => {
  const merged = new Map<string, CycleStatus>();
  for (const { month, status } of [...a, ...b]) {
    const held = merged.get(month);
    if (held === undefined || RANK[status] > RANK[held]) merged.set(month, status);
  }
  return merged;
};

/** Kept cycles in a row up to the report month; a pending report month neither counts nor ends it, a missed one ends it. */
export const streakOf = (history: readonly HistoryMonth[]): number => {
  const start = history[0]?.status === 'pending' ? 1 : 0;
  let streak = 0;
  for (let index = start; index < history.length && history[index]!.status === 'kept'; index += 1) streak += 1;
  return streak;
};

/**
 * Metro 2 Payment History Profile: one byte a month, most recent first. Kept is `0` (current);
 * pending is `D` (no payment history this month, yet); none is `B` (no history before the first
 * month, never embedded, as it only precedes the first payment); a missed month is `1` to `6`,
 * the count of missed cycles in a row up to it (30 to 180+ days past the due date).
 */
export const paymentHistoryProfile = (history: readonly HistoryMonth[]): string => {
  const codes: string[] = new Array<string>(history.length);
  let missedRun = 0;
  for (let index = history.length - 1; index >= 0; index -= 1) {
    const { status } = history[index]!;
    missedRun = status === 'missed' ? missedRun + 1 : 0;
    codes[index] =
      status === 'kept' ? '0' : status === 'pending' ? 'D' : status === 'none' ? 'B' : String(Math.min(missedRun, 6));
  }
  return codes.join('');
};
