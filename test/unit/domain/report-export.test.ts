import { randomUUID } from 'node:crypto';
import type { Commitment, MonthlyReport } from '#domain/report';
import {
  EXPORT_COLUMNS,
  csvCell,
  exportChunks,
  exportPreamble,
  exportRows,
  formatReports,
} from '#domain/report-export';
import { commitmentFixture } from '../../support/commitments';
import { parseCsv } from '../../support/csv';

const report = (overrides: Partial<MonthlyReport> = {}): MonthlyReport => {
  const userId = randomUUID();
  return {
    userId,
    month: '2026-10',
    payments: 3,
    builtAt: '2026-11-01T02:10:00.000Z',
    commitments: [
      commitmentFixture('2026-10', 3, {
        amount: '0.30',
        dueDay: 3,
        lastPaidOn: '2026-10-20',
        clientIds: ['bank-feed', 'local-user-app'],
        kind: 'subscription',
        payments: [
          {
            id: 'p1',
            timestamp: '2026-10-03T08:00:00.000Z',
            localDate: '2026-10-03',
            amount: '0.10',
            clientId: 'local-user-app',
            onBehalf: false,
          },
          {
            id: 'p2',
            timestamp: '2026-10-20T08:00:00.000Z',
            localDate: '2026-10-20',
            amount: '0.20',
            clientId: 'bank-feed',
            onBehalf: true,
          },
        ],
      }),
      commitmentFixture('2026-10', 1, {
        commitmentId: 'JPY#rent',
        payee: '=HYPERLINK("http://evil.example","Rent, flat 2")',
        payeeKey: 'hyperlink http evil example rent flat 2',
        currency: 'JPY',
        amount: '85000',
        clientIds: ['bank-feed'],
        selfReported: false,
        payments: [
          {
            id: 'p3',
            timestamp: '2026-10-05T08:00:00.000Z',
            localDate: '2026-10-05',
            amount: '85000',
            clientId: 'bank-feed',
            onBehalf: true,
          },
        ],
      }),
    ],
    aheadPayments: [],
    payeeRoutes: [],
    ...overrides,
  };
};

