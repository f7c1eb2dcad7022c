import type { ExportFormat } from '#domain/report-export';

/**
 * How a request for the report export (GET /reports/{month}/export) picks its format, and the
 * media type each format is served as: HTTP's part of the export, beside the pure formatting
 * of lambdas/domain/report-export.ts.
 */
export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  csv: 'text/csv; charset=utf-8; header=present',
  jsonl: 'application/x-ndjson; charset=utf-8',
};

/** Media types an `Accept` header may name for each format (without parameters). */
const ACCEPTED_MEDIA_TYPES: ReadonlyArray<[string, ExportFormat]> = [
  ['text/csv', 'csv'],
  ['application/x-ndjson', 'jsonl'],
  ['application/jsonl', 'jsonl'],
];

export class UnknownExportFormatError extends Error {
  override readonly name = 'UnknownExportFormat';
}

/**
 * The format of an export: `?format=` decides when given (anything but `csv` or `jsonl` is an
 * error), else the first media type of `Accept` that names one, else CSV. An `Accept` that names
 * neither (`*\/*`, `application/json`) gets CSV rather than a 406: the query parameter is the
 * documented switch, and browsers and spreadsheet tools send broad Accept headers.
 */
export const chooseExportFormat = (format: string | undefined, accept: string | undefined): ExportFormat => {
  if (format !== undefined) {
    if (format === 'csv' || format === 'jsonl') return format;
    throw new UnknownExportFormatError(`format must be csv or jsonl, got ${JSON.stringify(format)}`);
  }
  for (const range of (accept ?? '').split(',')) {
    const mediaType = range.split(';')[0]?.trim().toLowerCase();
    const match = ACCEPTED_MEDIA_TYPES.find(([type]) => type === mediaType);
    if (match) return match[1];
  }
  return 'csv';
};
