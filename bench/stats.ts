/**
 * The arithmetic of the benchmarks: percentiles of measured latencies and markdown tables.
 * Pure, so a unit test can pin it down (test/unit/bench/stats.test.ts).
 */

/** Nearest-rank percentile (0 < p <= 100) of ascending `sorted` values; NaN when there are none. */
export const percentile = (sorted: readonly number[], p: number): number => {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
};

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export const summariseLatencies = (latencies: readonly number[]): LatencySummary => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
  };
};

/** A figure as a table shows it: `-` for none, no more digits than it deserves. */
export const formatFigure = (value: number | null | undefined, fractionDigits = 0): string =>
  // null: a NaN that travelled through JSON (a child process's figures).
  value === undefined || value === null || Number.isNaN(value)
    ? '-'
    : value.toLocaleString('en-GB', { maximumFractionDigits: fractionDigits, minimumFractionDigits: fractionDigits });

export const formatBytes = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${formatFigure(bytes / (1024 * 1024), 2)} MiB` : `${formatFigure(bytes / 1024, 1)} KiB`;

/** A GitHub-flavoured markdown table; `|` in a cell is escaped so it cannot split the row. */
export const markdownTable = (headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string => {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  for (const row of rows) {
    if (row.length !== headers.length)
      throw new RangeError(`a row has ${row.length} cells, the table ${headers.length} columns`);
  }
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
};
