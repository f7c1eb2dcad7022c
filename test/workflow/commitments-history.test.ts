import { randomUUID } from 'node:crypto';
import { daysInMonth } from '#domain/commitment-cycles';
import type { PaymentRecord } from '#domain/payment-record';
import type { MonthlyReport } from '#domain/report';
import type { RunSummary } from '#domain/report-run';
import type { ExecutionRecord } from '#local/step-functions/execution-store';
import { previousMonth } from '#domain/month';
import { reportWorkflow, reportsRepository, runReport, storePayments, storedPayment } from '../support/reports';
import { freshPastMonths } from '../support/fresh-months';

// Five months of a bank feed for one customer, through the real ASL, handlers and DynamoDB Local.
// The months are in a past year of its own (freshPastMonths), so the build
// time is after every due date: an unpaid cycle is missed, not pending.

const reports = reportsRepository();

const succeeded = (execution: ExecutionRecord): RunSummary => {
  if (execution.status !== 'SUCCEEDED') throw new Error(`Execution ${execution.status}: ${execution.error}`);
  return execution.output as RunSummary;
};

const pastMonths = (): string[] => freshPastMonths(5, 3);

const statuses = (report: MonthlyReport | undefined, id: string): string[] =>
  report?.commitments
    .find((commitment) => commitment.commitmentId === id)
    ?.history.slice(0, 5)
    .map(({ status }) => status) ?? [];

