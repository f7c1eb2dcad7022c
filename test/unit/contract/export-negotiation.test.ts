import { UnknownExportFormatError, chooseExportFormat } from '#contract/export-negotiation';

describe('chooseExportFormat', () => {
  test.each([
    ['csv', undefined, 'csv'],
    ['jsonl', 'text/csv', 'jsonl'],
    [undefined, 'application/x-ndjson', 'jsonl'],
    [undefined, 'application/jsonl;q=0.9, text/csv;q=0.5', 'jsonl'],
    [undefined, 'TEXT/CSV; charset=utf-8', 'csv'],
    [undefined, '*/*', 'csv'],
    [undefined, 'application/json', 'csv'],
    [undefined, undefined, 'csv'],
  ] as const)('format %p, Accept %p: %s', (format, accept, expected) => {
    expect(chooseExportFormat(format, accept)).toBe(expected);
  });

  test.each(['', 'CSV', 'xlsx', 'json'])('refuses ?format=%p, whatever Accept says', (format) => {
    expect(() => chooseExportFormat(format, 'text/csv')).toThrow(UnknownExportFormatError);
  });
});
