import { randomUUID } from 'node:crypto';
import type { PaymentSubmission } from '#client/payments-api';
import { SCOPES } from '#contract/scopes';
import { daysInMonth } from '#domain/commitment-cycles';
import type { RunSummary } from '#domain/report-run';
import { monthBefore, previousMonth } from '#domain/month';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { parseCsv } from '../support/csv';
import { answerOf, apiFor, getRaw, postTo, submitBatch } from '../support/http';
import { npmRunReport } from '../support/report-cli';
import { paymentSubmission } from '#devtools/submissions';
import { integrationToken } from '../support/tokens';

/**
 * Five months of one customer's bank feed, as test/workflow/commitments-history.test.ts builds them through the ASL,
 * here end to end: submitted over HTTP with the integration's token, reported by `npm run report` processes beside
 * the started stack, read back over HTTP (the report, both exports), then a late payment and the customer's merge
 * corrected by the next run. The months are the five ending two months ago, so every due date has passed.
 */
let stack: RunningLocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack?.stop();
});

const lastMonth = monthBefore(new Date());
const m5 = previousMonth(lastMonth);
const m4 = previousMonth(m5);
const m3 = previousMonth(m4);
const m2 = previousMonth(m3);
const m1 = previousMonth(m2);
const last = (month: string): string => `${month}-${daysInMonth(month)}`;
const userId = randomUUID();

/** A bank-feed payment at noon UTC on a local date (or at the instant given, with its offset). */
const feed = (localDate: string, description: string, amount: string, timestamp = `${localDate}T12:00:00Z`) =>
  paymentSubmission({ userId, timestamp, description, amount, currency: 'GBP' });

const gym = [feed(`${m1}-01`, 'DD PUREGYM LTD REF 0012345678', '35.00')];
gym.push(feed(`${m2}-01`, 'DIRECT DEBIT PUREGYM LIMITED 0012345679', '35.00'));
// m3's gym payment goes out on the last day of m2 (the 1st is a weekend); m4's is missed.
gym.push(feed(last(m2), 'PUREGYM MANDATE NO 0034', '35.00'));
gym.push(feed(`${m5}-01`, 'DD PUREGYM', '35.00'));
// Netflix by card, its price rising in m3.
const netflix = [
  feed(`${m1}-05`, 'NETFLIX.COM 866-579-7172 CA', '10.99'),
  feed(`${m2}-05`, 'Netflix.com Amsterdam', '10.99'),
  feed(`${m3}-05`, 'CARD PAYMENT TO NETFLIX.COM ON 05', '12.99'),
  feed(`${m4}-05`, 'NETFLIX.COM', '12.99'),
  feed(`${m5}-05`, 'NETFLIX.COM', '12.99'),
];
// Rent by standing order on the 28th; m4's at 23:30 on its last day at -01:00, which is m5 in UTC.
const rent = [
  ...[m1, m2, m3].map((month) => feed(`${month}-28`, 'SO LANDLORD RENT REF 4471', '900.00')),
  feed(last(m4), 'STANDING ORDER LANDLORD RENT', '900.00', `${last(m4)}T23:30:00-01:00`),
  feed(`${m5}-28`, 'SO LANDLORD RENT REF 4471', '900.00'),
];
// Two subscriptions of one brand at two prices.
const appleSmall = [m1, m2, m3, m4, m5].map((month) => feed(`${month}-10`, 'APPLE.COM/BILL 866-712-7753', '2.99'));
const appleLarge = [m1, m2, m3, m4, m5].map((month) => feed(`${month}-20`, 'APPLE.COM/BILL', '9.99'));
// The energy supplier taken over in m4: a new name the payee key cannot tie to the old one; the customer merges them.
const bulb = [m1, m2, m3].map((month) => feed(`${month}-15`, 'BULB ENERGY LTD', '60.00'));
const octopus = [m4, m5].map((month) => feed(`${month}-15`, 'OCTOPUS ENERGY', '60.00'));

