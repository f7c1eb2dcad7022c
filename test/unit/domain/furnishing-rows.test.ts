import { everyFileDelivered, furnishingOf, furnishingRows } from '#domain/furnishing';
import { withoutIdentity } from '#domain/metro2/formatter';

const delivered = {
  status: 'delivered' as const,
  manifest: {
    month: '2026-10',
    bureau: 'equifax',
    records: { header: 1 as const, base: 2, trailer: 1 as const },
    skipped: { 'no-identity': 1, 'its kind is unknown': 3 },
    erasures: 0,
    sha256: 'ab'.repeat(32),
    location: 's3://files/2026-10/equifax.metro2',
  },
};
const rejected = {
  status: 'rejected' as const,
  month: '2026-10',
  bureau: 'experian',
  violations: [
    { record: 3, rule: 'required', field: 'surname', message: 'is required' },
    { record: 4, rule: 'structure', message: 'a header, a base record and a trailer' },
  ],
};

describe('the run summary’s furnishing files as operators read them', () => {
  test('a delivered file: where, base records, skipped by reason, checks passed; a rejected one: not delivered, which records and rules', () => {
    expect(furnishingRows({ files: [delivered, rejected] })).toEqual([
      [
        'equifax',
        'delivered',
        's3://files/2026-10/equifax.metro2',
        '2',
        '1 no-identity; 3 its kind is unknown',
        'passed',
      ],
      [
        'experian',
        'rejected (not delivered)',
        '-',
        '-',
        '-',
        'failed: record 3 required (surname); record 4 structure',
      ],
    ]);
  });

  test('a month with nothing to furnish: no file, no location, 0 records and why (never "rejected"); an earlier file withdrawn says so', () => {
    const nothing = {
      status: 'nothing-to-furnish' as const,
      month: '2026-10',
      bureau: 'equifax',
      skipped: { 'no-identity': 4 },
      withdrawn: false,
    };
    expect(furnishingRows({ files: [nothing, { ...nothing, bureau: 'experian', withdrawn: true }] })).toEqual([
      ['equifax', 'nothing to furnish (no file)', '-', '0', '4 no-identity', '-'],
      ['experian', 'nothing to furnish (earlier file withdrawn)', '-', '0', '4 no-identity', '-'],
    ]);
  });

  test("a bureau whose step failed: its row names the error, beside the other bureaus' rows", () => {
    const failed = { status: 'failed' as const, month: '2026-10', bureau: 'experian', error: 'DependencyUnavailable' };
    expect(furnishingRows({ files: [delivered, failed] })).toEqual([
      expect.arrayContaining(['equifax', 'delivered']),
      ['experian', 'step failed: DependencyUnavailable (not delivered)', '-', '-', '-', '-'],
    ]);
    expect(everyFileDelivered([delivered, failed])).toBe(false);
  });

  test("erasures are marked only when every bureau's file was delivered (none rejected, none missing)", () => {
    expect(everyFileDelivered([delivered, delivered])).toBe(true);
    expect(everyFileDelivered([delivered, rejected])).toBe(false);
    expect(
      everyFileDelivered([
        { status: 'nothing-to-furnish', month: '2026-10', bureau: 'x', skipped: {}, withdrawn: false },
      ]),
    ).toBe(false);
    expect(everyFileDelivered([])).toBe(false);
  });

  test('a step that failed after its retries is a row of its own', () => {
    expect(furnishingRows({ files: [], error: 'DependencyUnavailable' })).toEqual([
      ['-', 'step failed: DependencyUnavailable', '-', '-', '-', '-'],
    ]);
  });

  test('only a report run’s summary has furnishing files', () => {
    expect(furnishingOf({ month: '2026-10', furnishing: { files: [delivered] } })).toEqual({ files: [delivered] });
    expect(furnishingOf({ statusCode: 201 })).toBeUndefined();
    expect(furnishingOf(null)).toBeUndefined();
    expect(furnishingOf({ furnishing: 'text' })).toBeUndefined();
  });
});

describe('withoutIdentity', () => {
  test('a violation on an identity field keeps its record, rule and field but not a message that could quote the value', () => {
    const violation = { record: 2, rule: 'numeric', field: 'dateOfBirth', message: 'must be digits, got "1985-07-14"' };
    expect(withoutIdentity(violation)).toEqual({
      record: 2,
      rule: 'numeric',
      field: 'dateOfBirth',
      message: expect.not.stringContaining('1985'),
    });
    const other = { record: 2, rule: 'allowed-value', field: 'accountStatus', message: '"ZZ" is not allowed' };
    expect(withoutIdentity(other)).toBe(other);
  });
});
