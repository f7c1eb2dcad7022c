import { nextMonth, previousMonth } from '#domain/month';

/**
 * Monthly cycles of a commitment: its due day, which cycle a payment counts for, and whether a
 * cycle with no payment is missed yet. Dates are the customer's local dates (`YYYY-MM-DD`).
 * Pure; the rule and its sources are in docs/decisions/0015-commitments-cycles-history.md.
 */

/** Days either side of a due date within which a payment counts for it (Canopy's ±5 days). */
export const CYCLE_TOLERANCE_DAYS = 5;

const DAY_MS = 86_400_000;

export const daysInMonth = (month: string): number => {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
};

const epochDay = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** Whole days from `from` to `to` (local dates). */
export const daysBetween = (from: string, to: string): number => epochDay(to) - epochDay(from);

/** The due date of the cycle of `month`: the due day, or the month's last day when it has fewer days. */
export const dueDate = (month: string, dueDay: number): string =>
  `${month}-${String(Math.min(dueDay, daysInMonth(month))).padStart(2, '0')}`;

/**
 * A payment's day counted in the month of the cycle it paid: 31 October paid for November's cycle
 * is day 0 of November, so an early payment does not drag the due day to the month's end.
 */
export const dayInCycle = (localDate: string, cycleMonth: string): number =>
  daysBetween(`${cycleMonth}-01`, localDate) + 1;

export const clampDueDay = (day: number): number => Math.min(31, Math.max(1, Math.round(day)));

/**
 * The due day learned from the payments: the median of the day the last two kept cycles were
 * paid and the due day known before, so one early or late month does not move it and two do.
 * Without a due day yet, the first payment's day.
 */
export const learnDueDay = (known: number | undefined, paidDays: readonly number[]): number => {
  const days = [...(known === undefined ? [] : [known]), ...paidDays].sort((a, b) => a - b);
  if (days.length === 0) throw new RangeError('A due day needs a payment');
  return clampDueDay(known !== undefined && days.length === 2 ? known : days[Math.floor((days.length - 1) / 2)]!);
};

/**
 * The cycle a payment of `month` counts for: the one whose due date it is nearest to within the
 * tolerance. The next month's when paid early over the month's end (rent due on the 1st paid on
 * the Friday before), the previous month's when paid late over it (due Saturday 28 February,
 * collected Monday 2 March), else this month's.
 */
export const cycleOf = (localDate: string, month: string, dueDay: number): string => {
  const toThis = Math.abs(daysBetween(localDate, dueDate(month, dueDay)));
  const next = nextMonth(month);
  const toNext = daysBetween(localDate, dueDate(next, dueDay));
  if (toNext <= CYCLE_TOLERANCE_DAYS && toNext < toThis) return next;
  const previous = previousMonth(month);
  const sincePrevious = daysBetween(dueDate(previous, dueDay), localDate);
  return sincePrevious <= CYCLE_TOLERANCE_DAYS && sincePrevious < toThis ? previous : month;
};

/** A cycle without a payment: missed once its due date and the tolerance have passed at `asOf` (UTC date), pending before. */
export const unpaidStatus = (month: string, dueDay: number, asOf: string): 'missed' | 'pending' =>
  daysBetween(dueDate(month, dueDay), asOf.slice(0, 10)) > CYCLE_TOLERANCE_DAYS ? 'missed' : 'pending';