const submitAll = async (payments: PaymentSubmission[]): Promise<void> => {
  const answer = await submitBatch(stack.url, await integrationToken(stack), payments);
  expect(answer.status).toBe(200);
  expect(answer.data?.counts).toEqual({ 201: payments.length });
};

/** `npm run report -- --month <month>` as a terminal runs it beside npm start; its run summary. */
const report = async (month: string): Promise<RunSummary> => {
  const run = await npmRunReport(stack, month);
  expect([run.status, run.stderr]).toEqual([0, expect.stringContaining('SUCCEEDED')]);
  return JSON.parse(run.stdout) as RunSummary;
};

interface ReportedCommitment {
  commitmentId: string;
  payee: string;
  payeeKey: string;
  kind: string | null;
  currency: string;
  amount: string;
  dueDay: number;
  streak: number;
  lastPaidOn: string;
  history: { month: string; status: string }[];
  paymentHistoryProfile: string;
  clientIds: string[];
  selfReported: boolean;
  payments: { id: string; localDate: string }[];
  consent: { report: boolean; changedAt: string | null };
  complianceCondition: 'XB' | null;
  reversedMonths?: string[];
  reversedPayments?: { id: string }[];
}

const reportOf = async (month: string): Promise<ReportedCommitment[]> => {
  const token = await stack.token({ sub: userId });
  const answer = answerOf(await apiFor(stack.url, token).GET('/reports/{month}', { params: { path: { month } } }));
  expect(answer.status).toBe(200);
  return answer.body.commitments as ReportedCommitment[];
};

const none = (count: number): string[] => Array<string>(count).fill('none');
const B = (count: number): string => 'B'.repeat(count);

