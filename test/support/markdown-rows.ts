/** The first line of a rendered markdown report that starts so: a table row, found by its first cells. */
export const rowStarting = (report: string, start: string): string => {
  const row = report.split('\n').find((line) => line.startsWith(start));
  if (!row) throw new Error(`no row starting ${start}`);
  return row;
};
