import { randomUUID } from 'node:crypto';
import { SCOPES } from '#contract/scopes';
import { EXPORT_COLUMNS } from '#domain/report-export';
import { shardOf } from '#domain/month';
import { MONTH_SHARDS } from '#contract/tables';
import { parseCsv } from '../../support/csv';
import { expectProblem } from '../../support/expectations';
import { answerOf, apiFor, getRaw, parsedAnswer } from '../../support/http';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { sharedReportReadsStack } from '../../support/report-reads-stack';
import { reportWorkflow, runReport, storePayments, storedPayment } from '../../support/reports';
import { freshMonth, freshMonths } from '../../support/fresh-months';

/**
 * GET /reports/{month}/export over HTTP. The reports are built by the real monthly-report workflow
 * (ASL + handlers) in this process, over the test run's tables; the stack serves the same tables.
 */
let stack: RunningLocalStack;
let admin: string;

beforeAll(async () => {
  // Two users a page, so an export of a few users in one shard reads several pages.
  stack = await sharedReportReadsStack();
  admin = await stack.token({ sub: randomUUID(), scope: SCOPES.reportsAdmin });
});

type ExportFormat = 'csv' | 'jsonl';

/** The export through the typed client, its body as text: CSV and JSON Lines are not JSON (a problem still is). */
const exportOf = async (month: string, token?: string, choice: { format?: ExportFormat; accept?: string } = {}) => {
  const result = await apiFor(stack.url, token).GET('/reports/{month}/export', {
    params: { path: { month }, query: choice.format ? { format: choice.format } : {} },
    headers: choice.accept ? { Accept: choice.accept } : {},
    parseAs: 'text',
  });
  return {
    status: result.response.status,
    headers: result.response.headers,
    text: result.data ?? '',
    problem: answerOf(result),
  };
};

/** Five users, at least three of them in one shard (so that shard pages), with awkward payees. */
const usersSharingAShard = (): string[] => {
  for (;;) {
    const users = Array.from({ length: 5 }, () => randomUUID());
    const perShard = new Map<number, number>();
    for (const shard of users.map((user) => shardOf(user, MONTH_SHARDS)))
      perShard.set(shard, (perShard.get(shard) ?? 0) + 1);
    if (Math.max(...perShard.values()) >= 3) return users;
  }
};

