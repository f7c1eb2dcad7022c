/** Months as the API writes them (YYYY-MM, UTC). */
export const monthOf = (date: Date): string => date.toISOString().slice(0, 7);

export const addMonths = (month: string, delta: number): string => {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return monthOf(new Date(Date.UTC(year, monthNumber - 1 + delta, 1)));
};

/** `2026-10-05T09:30:00.000Z` -> `2026-10-05`: a payment's day, as on the report. */
export const dayOf = (timestamp: string): string => timestamp.slice(0, 10);
