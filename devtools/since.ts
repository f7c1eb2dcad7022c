const RELATIVE = /^(\d{1,6})([smhd])$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A "since" filter as operators type it, in the console and in `npm run ops`: a duration back from
 * now (`90s`, `30m`, `1h`, `7d`) or an ISO 8601 date or date-time. Undefined when it is neither.
 */
export const parseSince = (text: string, now: Date): Date | undefined => {
  const relative = RELATIVE.exec(text);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  if (!ISO_DATE_TIME.test(text)) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
};