describe('a bank feed over HTTP, reported by npm run report month by month, corrected by a late payment and a merge', () => {
  /** The fifth month's commitments, row by row, as the export writes them for a credit bureau (written out, not computed). */
  const expectedRows = (): Record<string, string>[] => {
    const row = (
      cells: [string, string, string, string, string, string, string, string, string],
      paymentIds: string,
      clientIds = 'local-integration',
    ) => {
      const [commitmentId, payee, payeeKey, amount, dueDay, lastPaidOn, streak, history, profile] = cells;
      return {
        userId,
        month: m5,
        commitmentId,
        payee,
        payeeKey,
        kind: '',
        currency: 'GBP',
        amount,
        dueDay,
        lastPaidOn,
        streak,
        history,
        paymentHistoryProfile: profile,
        clientIds,
        selfReported: 'false',
        paymentIds,
        // Never opted in: the stage default (opted out, decision 0021).
        consent: 'false',
        // No dispute open: no Metro 2 compliance condition (XB while one is, decisions/0018).
        complianceCondition: '',
        reversedMonths: '',
        reversedPaymentIds: '',
      };
    };
    const kept5 = `kept kept kept kept kept ${none(19).join(' ')}`;
    return [
      row(
        [
          'GBP#apple bill',
          'APPLE.COM/BILL 866-712-7753',
          'apple bill',
          '2.99',
          '10',
          `${m5}-10`,
          '5',
          kept5,
          `00000${B(19)}`,
        ],
        appleSmall[4]!.id,
      ),
      row(
        ['GBP#apple bill#999', 'APPLE.COM/BILL', 'apple bill', '9.99', '20', `${m5}-20`, '5', kept5, `00000${B(19)}`],
        appleLarge[4]!.id,
      ),
      row(
        [
          'GBP#bulb energy',
          'BULB ENERGY LTD',
          'bulb energy',
          '0.00',
          '15',
          `${m3}-15`,
          '0',
          `missed missed kept kept kept ${none(19).join(' ')}`,
          `21000${B(19)}`,
        ],
        '',
        // No payment this month: no client behind its figure.
        '',
      ),
      row(
        [
          'GBP#landlord rent',
          'SO LANDLORD RENT REF 4471',
          'landlord rent',
          '900.00',
          '28',
          `${m5}-28`,
          '5',
          kept5,
          `00000${B(19)}`,
        ],
        rent[4]!.id,
      ),
      row(
        ['GBP#netflix', 'NETFLIX.COM', 'netflix', '12.99', '5', `${m5}-05`, '5', kept5, `00000${B(19)}`],
        netflix[4]!.id,
      ),
      row(
        [
          'GBP#octopus energy',
          'OCTOPUS ENERGY',
          'octopus energy',
          '60.00',
          '15',
          `${m5}-15`,
          '2',
          `kept kept ${none(22).join(' ')}`,
          `00${B(22)}`,
        ],
        octopus[1]!.id,
      ),
      row(
        [
          'GBP#puregym',
          'DD PUREGYM',
          'puregym',
          '35.00',
          '1',
          `${m5}-01`,
          '1',
          `kept missed kept kept kept ${none(19).join(' ')}`,
          `01000${B(19)}`,
        ],
        gym[3]!.id,
      ),
    ];
  };

  test('five months of payments, five runs: GET /reports/{month} of the fifth has the commitments expected', async () => {
    await submitAll([...gym, ...netflix, ...rent, ...appleSmall, ...appleLarge, ...bulb, ...octopus]);
    // Each run reports the one customer; none finds a late arrival (all were stored before any run).
    for (const month of [m1, m2, m3, m4, m5])
      expect(await report(month)).toMatchObject({
        month,
        users: 1,
        reported: 1,
        failedUsers: 0,
        late: { payments: 0 },
      });

    const fifth = await reportOf(m5);
    // The report speaks the export's vocabulary: each commitment is its row of the export (lists as text).
    expect(
      fifth.map((c) => ({
        userId,
        month: m5,
        commitmentId: c.commitmentId,
        payee: c.payee,
        payeeKey: c.payeeKey,
        kind: c.kind ?? '',
        currency: c.currency,
        amount: c.amount,
        dueDay: String(c.dueDay),
        lastPaidOn: c.lastPaidOn,
        streak: String(c.streak),
        history: c.history.map(({ status }) => status).join(' '),
        paymentHistoryProfile: c.paymentHistoryProfile,
        clientIds: c.clientIds.join(' '),
        selfReported: String(c.selfReported),
        paymentIds: c.payments.map(({ id }) => id).join(' '),
        // The report carries the consent state; the export its `report` flag.
        consent: String(c.consent.report),
        complianceCondition: c.complianceCondition ?? '',
        reversedMonths: (c.reversedMonths ?? []).join(' '),
        reversedPaymentIds: (c.reversedPayments ?? []).map(({ id }) => id).join(' '),
      })),
    ).toEqual(expectedRows());
    const history = (id: string) => fifth.find((c) => c.commitmentId === id)?.history;
    const gymHistory = history('GBP#puregym');
    expect(gymHistory?.slice(0, 5)).toEqual([
      { month: m5, status: 'kept' },
      { month: m4, status: 'missed' },
      { month: m3, status: 'kept' },
      { month: m2, status: 'kept' },
      { month: m1, status: 'kept' },
    ]);
    expect(gymHistory?.slice(5).map(({ status }) => status)).toEqual(none(19));
    expect(
      history('GBP#bulb energy')
        ?.slice(0, 6)
        .map(({ status }) => status),
    ).toEqual(['missed', 'missed', 'kept', 'kept', 'kept', 'none']);
    // The late evening at -01:00 kept m4's rent, dated on m4's last day; the early gym payment is cited in m3.
    const fourthRent = (await reportOf(m4)).find((c) => c.commitmentId === 'GBP#landlord rent');
    expect(fourthRent).toMatchObject({ amount: '900.00', lastPaidOn: last(m4), payments: [{ id: rent[3]!.id }] });
    const thirdGym = (await reportOf(m3)).find((c) => c.commitmentId === 'GBP#puregym');
    expect(thirdGym?.payments.map((p) => [p.id, p.localDate])).toEqual([[gym[2]!.id, last(m2)]]);
  }, 180_000);

  const exported = async (format: 'csv' | 'jsonl') => {
    const admin = await stack.token({ sub: randomUUID(), scope: SCOPES.reportsAdmin });
    const answer = await getRaw(stack.url, `/reports/${m5}/export?format=${format}`, { token: admin });
    expect(answer.status).toBe(200);
    return answer.text;
  };

  test('the CSV export of the fifth month, row by row', async () => {
    const [header, ...rows] = parseCsv(await exported('csv'));
    const expected = expectedRows();
    expect(header).toEqual(Object.keys(expected[0]!));
    expect(rows.map((cells) => Object.fromEntries(header!.map((column, index) => [column, cells[index]])))).toEqual(
      expected,
    );
  });

  test('the JSON Lines export of the fifth month, row by row (numbers and booleans as JSON)', async () => {
    const lines = (await exported('jsonl')).trimEnd().split('\n');
    const typed = expectedRows().map((row) => ({
      ...row,
      dueDay: Number(row.dueDay),
      streak: Number(row.streak),
      selfReported: false,
      consent: false,
    }));
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(typed);
  });

  test("a late payment for m4 and the customer's merge: the next npm run report rebuilds the months, streaks and histories corrected", async () => {
    // The gym payment of m4, submitted only now (after m4's run).
    const lateGym = feed(`${m4}-02`, 'DD PUREGYM', '35.00');
    await submitAll([lateGym]);
    const customer = await stack.token({ sub: userId });
    const merged = await postTo(stack.url, '/commitments/corrections', {
      token: customer,
      body: { kind: 'merge', from: 'GBP#bulb energy', into: 'GBP#octopus energy' },
    });
    expect([merged.status, merged.body.rebuildFrom]).toEqual([201, m1]);

    // The next scheduled run: last month's, which reads what arrived since.
    // Every payment was received this month, after the five months' runs: all are late arrivals for this run, and
    // the customer's five months are rebuilt in order (its `payments` count counts the correction among them).
    expect((await report(lastMonth)).late).toMatchObject({ users: 1, reports: 5, failedUsers: 0 });

    const fifth = await reportOf(m5);
    expect(fifth.map((c) => [c.commitmentId, c.streak, c.paymentHistoryProfile])).toEqual([
      ['GBP#apple bill', 5, `00000${B(19)}`],
      ['GBP#apple bill#999', 5, `00000${B(19)}`],
      ['GBP#landlord rent', 5, `00000${B(19)}`],
      ['GBP#netflix', 5, `00000${B(19)}`],
      ['GBP#octopus energy', 5, `00000${B(19)}`],
      ['GBP#puregym', 5, `00000${B(19)}`],
    ]);
    const statuses = (commitments: ReportedCommitment[], id: string) =>
      commitments
        .find((c) => c.commitmentId === id)
        ?.history.slice(0, 6)
        .map(({ status }) => status);
    for (const id of ['GBP#puregym', 'GBP#octopus energy'])
      expect(statuses(fifth, id)).toEqual(['kept', 'kept', 'kept', 'kept', 'kept', 'none']);
    const fourth = await reportOf(m4);
    expect(fourth.find((c) => c.commitmentId === 'GBP#puregym')).toMatchObject({
      streak: 4,
      payments: [{ id: lateGym.id }],
    });
    expect(fourth.find((c) => c.commitmentId === 'GBP#octopus energy')).toMatchObject({ streak: 4 });
    // The merged months before the new name: bulb's payments are the merged commitment's now.
    const second = await reportOf(m2);
    expect(second.find((c) => c.commitmentId === 'GBP#octopus energy')).toMatchObject({
      streak: 2,
      payments: [{ id: bulb[1]!.id }],
    });
    expect(second.map((c) => c.commitmentId)).not.toContain('GBP#bulb energy');
  }, 120_000);
});
