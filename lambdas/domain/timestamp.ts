/**
 * Payment timestamps: an RFC 3339 date-time with an offset, or integer epoch milliseconds,
 * stored as UTC RFC 3339 with milliseconds so that every stored timestamp sorts as text.
 */

/** 2000-01-01T00:00:00Z: a fixed floor the JSON Schema can state; the moving 24-month window is stricter. */
export const EARLIEST_TIMESTAMP_MS = Date.UTC(2000, 0, 1);

/** Credit bureaus take up to 24 months of history: an older payment cannot be reported. */
export const MAX_PAST_MONTHS = 24;

/**
 * The oldest instant accepted when the API receives a request at `now`: the same time of day,
 * MAX_PAST_MONTHS calendar months earlier (the 29th-31st of a shorter month become its last day).
 */
export const earliestAccepted = (now: Date): number => {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() - MAX_PAST_MONTHS;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(
    year,
    month,
    Math.min(now.getUTCDate(), lastDay),
    now.getUTCHours(),
    now.getUTCMinutes(),
    now.getUTCSeconds(),
    now.getUTCMilliseconds(),
  );
};

/** Client clocks drift; a payment further ahead than this is a client bug, not drift. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export type TimestampInput = { rfc3339: string } | { epochMillis: string };

export type TimestampRefusal =
  | 'not-rfc3339'
  /** A local time: without its offset the instant is unknown. */
  | 'no-offset'
  /** Well-formed but not a real instant: February 30, hour 24, minute 60, a leap second. */
  | 'not-a-real-time'
  /** More than 3 fraction digits: we store milliseconds and will not round a client's instant. */
  | 'too-precise'
  /** Epoch milliseconds written as anything but an integer (`1.5`, `1e12`). */
  | 'not-integer-millis'
  | 'too-far-in-past'
  | 'too-far-in-future';

/**
 * The instant in UTC, and the customer's calendar: the offset as the client sent it (`Z` for epoch
 * milliseconds, which name no offset) and the local date it gives, by which reports date the payment.
 */
export interface DatedTimestamp {
  timestamp: string;
  /** `YYYY-MM-DD` in the client's offset. */
  localDate: string;
  /** `Z`, `+00:00`, `-01:00`, ...: as sent (a lower-case `z` as `Z`). */
  utcOffset: string;
}

export type TimestampResult = ({ ok: true } & DatedTimestamp) | { ok: false; reason: TimestampRefusal };

// RFC 3339 §5.6 allows a lower-case `t` and `z`. The offset is optional here only so that a
// missing one gets its own refusal; a space separator (RFC 3339's NOTE) is not accepted.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))?$/;
const INTEGER = /^-?[0-9]+$/;

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

type Parsed =
  { ok: true; epochMs: bigint; offsetMs: number; utcOffset: string } | { ok: false; reason: TimestampRefusal };

const parseRfc3339 = (text: string): Parsed => {
  const match = RFC3339.exec(text);
  if (!match) return { ok: false, reason: 'not-rfc3339' };
  const [, year, month, day, hour, minute, second, fraction = '', zulu, sign, offsetHour, offsetMinute] = match;
  if (!zulu && !sign) return { ok: false, reason: 'no-offset' };
  if (fraction.length > 3) return { ok: false, reason: 'too-precise' };

  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [oh, om] = [Number(offsetHour ?? 0), Number(offsetMinute ?? 0)];
  // Seconds stop at 59: a leap second has no epoch-millisecond value to store.
  const real =
    mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h <= 23 && mi <= 59 && s <= 59 && oh <= 23 && om <= 59;
  if (!real) return { ok: false, reason: 'not-a-real-time' };

  // Date.UTC maps years 0-99 to 1900-1999; those are refused as too far in the past either way.
  const local = Date.UTC(y, mo - 1, d, h, mi, s, Number(fraction.padEnd(3, '0')));
  const offsetMs = (sign === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  const utcOffset = zulu ? 'Z' : `${sign}${offsetHour}:${offsetMinute}`;
  return { ok: true, epochMs: BigInt(local - offsetMs), offsetMs, utcOffset };
};

const parseEpochMillis = (text: string): Parsed =>
  INTEGER.test(text)
    ? { ok: true, epochMs: BigInt(text), offsetMs: 0, utcOffset: 'Z' }
    : { ok: false, reason: 'not-integer-millis' };

/**
 * The payment's instant as `YYYY-MM-DDTHH:mm:ss.sssZ` with its local date and offset, or why it is refused. `now` is when the
 * API received the request, so a retried validation decides the same way.
 */
export const normaliseTimestamp = (input: TimestampInput, now: Date): TimestampResult => {
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('normaliseTimestamp: `now` is not a valid date');

  const parsed = 'rfc3339' in input ? parseRfc3339(input.rfc3339) : parseEpochMillis(input.epochMillis);
  if (!parsed.ok) return parsed;
  // Compared as BigInt: an epoch literal may be far beyond what Date or a float holds exactly.
  if (parsed.epochMs < BigInt(earliestAccepted(now))) return { ok: false, reason: 'too-far-in-past' };
  if (parsed.epochMs > BigInt(nowMs + MAX_FUTURE_SKEW_MS)) return { ok: false, reason: 'too-far-in-future' };
  const epochMs = Number(parsed.epochMs);
  return {
    ok: true,
    timestamp: new Date(epochMs).toISOString(),
    localDate: new Date(epochMs + parsed.offsetMs).toISOString().slice(0, 10),
    utcOffset: parsed.utcOffset,
  };
};