describe('commitments, cycles and histories over five months (real ASL, DynamoDB Local)', () => {
  const workflow = reportWorkflow();

  test('varying narratives, an early payment, a late evening at -01:00, a missed month, a price rise, two payees of one brand; then a late payment rebuilds', async () => {
    const [m1, m2, m3, m4, m5] = pastMonths() as [string, string, string, string, string];
    const userId = randomUUID();
    /** A bank-feed payment on a local date at noon UTC, received a minute later (not late). */
    const feed = (localDate: string, description: string, amount: string, timestamp = `${localDate}T12:00:00.000Z`) =>
      storedPayment({
        userId,
        timestamp,
        localDate,
        description,
        amount,
        amountMinor: Number(amount.replace('.', '')),
        receivedAt: new Date(Date.parse(timestamp) + 60_000).toISOString(),
        clientId: 'local-integration',
        submittedBy: 'local-integration',
      });
    const last = (month: string): string => `${month}-${daysInMonth(month)}`;
    const payments: PaymentRecord[] = [
      // The gym, due on the 1st; m3's is taken on the last day of m2 (a weekend 1st); m4's is missed.
      feed(`${m1}-01`, 'DD PUREGYM LTD REF 0012345678', '35.00'),
      feed(`${m2}-01`, 'DIRECT DEBIT PUREGYM LIMITED 0012345679', '35.00'),
      feed(last(m2), 'PUREGYM MANDATE NO 0034', '35.00'),
      feed(`${m5}-01`, 'DD PUREGYM', '35.00'),
      // Netflix by card, its price rising in m3.
      feed(`${m1}-05`, 'NETFLIX.COM 866-579-7172 CA', '10.99'),
      feed(`${m2}-05`, 'Netflix.com Amsterdam', '10.99'),
      feed(`${m3}-05`, 'CARD PAYMENT TO NETFLIX.COM ON 05', '12.99'),
      feed(`${m4}-05`, 'NETFLIX.COM', '12.99'),
      feed(`${m5}-05`, 'NETFLIX.COM', '12.99'),
      // Rent by standing order on the 28th; m4's goes at 23:30 on its last day at -01:00: m5 in UTC.
      ...[m1, m2, m3, m5].map((month) => feed(`${month}-28`, 'SO LANDLORD RENT REF 4471', '900.00')),
      feed(
        last(m4),
        'STANDING ORDER LANDLORD RENT',
        '900.00',
        new Date(Date.parse(`${last(m4)}T23:30:00-01:00`)).toISOString(),
      ),
      // Two subscriptions of one brand at two prices.
      ...[m1, m2, m3, m4, m5].flatMap((month) => [
        feed(`${month}-10`, 'APPLE.COM/BILL 866-712-7753', '2.99'),
        feed(`${month}-20`, 'APPLE.COM/BILL', '9.99'),
      ]),
    ];
    await storePayments(payments);
    for (const month of [m1, m2, m3, m4, m5]) succeeded(await runReport(workflow, month));

    const fifth = await reports.getReport(userId, m5);
    expect(fifth?.commitments.map((c) => [c.commitmentId, c.amount, c.dueDay, c.streak])).toEqual([
      ['GBP#apple bill', '2.99', 10, 5],
      ['GBP#apple bill#999', '9.99', 20, 5],
      ['GBP#landlord rent', '900.00', 28, 5],
      ['GBP#netflix', '12.99', 5, 5],
      ['GBP#puregym', '35.00', 1, 1],
    ]);
    expect(statuses(fifth, 'GBP#puregym')).toEqual(['kept', 'missed', 'kept', 'kept', 'kept']);
    expect(fifth?.commitments.find((c) => c.commitmentId === 'GBP#puregym')?.paymentHistoryProfile).toBe(
      `01000${'B'.repeat(19)}`,
    );
    // The early payment is cited in m3's report, the month it paid.
    const third = await reports.getReport(userId, m3);
    expect(third?.commitments.find((c) => c.commitmentId === 'GBP#puregym')?.payments.map((p) => p.localDate)).toEqual([
      last(m2),
    ]);
    // The late evening at -01:00 kept m4's rent.
    expect(statuses(fifth, 'GBP#landlord rent')).toEqual(['kept', 'kept', 'kept', 'kept', 'kept']);
    expect(
      (await reports.getReport(userId, m4))?.commitments.find((c) => c.commitmentId === 'GBP#landlord rent'),
    ).toMatchObject({ amount: '900.00', lastPaidOn: last(m4) });

    // m4's gym payment arrives late, during m5; the run for m5 again rebuilds m4, then m5.
    const late = storedPayment({
      ...feed(`${m4}-02`, 'DD PUREGYM', '35.00'),
      receivedAt: `${m5}-20T09:00:00.000Z`,
    });
    await storePayments([late]);
    const summary = succeeded(await runReport(workflow, m5));
    // Two late arrivals for m4: the gym's, and m4's rent itself, dated on m4's last day locally but received in m5 (UTC).
    expect(summary.late).toMatchObject({ payments: 2, users: 1, reports: 1 });
    const rebuilt = await reports.getReport(userId, m5);
    expect(statuses(rebuilt, 'GBP#puregym')).toEqual(['kept', 'kept', 'kept', 'kept', 'kept']);
    expect(rebuilt?.commitments.find((c) => c.commitmentId === 'GBP#puregym')).toMatchObject({
      streak: 5,
      paymentHistoryProfile: `00000${'B'.repeat(19)}`,
    });
    expect(
      (await reports.getReport(userId, m4))?.commitments.find((c) => c.commitmentId === 'GBP#puregym')?.payments,
    ).toEqual([expect.objectContaining({ id: late.id })]);
  }, 120_000);

  test("a payment a few days late over the month end keeps the earlier cycle, not the next one's", async () => {
    const months = pastMonths();
    const [, , m3, m4, m5] = months as [string, string, string, string, string];
    const userId = randomUUID();
    const insurance = (localDate: string) =>
      storedPayment({
        userId,
        timestamp: `${localDate}T12:00:00.000Z`,
        localDate,
        receivedAt: `${localDate}T12:01:00.000Z`,
        description: 'DD ACME INSURANCE',
      });
    // Due on the 30th; m3's is collected on the 1st of m4 (a weekend due date), m4's on time.
    const dates = [`${months[0]}-30`, `${months[1]}-30`, `${m4}-01`, `${m4}-30`, `${m5}-30`];
    await storePayments(dates.map(insurance));
    for (const month of months) succeeded(await runReport(workflow, month));
    // m3 has no payment of the user, so no report of m3; m4's keeps m3 with the payment of the 1st.
    expect(await reports.getReport(userId, m3)).toBeUndefined();
    expect(statuses(await reports.getReport(userId, m4), 'GBP#acme insurance').slice(0, 4)).toEqual([
      'kept',
      'kept',
      'kept',
      'kept',
    ]);
    const fifth = await reports.getReport(userId, m5);
    expect(statuses(fifth, 'GBP#acme insurance')).toEqual(['kept', 'kept', 'kept', 'kept', 'kept']);
    expect(fifth?.commitments[0]).toMatchObject({ streak: 5, dueDay: 30 });
  }, 120_000);

  test('first build: payments stored up to 24 months back fill the history at once', async () => {
    const [m1, , , , m5] = pastMonths() as [string, string, string, string, string];
    const userId = randomUUID();
    await storePayments(
      [m1, m5].map((month) =>
        storedPayment({
          userId,
          timestamp: `${month}-03T09:00:00.000Z`,
          receivedAt: `${month}-03T09:01:00.000Z`,
          description: 'DD THAMES WATER',
        }),
      ),
    );
    // Only m5 is run: m1's payment is read from the month index (the user has no report of m4).
    succeeded(await runReport(workflow, m5));
    const report = await reports.getReport(userId, m5);
    expect(statuses(report, 'GBP#thames water')).toEqual(['kept', 'missed', 'missed', 'missed', 'kept']);
    expect(report?.commitments[0]?.paymentHistoryProfile).toBe(`0321${'0'}${'B'.repeat(19)}`);
  }, 60_000);

  test("a backfilled customer's first report: 23 months read at once from the byUser index, each payment in its local month, even at the range's edge", async () => {
    const [, , , , month] = pastMonths() as [string, string, string, string, string];
    const userId = randomUUID();
    const monthsBack = (back: number): string => {
      let at = month;
      for (let n = 0; n < back; n += 1) at = previousMonth(at);
      return at;
    };
    /** The gym on the 1st, locally at 00:30 in `offset`: with +01:00, the day before in UTC. */
    const gym = (back: number, offset = 'Z') => {
      const localDate = `${monthsBack(back)}-01`;
      const timestamp = new Date(Date.parse(`${localDate}T00:30:00${offset}`)).toISOString();
      return storedPayment({
        userId,
        timestamp,
        localDate,
        utcOffset: offset,
        receivedAt: timestamp,
        description: 'DD PUREGYM',
        amount: '35.00',
        amountMinor: 3500,
      });
    };
    // 24 months, the 8th most recent (7 back) missed; the oldest one read (23 back) and one in the
    // middle (12 back) paid at +01:00, in UTC the month before; 24 back is outside the history.
    const backs = Array.from({ length: 25 }, (_, back) => back).filter((back) => back !== 7);
    await storePayments(backs.map((back) => (back === 23 || back === 12 ? gym(back, '+01:00') : gym(back))));
    expect(await reports.getReport(userId, previousMonth(month))).toBeUndefined();

    succeeded(await runReport(workflow, month));
    const gymOf = (await reports.getReport(userId, month))?.commitments.find((c) => c.commitmentId === 'GBP#puregym');
    expect(gymOf?.history.map(({ status }) => status)).toEqual([
      ...Array<string>(7).fill('kept'),
      'missed',
      ...Array<string>(16).fill('kept'),
    ]);
    expect(gymOf).toMatchObject({ streak: 7, dueDay: 1, paymentHistoryProfile: `${'0'.repeat(7)}1${'0'.repeat(16)}` });
  }, 60_000);
});
