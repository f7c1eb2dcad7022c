/**
 * Calendar months as the reports name them: `2026-10` (UTC). Pure: the month index, the report
 * run and the API all use these rules.
 */
const MONTH = /^([0-9]{4})-(0[1-9]|1[0-2])$/;

export const isMonth = (text: unknown): text is string => typeof text === 'string' && MONTH.test(text);

/** `YYYY-MM` of a year and a month number: the year written with four digits (`0999`), as isMonth reads it. */
const monthOf = (year: number, monthNumber: number): string => {
  const month = `${String(year).padStart(4, '0')}-${String(monthNumber).padStart(2, '0')}`;
  if (!isMonth(month)) throw new RangeError(`No month ${monthNumber} of year ${year}`);
  return month;
};

const yearAndMonth = (month: string): [number, number] => {
  const match = MONTH.exec(month);
  if (!match) throw new RangeError(`Not a month: ${month}`);
  return [Number(match[1]), Number(match[2])];
};

/** The month before `month`: `2026-01` gives `2025-12`, `1000-01` gives `0999-12`. */
export const previousMonth = (month: string): string => {
  const [year, monthNumber] = yearAndMonth(month);
  return monthNumber === 1 ? monthOf(year - 1, 12) : monthOf(year, monthNumber - 1);
};

/** The month after `month`: `2025-12` gives `2026-01`. */
export const nextMonth = (month: string): string => {
  const [year, monthNumber] = yearAndMonth(month);
  return monthNumber === 12 ? monthOf(year + 1, 1) : monthOf(year, monthNumber + 1);
};

/** The month before the one `now` falls in: what the scheduled run reports on. */
export const monthBefore = (now: Date): string => previousMonth(now.toISOString().slice(0, 7));

/**
 * The month shard of a user: FNV-1a over the user id, so a user always lands in the same
 * shard (a re-run finds them where the submissions put them) and ids spread evenly.
 */
export const shardOf = (userId: string, shards: number): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i += 1) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
};

/** RFC 3339 UTC, as EventBridge Scheduler writes `<aws.scheduler.scheduled-time>`: `2026-11-01T02:00:00Z`. */
const SCHEDULED_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$/;

/** A run also reads the payments received in the month after its own (late arrivals): 9999-12 has none. */
export const LAST_MONTH_A_RUN_COVERS = '9999-11';
/** The first month there is: the schedule's time in it has no month before it to report on. */
const FIRST_MONTH = '0000-01';

const coveredByARun = (month: unknown): string | undefined =>
  isMonth(month) && month <= LAST_MONTH_A_RUN_COVERS ? month : undefined;

/**
 * The month a report run covers: `month` when the run was started by hand (`{"month": "2026-10"}`,
 * as `npm run report` sends), else the month before the schedule's `scheduledTime` (the schedule
 * fires on the 1st and reports on the month just ended). The scheduled time, not the clock, so a
 * delivery retried into the 2nd still reports on the right month. Undefined when neither is usable
 * (or the month is 9999-12, or the schedule's time is in 0000-01, which has no month before it).
 */
export const monthToReport = (input: { month?: unknown; scheduledTime?: unknown }): string | undefined => {
  if (input.month !== undefined) return coveredByARun(input.month);
  if (typeof input.scheduledTime !== 'string' || !SCHEDULED_TIME.test(input.scheduledTime)) return undefined;
  const time = new Date(input.scheduledTime);
  // `new Date` rolls an impossible date over (02-30 becomes 03-02): such a time is refused, not moved.
  const valid = !Number.isNaN(time.getTime()) && time.toISOString().slice(0, 19) === input.scheduledTime.slice(0, 19);
  return valid && !input.scheduledTime.startsWith(FIRST_MONTH) ? coveredByARun(monthBefore(time)) : undefined;
};