describe('GET /reports/{month}/export', () => {
  const workflow = reportWorkflow();

  /** A month of payments for five users, reported by the workflow; streaks from the month before. */
  const reportedMonth = async () => {
    const [previous, month] = freshMonths();
    const users = usersSharingAShard();
    const [alice, bob, carol, ...others] = users as [string, string, string, ...string[]];
    await storePayments([
      storedPayment({
        userId: alice,
        timestamp: `${previous}-04T08:00:00.000Z`,
        description: 'Netflix',
        amount: '10.10',
        amountMinor: 1010,
      }),
      storedPayment({
        userId: alice,
        timestamp: `${month}-03T08:00:00.000Z`,
        description: 'Netflix',
        amount: '10.10',
        amountMinor: 1010,
      }),
      storedPayment({
        userId: alice,
        timestamp: `${month}-20T08:00:00.000Z`,
        description: 'NETFLIX ',
        amount: '10.20',
        amountMinor: 1020,
      }),
      storedPayment({
        userId: bob,
        timestamp: `${month}-05T08:00:00.000Z`,
        description: 'Rent, flat "2"',
        currency: 'JPY',
        amount: '85000',
        amountMinor: 85000,
      }),
      storedPayment({
        userId: carol,
        timestamp: `${month}-06T08:00:00.000Z`,
        description: '=HYPERLINK("http://evil.example")',
        amount: '750.00',
        amountMinor: 75000,
      }),
      storedPayment({
        userId: carol,
        timestamp: `${month}-07T08:00:00.000Z`,
        description: '@SUM(1+1)',
        currency: 'BHD',
        amount: '1.500',
        amountMinor: 1500,
      }),
      ...others.map((userId) =>
        storedPayment({
          userId,
          timestamp: `${month}-10T12:00:00.000Z`,
          description: '-Gym+',
          amount: '20.00',
          amountMinor: 2000,
        }),
      ),
    ]);
    for (const m of [previous, month]) expect((await runReport(workflow, m)).status).toBe('SUCCEEDED');
    return { month, alice, bob, carol, others };
  };

  test('CSV: a header row, then one row per commitment of every user of the month, exact money, quoting and formulas defused; streamed', async () => {
    const { month, alice, bob, carol, others } = await reportedMonth();

    const answer = await exportOf(month, admin, { format: 'csv' });

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="reports-${month}.csv"`);
    // Written as it is read: chunked, no length known up front.
    expect(answer.headers.get('transfer-encoding')).toBe('chunked');
    expect(answer.headers.get('content-length')).toBeNull();
    const [header, ...rows] = parseCsv(answer.text);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    const row = (userId: string, commitmentId: string) => {
      const found = rows.filter((cells) => cells[0] === userId && cells[2] === commitmentId);
      expect(found).toHaveLength(1);
      return Object.fromEntries(EXPORT_COLUMNS.map((column, index) => [column, found[0]![index]]));
    };
    expect(rows).toHaveLength(6);
    expect(row(alice, 'GBP#netflix')).toMatchObject({
      month,
      payee: 'NETFLIX ',
      currency: 'GBP',
      amount: '20.30',
      lastPaidOn: `${month}-20`,
      streak: '2',
    });
    expect(row(alice, 'GBP#netflix').paymentIds?.split(' ')).toHaveLength(2);
    expect(row(bob, 'JPY#rent flat 2')).toMatchObject({
      payee: 'Rent, flat "2"',
      amount: '85000',
      streak: '1',
    });
    expect(row(carol, 'GBP#hyperlink http evil example')).toMatchObject({
      payee: `'=HYPERLINK("http://evil.example")`,
      amount: '750.00',
    });
    expect(row(carol, 'BHD#sum 1')).toMatchObject({ payee: `'@SUM(1+1)`, amount: '1.500' });
    for (const userId of others) expect(row(userId, 'GBP#gym')).toMatchObject({ payee: `'-Gym+`, amount: '20.00' });
    // No cell that a spreadsheet would evaluate.
    for (const cells of rows) for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  test('JSON Lines: by ?format=jsonl or by Accept; one object per commitment, amounts as decimal strings', async () => {
    const { month, alice, bob } = await reportedMonth();

    const byQuery = await exportOf(month, admin, { format: 'jsonl' });
    const byAccept = await exportOf(month, admin, { accept: 'application/x-ndjson' });

    for (const answer of [byQuery, byAccept]) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    }
    expect(byAccept.text).toBe(byQuery.text);
    expect(byQuery.text.endsWith('\n')).toBe(true);
    const objects = byQuery.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(objects).toHaveLength(6);
    for (const object of objects) {
      expect(Object.keys(object)).toEqual([...EXPORT_COLUMNS]);
      expect(typeof object.amount).toBe('string');
    }
    expect(objects.find((object) => object.userId === alice)).toMatchObject({
      amount: '20.30',
      streak: 2,
      history: expect.stringMatching(/^kept kept none/),
    });
    // JSON needs no defusing: the payee is exactly what the customer's app sent.
    expect(objects.find((object) => object.userId === bob)).toMatchObject({
      payee: 'Rent, flat "2"',
      currency: 'JPY',
      amount: '85000',
    });
  });

  test('a month whose run found nobody: 200 with the header alone; a month never run: 404', async () => {
    const empty = freshMonth();
    expect((await runReport(workflow, empty)).status).toBe('SUCCEEDED');

    const csv = await exportOf(empty, admin);
    const jsonl = await exportOf(empty, admin, { format: 'jsonl' });
    const never = await exportOf(freshMonth(), admin);

    expect(csv.status).toBe(200);
    expect(csv.text).toBe(`${EXPORT_COLUMNS.join(',')}\r\n`);
    expect(jsonl.status).toBe(200);
    expect(jsonl.text).toBe('');
    expectProblem(never.problem, 404, 'not-found');
  });

  test('401 without a token; 403 for a user token (read scope only)', async () => {
    const month = freshMonth();
    expectProblem((await exportOf(month)).problem, 401, 'unauthorized');
    expectProblem((await exportOf(month, await stack.token({ sub: randomUUID() }))).problem, 403, 'missing-scope');
  });

  test('400 naming the parameter for an unknown format (whatever Accept says) and for a malformed month', async () => {
    const accept = { Accept: 'text/csv' };
    const refused = [
      // Formats the contract does not have: the typed client cannot send them.
      ...[`/reports/${freshMonth()}/export?format=xlsx`, `/reports/${freshMonth()}/export?format=`].map(
        async (path) => ({
          field: 'format',
          answer: parsedAnswer(await getRaw(stack.url, path, { token: admin, headers: accept })),
        }),
      ),
      exportOf('2026-13', admin, { accept: accept.Accept }).then(({ problem }) => ({
        field: 'month',
        answer: problem,
      })),
    ];
    for (const { field, answer } of await Promise.all(refused)) {
      expectProblem(answer, 400, 'invalid-parameter');
      expect(answer.body.errors).toEqual([expect.objectContaining({ field })]);
    }
  });
});