describe('csvCell', () => {
  test.each([
    ['Netflix', 'Netflix'],
    ['9.99', '9.99'],
    [12, '12'],
    ['Rent, flat 2', '"Rent, flat 2"'],
    ['The "Gym"', '"The ""Gym"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+1', `"'=1+1"`],
    ['+44 20 7946 0000', `"'+44 20 7946 0000"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1:A2)', `"'@SUM(A1:A2)"`],
    ['\tcmd', `"'\tcmd"`],
    ['\rcmd', `"'\rcmd"`],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['a=b', 'a=b'],
  ])('%p is written %p', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

describe('export rows', () => {
  test('one row per commitment, money as the exact decimal text, payment ids to trace each figure', () => {
    const r = report();
    const history = `kept kept kept ${new Array<string>(21).fill('none').join(' ')}`;
    expect(exportRows(r)).toEqual([
      {
        userId: r.userId,
        month: '2026-10',
        commitmentId: 'GBP#netflix',
        payee: 'Netflix',
        payeeKey: 'netflix',
        kind: 'subscription',
        currency: 'GBP',
        amount: '0.30',
        dueDay: 3,
        lastPaidOn: '2026-10-20',
        streak: 3,
        history,
        paymentHistoryProfile: `000${'B'.repeat(21)}`,
        clientIds: 'bank-feed local-user-app',
        selfReported: true,
        paymentIds: 'p1 p2',
        consent: false,
        complianceCondition: '',
        reversedMonths: '',
        reversedPaymentIds: '',
      },
      expect.objectContaining({
        commitmentId: 'JPY#rent',
        kind: '',
        amount: '85000',
        streak: 1,
        paymentIds: 'p3',
        clientIds: 'bank-feed',
        selfReported: false,
      }),
    ]);
  });

  test('a bureau gets only the commitments their customer opted in; operations get every one, with its consent', () => {
    const [netflix, rent] = report().commitments as [Commitment, Commitment];
    const r = report({
      commitments: [{ ...netflix, consent: { report: true, changedAt: '2026-10-02T10:00:00.000Z' } }, rent],
    });
    const ids = (rows: { commitmentId: string; consent: boolean }[]) =>
      rows.map((row) => [row.commitmentId, row.consent]);
    expect(ids(exportRows(r, 'bureau'))).toEqual([['GBP#netflix', true]]);
    expect(ids(exportRows(r))).toEqual([
      ['GBP#netflix', true],
      ['JPY#rent', false],
    ]);
    const bureauCsv = formatReports('csv', [r, report({ commitments: [rent] })], 'bureau');
    expect(bureauCsv.split('\r\n').filter((line) => line !== '')).toHaveLength(1);
  });

  test('CSV: a header row, CRLF line ends, every cell read back exactly (quotes, commas) and formulas defused', () => {
    const r = report();
    const text = exportPreamble('csv') + formatReports('csv', [r]);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...EXPORT_COLUMNS]);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual([
      r.userId,
      '2026-10',
      'GBP#netflix',
      'Netflix',
      'netflix',
      'subscription',
      'GBP',
      '0.30',
      '3',
      '2026-10-20',
      '3',
      `kept kept kept ${new Array<string>(21).fill('none').join(' ')}`,
      `000${'B'.repeat(21)}`,
      'bank-feed local-user-app',
      'true',
      'p1 p2',
      'false',
      '',
      '',
      '',
    ]);
    expect(rows[2]?.[EXPORT_COLUMNS.indexOf('payee')]).toBe(`'=HYPERLINK("http://evil.example","Rent, flat 2")`);
    expect(rows[2]?.[EXPORT_COLUMNS.indexOf('amount')]).toBe('85000');
  });

  test('JSON Lines: no preamble, one object per commitment with the CSV column names, amounts as strings', () => {
    const r = report();
    const text = exportPreamble('jsonl') + formatReports('jsonl', [r]);
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects.map((object) => Object.keys(object))).toEqual([[...EXPORT_COLUMNS], [...EXPORT_COLUMNS]]);
    expect(objects[0]).toMatchObject({
      amount: '0.30',
      streak: 3,
      paymentIds: 'p1 p2',
      clientIds: 'bank-feed local-user-app',
      selfReported: true,
    });
    expect(objects[1]).toMatchObject({ clientIds: 'bank-feed', selfReported: false });
    expect(objects[1]?.payee).toBe('=HYPERLINK("http://evil.example","Rent, flat 2")');
  });

  test("a commitment with an open dispute carries XB in both formats (the report's field); the others an empty cell", () => {
    const [netflix, rent] = report().commitments as [Commitment, Commitment];
    const r = report({
      commitments: [
        { ...netflix, complianceCondition: 'XB' },
        { ...rent, complianceCondition: null },
      ],
    });
    const csv = parseCsv(exportPreamble('csv') + formatReports('csv', [r]));
    const column = EXPORT_COLUMNS.indexOf('complianceCondition');
    expect(csv.slice(1).map((row) => row[column])).toEqual(['XB', '']);
    const jsonl = formatReports('jsonl', [r])
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { complianceCondition: unknown }).complianceCondition);
    expect(jsonl).toEqual(['XB', '']);
  });

  test('a reversed payment: its months and its id in their own columns, never among the counted payments', () => {
    const r = report();
    const [netflix, ...rest] = r.commitments;
    const reversed = {
      ...netflix!,
      reversedMonths: ['2026-08', '2026-10'],
      reversedPayments: [
        {
          ...netflix!.payments[0]!,
          id: 'p9',
          reversal: { reason: 'returned-unpaid' as const, reversedOn: '2026-10-09' },
        },
      ],
    };
    const [row] = exportRows({ ...r, commitments: [reversed, ...rest] });
    expect(row).toMatchObject({ paymentIds: 'p1 p2', reversedMonths: '2026-08 2026-10', reversedPaymentIds: 'p9' });
  });

  test('a report with no commitments and an empty page add nothing', () => {
    expect(formatReports('csv', [report({ commitments: [], payments: 0 })])).toBe('');
    expect(formatReports('jsonl', [])).toBe('');
  });
});

describe('exportChunks', () => {
  const pagesOf = async function* (pages: MonthlyReport[][]): AsyncGenerator<MonthlyReport[]> {
    for (const page of pages) yield page;
  };
  const collect = async (chunks: AsyncIterable<string>): Promise<string[]> => {
    const out: string[] = [];
    for await (const chunk of chunks) out.push(chunk);
    return out;
  };

  test('the header, then one chunk per non-empty page, in order', async () => {
    const [a, b] = [report(), report()];
    const chunks = await collect(exportChunks('csv', pagesOf([[a], [], [b]])));
    expect(chunks).toEqual([exportPreamble('csv'), formatReports('csv', [a]), formatReports('csv', [b])]);
  });

  test('a month without reports: the CSV header alone, and nothing at all in JSON Lines', async () => {
    expect(await collect(exportChunks('csv', pagesOf([])))).toEqual([exportPreamble('csv')]);
    expect(await collect(exportChunks('jsonl', pagesOf([[]])))).toEqual([]);
  });

  test('reads a page only when the previous one has been taken (never the whole month at once)', async () => {
    let pagesRead = 0;
    const pages = async function* (): AsyncGenerator<MonthlyReport[]> {
      for (let i = 0; i < 3; i += 1) {
        pagesRead += 1;
        yield [report()];
      }
    };
    const chunks = exportChunks('jsonl', pages());
    await chunks.next();
    expect(pagesRead).toBe(1);
    await chunks.next();
    expect(pagesRead).toBe(2);
  });

  test('a failure while reading ends the body with that error', async () => {
    const failing = async function* (): AsyncGenerator<MonthlyReport[]> {
      yield [report()];
      throw new Error('store down');
    };
    await expect(collect(exportChunks('csv', failing()))).rejects.toThrow('store down');
  });
});
