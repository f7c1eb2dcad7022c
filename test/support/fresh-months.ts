import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** Where the run's report tests claim their years: a directory global-setup.ts makes in the run's folder. */
export const YEAR_CLAIMS_ENV = 'TEST_YEAR_CLAIMS';

/**
 * A year no other test of this run reports on: the month index is shared by the whole run's database, so a report test
 * owns whole years. A year is claimed (an exclusive mkdir in the run's directory, global-setup.ts), not drawn and hoped
 * unique: two files drawing from a few hundred years met once in a fresh-clone run.
 */
const claimYear = (from: number, to: number): number => {
  const claims = process.env[YEAR_CLAIMS_ENV];
  if (!claims) throw new Error(`${YEAR_CLAIMS_ENV} is not set: run the tests with jest (test/support/global-setup.ts)`);
  for (let attempt = 0; attempt < 1000; attempt += 1) {
    const year = from + Math.floor(Math.random() * (to - from));
    try {
      mkdirSync(path.join(claims, String(year)));
      return year;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`No unclaimed year left in ${from}..${to - 1}`);
};

const monthsOf = (year: number, first: number, count: number): string[] =>
  Array.from({ length: count }, (_, index) => `${year}-${String(first + index).padStart(2, '0')}`);

/** Three consecutive months of a far-future year of its own, from month 01..09 (so never across a year end). */
export const freshMonths = (): [string, string, string] =>
  monthsOf(claimYear(2200, 9200), 1 + Math.floor(Math.random() * 9), 3) as [string, string, string];

/** A month no other test writes to: the first of freshMonths (its year is the test's alone). */
export const freshMonth = (): string => freshMonths()[0];

/**
 * `count` consecutive months from month `first` of a past year of its own (before 1990), so every due date has passed
 * when their reports are built: an unpaid cycle is missed.
 */
export const freshPastMonths = (count: number, first = 1): string[] => monthsOf(claimYear(1000, 1990), first, count);
