import { daysInMonth } from '#domain/commitment-cycles';
import type { HistoryMonth } from '#domain/payment-history';
import { PAST_DUE_STATUSES } from '#domain/metro2/codes';

/**
 * A commitment's standing at a month's Date of Account Information (its last day), as Metro 2
 * defines the Account Status: days past the due date of the oldest cycle still unpaid (CRRG via
 * moov-io/metro2 `base_segment.go`: "0 = 0–29 days past the due date", 30–59 is `71`/`1`, …).
 * Pure; the rules and their sources: docs/decisions/0017.
 */

export const lastDayOf = (month: string): string => `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;

/** Days after its due date at which a cycle first counts as past due (the CRRG's 30-day bands). */
export const DAYS_PER_BAND = 30;

export interface Standing {
  /** Days from the due date of the oldest unpaid cycle of the run to the Date of Account Information. */
  daysPastDue: number;
  /** Unpaid cycles of the run due by the Date of Account Information (the Current Balance counts them). */
  cyclesDue: number;
  /** Those 30 days or more past their due date (the Amount Past Due counts them). */
  cyclesPastDue: number;
  /** `YYYY-MM-DD`: 30 days after the oldest unpaid cycle's due date, when that is 30+ days past due. */
  dateOfFirstDelinquency?: string;
}

const DAY_MS = 86_400_000;
const monthStarts = new Map<string, { day: number; length: number }>();

/** The month's first day as days since 1970 and its length, remembered: a file asks for the same few months. */
const monthStart = (month: string): { day: number; length: number } => {
  let start = monthStarts.get(month);
  if (start === undefined) {
    start = { day: Date.parse(`${month}-01T00:00:00Z`) / DAY_MS, length: daysInMonth(month) };
    monthStarts.set(month, start);
  }
  return start;
};

/** The cycle's due date in days since 1970 (a shorter month's last day stands for 29 to 31, decision 0015). */
const dueEpochDay = (month: string, day: number): number => {
  const start = monthStart(month);
  return start.day + Math.min(day, start.length) - 1;
};

const lastDay = (month: string): number => monthStart(month).day + monthStart(month).length - 1;

const isoDate = (epochDay: number): string => new Date(epochDay * DAY_MS).toISOString().slice(0, 10);

/**
 * The standing at the end of `history[index]`'s month. Unpaid cycles (missed, or pending at the
 * build) run back to the last kept month; an open dispute holds its month out of the run without
 * ending it (decision 0018: neither kept nor missed); a kept cycle brings the account current,
 * as decision 0015's profile counts it (we see cycles paid, not arrears settled).
 */
export const standingAt = (history: readonly HistoryMonth[], index: number, dueOn: number): Standing => {
  const asOf = lastDay(history[index]!.month);
  let oldest: number | undefined;
  let cyclesDue = 0;
  let cyclesPastDue = 0;
  for (let at = index; at < history.length; at += 1) {
    const { month, status } = history[at]!;
    if (status === 'kept' || status === 'none') break;
    if (status === 'disputed') continue;
    const due = dueEpochDay(month, dueOn);
    oldest = due;
    cyclesDue += 1;
    if (asOf - due >= DAYS_PER_BAND) cyclesPastDue += 1;
  }
  const daysPastDue = oldest === undefined ? 0 : asOf - oldest;
  return {
    daysPastDue,
    cyclesDue,
    cyclesPastDue,
    ...(oldest !== undefined && daysPastDue >= DAYS_PER_BAND
      ? { dateOfFirstDelinquency: isoDate(oldest + DAYS_PER_BAND) }
      : {}),
  };
};

/** The 30-day band of a standing: 0 current, 1 for 30–59 days, … 6 for 180 days or more. */
export const bandOf = (standing: Pick<Standing, 'daysPastDue'>): number =>
  Math.min(6, Math.floor(standing.daysPastDue / DAYS_PER_BAND));

/** Account Status of a standing: `11` current, else the past-due ladder `71` … `84`. */
export const statusOfStanding = (standing: Pick<Standing, 'daysPastDue'>): string => {
  const band = bandOf(standing);
  return band === 0 ? '11' : PAST_DUE_STATUSES[band - 1]!;
};

/**
 * Metro 2's Payment History Profile at the report month: byte 1 is the month before (what that
 * month's record reported as its status), byte 24 the 24th month back. Each month is its own
 * standing's band (`0`–`6`), a disputed month too (its record went with that status and `XB`), so
 * byte 1 always agrees with last month's status; months before the first history are `B`, which
 * never sits inside the history (a gap in it is `D`, no data).
 */
export const metro2ProfileOf = (history: readonly HistoryMonth[], dueDay: number): string => {
  const oldestKnown = history.findLastIndex(({ status }) => status !== 'none');
  const codes: string[] = [];
  for (let index = 1; index <= 24; index += 1) {
    const month = history[index];
    if (month === undefined) codes.push(codes.at(-1) === 'B' ? 'B' : 'D');
    else if (index > oldestKnown) codes.push('B');
    else if (month.status === 'none') codes.push('D');
    else codes.push(String(bandOf(standingAt(history, index, dueDay))));
  }
  return codes.join('');
};
