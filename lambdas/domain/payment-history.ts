import { previousMonth } from '#domain/month';

/**
 * A commitment's 24-month payment history, most recent month first, and the same history as a
 * Metro 2 Payment History Profile string. Pure; the mapping is in docs/decisions/0015.
 */

export const HISTORY_MONTHS = 24;

/** `disputed`: an open dispute holds the month, neither kept nor missed (decisions/0018). */
export type CycleStatus = 'kept' | 'missed' | 'pending' | 'none' | 'disputed';

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

const RANK: Record<CycleStatus, number> = { none: 0, missed: 1, disputed: 2, pending: 3, kept: 4 };

/** Two commitments merged: each month takes the better of the two (a kept month of either is kept). */
export const mergeHistories = (a: readonly HistoryMonth[], b: readonly HistoryMonth[]): Map<string, CycleStatus> => {
  const merged = new Map<string, CycleStatus>();
  for (const { month, status } of [...a, ...b]) {
    const held = merged.get(month);
    if (held === undefined || RANK[status] > RANK[held]) merged.set(month, status);
  }
  return merged;
};

/**
 * Kept cycles in a row up to the report month; a pending report month neither counts nor ends it, a missed one
 * ends it; a disputed month is stepped over (neither counts nor ends it: decisions/0018).
 */
export const streakOf = (history: readonly HistoryMonth[]): number => {
  const start = history[0]?.status === 'pending' ? 1 : 0;
  let streak = 0;
  for (let index = start; index < history.length; index += 1) {
    const { status } = history[index]!;
    if (status === 'kept') streak += 1;
    else if (status !== 'disputed') break;
  }
  return streak;
};

/**
 * Metro 2 Payment History Profile: one byte a month, most recent first. Kept is `0` (current);
 * pending is `D` (no payment history this month, yet); none is `B` (no history before the first
 * month, never embedded, as it only precedes the first payment); a missed month is `1` to `6`,
 * the count of missed cycles in a row up to it (30 to 180+ days past the due date). A disputed month is `D`
 * (no data reported while the dispute is open: decisions/0018) and, like kept, ends a missed run.
 */
export const paymentHistoryProfile = (history: readonly HistoryMonth[]): string => {
  const codes: string[] = new Array<string>(history.length);
  let missedRun = 0;
  for (let index = history.length - 1; index >= 0; index -= 1) {
    const { status } = history[index]!;
    missedRun = status === 'missed' ? missedRun + 1 : 0;
    codes[index] =
      status === 'kept'
        ? '0'
        : status === 'pending' || status === 'disputed'
          ? 'D'
          : status === 'none'
            ? 'B'
            : String(Math.min(missedRun, 6));
  }
  return codes.join('');
};
