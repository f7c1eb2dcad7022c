import type { CapacityLedger } from './capacity';
import { formatFigure, markdownTable } from './stats';

const READS = /^(GetItem|Query|BatchGetItem|TransactGetItems) /;

/** The units a report run consumed per user, read and written, by request (the run's `--capacity` figures). */
export const capacityPerUser = (
  ledger: CapacityLedger,
  users: number,
): { readUnits: number; writeUnits: number; table: string } => {
  const rows = [...ledger].sort(([a], [b]) => (a < b ? -1 : 1));
  const sum = (reads: boolean): number =>
    rows.filter(([key]) => READS.test(key) === reads).reduce((total, [, entry]) => total + entry.units, 0) / users;
  return {
    readUnits: sum(true),
    writeUnits: sum(false),
    table: markdownTable(
      ['request table(/index)', 'requests', 'units', 'units per user'],
      rows.map(([key, entry]) => [
        key,
        entry.requests.toLocaleString('en-GB'),
        formatFigure(entry.units, 1),
        formatFigure(entry.units / users, 2),
      ]),
    ),
  };
};
