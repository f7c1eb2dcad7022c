import fc from 'fast-check';
import type { Commitment, MonthlyReport, ReportedPayment } from '#domain/report';
import { commitmentFixture } from '../../support/commitments';
import {
  REPORT_PART_BUDGET_BYTES,
  type ReportPart,
  ReportBeingRebuiltError,
  headFigures,
  joinReport,
  splitReport,
} from '#domain/report-parts';
import { isNoChange, summaryChange } from '#domain/report-run';

const citation = (i: number): ReportedPayment => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  timestamp: '2026-10-05T09:30:00.000Z',
  localDate: '2026-10-05',
  amount: '9.99',
  clientId: i % 3 ? 'local-user-app' : 'bank-feed',
  onBehalf: i % 3 === 0,
});

const commitment = (key: string, payments: number, offset = 0): Commitment =>
  commitmentFixture('2026-10', 2, {
    commitmentId: key,
    payee: key.split('#')[1]!,
    payeeKey: key.split('#')[1]!,
    clientIds: ['bank-feed', 'local-user-app'],
    payments: Array.from({ length: payments }, (_, i) => citation(offset + i)),
  });

const report = (commitments: Commitment[]): MonthlyReport => ({
  userId: 'u',
  month: '2026-10',
  payments: commitments.reduce((sum, c) => sum + c.payments.length, 0),
  builtAt: '2026-11-01T02:10:00.000Z',
  commitments,
  aheadPayments: [],
  payeeRoutes: [],
});

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

describe('a report stored in parts', () => {
  test('a usual report is one part', () => {
    const r = report([commitment('GBP#netflix', 2), commitment('GBP#rent', 1)]);
    const parts = splitReport(r);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ part: 0, parts: 1, payments: 3 });
    expect(joinReport(parts)).toEqual(r);
  });

  test('thousands of payments: several parts, each under the budget (so under 400 KB), read back whole', () => {
    const r = report([commitment('GBP#gym', 4000), commitment('GBP#rent', 3000, 4000)]);
    const parts = splitReport(r);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(REPORT_PART_BUDGET_BYTES);
    expect(joinReport(parts)).toEqual(r);
    expect(joinReport([...parts].reverse())).toEqual(r);
  });

  test('property: join(split(r)) is r, and every part fits the budget', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 0, maxLength: 8 }),
        // A commitment's own fields (its 24-month history among them) take about 1.3 KB.
        fc.integer({ min: 2500, max: 8000 }),
        (sizes, budget) => {
          let offset = 0;
          const r = report(sizes.map((n, i) => commitment(`GBP#payee${i}`, n, (offset += n) - n)));
          const parts = splitReport(r, budget);
          for (const part of parts) expect(bytes(part)).toBeLessThanOrEqual(budget);
          expect(joinReport(parts)).toEqual(r);
        },
      ),
    );
  });

  test("an older, longer version's leftover parts are ignored; a part of another build means a rebuild is being written", () => {
    const long = splitReport(report([commitment('GBP#gym', 30)]), 1500);
    const short = report([commitment('GBP#gym', 2)]);
    const shortParts = splitReport({ ...short, builtAt: '2026-12-01T02:10:00.000Z' }, 1500);
    expect(long.length).toBeGreaterThan(shortParts.length);
    expect(joinReport([...shortParts, ...long.slice(shortParts.length)])?.commitments[0]?.payments).toHaveLength(2);
    // New parts 1.. written, part 0 still the old one: not a whole report yet.
    expect(() =>
      joinReport([
        long[0]!,
        ...splitReport({ ...report([commitment('GBP#gym', 30)]), builtAt: 'later' }, 1500).slice(1),
      ]),
    ).toThrow(ReportBeingRebuiltError);
    expect(joinReport([])).toBeUndefined();
  });

  test("versions: the head's version is joined; parts of other versions (killed or superseded builds) are ignored", () => {
    const versioned = (r: MonthlyReport, version: string): ReportPart[] =>
      splitReport(r, 1500).map((part) => ({ ...part, version }));
    const old = versioned(report([commitment('GBP#gym', 30)]), 'v1');
    const newer = versioned({ ...report([commitment('GBP#gym', 31)]), builtAt: '2026-12-01T02:10:00.000Z' }, 'v2');
    expect(old.length).toBeGreaterThan(1);
    // A build killed before its head: its parts 1.. stored beside the visible version.
    expect(joinReport([old[0]!, ...old.slice(1), ...newer.slice(1)])?.payments).toBe(30);
    // Its head written, the old version's parts not yet deleted.
    expect(joinReport([newer[0]!, ...old.slice(1), ...newer.slice(1)])?.payments).toBe(31);
    // No head: no report, whatever parts are there.
    expect(joinReport(newer.slice(1))).toBeUndefined();
    // A head whose own parts are gone (a newer build deleted them while this was read): read again.
    expect(() => joinReport([old[0]!, ...newer.slice(1)])).toThrow(ReportBeingRebuiltError);
  });

  test("the head carries the report's figures; a summary changes by the difference", () => {
    const r = report([commitment('GBP#gym', 30), commitment('GBP#rent', 5)]);
    const [head] = splitReport(r, 1500);
    expect(headFigures(head!)).toEqual({ payments: 35, commitments: 2 });
    // A head stored before commitmentCount was kept counts what it holds.
    expect(headFigures({ ...head!, commitmentCount: undefined })).toEqual({ payments: 35, commitments: 1 });
    expect(summaryChange(undefined, { payments: 2, commitments: 1 })).toEqual({
      users: 1,
      payments: 2,
      commitments: 1,
    });
    expect(summaryChange({ payments: 2, commitments: 1 }, { payments: 3, commitments: 2 })).toEqual({
      users: 0,
      payments: 1,
      commitments: 1,
    });
    expect(isNoChange(summaryChange({ payments: 3, commitments: 2 }, { payments: 3, commitments: 2 }))).toBe(true);
  });
});
