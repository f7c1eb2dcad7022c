import { visibleControls } from '#devtools/visible-controls';

/** Rows printed as aligned columns under a header, for people; `--json` is for programs. Cells show their control characters as escapes. */
export const table = (headers: readonly string[], cellRows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const rows = cellRows.map((row) => row.map(visibleControls));
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: ReadonlyArray<string>): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
};

export const formatDate = (date: Date | undefined): string => (date ? date.toISOString() : '-');

export const formatDuration = (ms: number | undefined): string => {
  if (ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
};
