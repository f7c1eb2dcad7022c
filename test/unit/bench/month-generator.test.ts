import { isDeepStrictEqual } from 'node:util';
import { minorUnits } from '#domain/currencies';
import { toExactAmount } from '#domain/money';
import { isLateArrival, submittedOnBehalf } from '#domain/payment-record';
import { type PaymentsOfMonth, buildMonthlyReport, buildReportFromHistory } from '#domain/report';
import { GYMS, RENTS, SUBSCRIPTIONS, UTILITIES, narrative } from '../../../bench/bank-narratives';
import { commitmentKey, generateUser, paymentDate, seededRandom } from '../../../bench/month-generator';
import { formatProgress } from '../../../bench/progress';

describe('the report benchmark month generator', () => {
  const generate = (seed: number, count: number): ReturnType<typeof generateUser>[] => {
    const random = seededRandom(seed);
    return Array.from({ length: count }, () => generateUser(random, '2026-10'));
  };
  // Enough users for every kind the generator makes to occur (a tenth backfilled: 30 or so); each costs a report.
  const USERS = 300;
  const users = generate(7, USERS);
  const allPayments = (user: (typeof users)[number]) => [...user.history, ...user.payments];

  test('every narrative of a payee has its payee key, and the narratives vary month to month', () => {
    const random = seededRandom(1);
    for (const payee of [...RENTS, ...GYMS, ...SUBSCRIPTIONS, ...UTILITIES]) {
      const spellings = new Set(
        Array.from({ length: 40 }, (_, day) => narrative(random, payee, '4471', 1 + (day % 28))),
      );
      expect(spellings.size).toBeGreaterThanOrEqual(3);
      for (const spelling of spellings) expect(commitmentKey(spelling, 'GBP')).toBe(commitmentKey(payee.name, 'GBP'));
    }
    const keys = [...RENTS, ...GYMS, ...SUBSCRIPTIONS, ...UTILITIES].map((payee) => commitmentKey(payee.name, 'GBP'));
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('a standing order goes out the working day before a weekend due date, a collection the one after', () => {
    expect(paymentDate('2026-11', 1, true)).toBe('2026-10-30'); // Sunday 1 November
    expect(paymentDate('2026-02', 28, false)).toBe('2026-03-02'); // Saturday 28 February
    expect(paymentDate('2026-10', 1, true)).toBe('2026-10-01'); // a Thursday
  });

  test('payments are valid for their currency, dated in the 24 months, none received late', () => {
    // Each payment's faults, named, then one assertion: some hundred thousand expect() calls took seconds of CPU.
    const faultsOf = (user: (typeof users)[number], payment: ReturnType<typeof allPayments>[number]) => {
      const exact = toExactAmount(payment.amount, minorUnits(payment.currency)!);
      return [
        payment.userId !== user.userId && 'another user',
        !(payment.localDate! >= '2024-11-01' && payment.localDate! <= '2026-10-31') && 'outside the 24 months',
        isLateArrival(payment) && 'received late',
        !isDeepStrictEqual(exact, { ok: true, amount: payment.amount, amountMinor: payment.amountMinor }) &&
          `not exact in ${payment.currency}`,
        user.payments.includes(payment) && !payment.localDate!.startsWith('2026-10-') && 'not of the month',
      ].filter((fault) => fault !== false);
    };
    const faults = users.flatMap((user) =>
      allPayments(user).flatMap((payment) => {
        const found = faultsOf(user, payment);
        return found.length > 0 ? [{ payment, faults: found }] : [];
      }),
    );
    expect(faults).toEqual([]);
  });

  test('four commitments a user, 24 months deep; a tenth backfilled (history stored, no previous report)', () => {
    for (const user of users) {
      const keys = new Set(allPayments(user).map((payment) => commitmentKey(payment.description, payment.currency)));
      expect(keys).toEqual(new Set(user.expectedStreaks.keys()));
      expect(keys.size).toBe(4);
      expect(user.history.length > 0).toBe(user.previousReport === undefined);
    }
    const backfilled = users.filter((user) => user.history.length > 0).length;
    expect(backfilled).toBeGreaterThan(USERS * 0.06);
    expect(backfilled).toBeLessThan(USERS * 0.14);
    const streaks = users.flatMap((user) => [...user.expectedStreaks.values()]);
    expect(Math.max(...streaks)).toBe(24);
    expect(streaks.some((streak) => streak < 24)).toBe(true);
    expect(
      users.some((user) => user.previousReport?.commitments.some((c) => c.paymentHistoryProfile.includes('1'))),
    ).toBe(true);
  });

  test("the report the run builds carries the expected streaks and provenance (the generator's plan agrees with the domain)", () => {
    for (const user of users) {
      const months = new Map<string, typeof user.history>();
      for (const payment of user.history)
        months.set(payment.localDate!.slice(0, 7), [...(months.get(payment.localDate!.slice(0, 7)) ?? []), payment]);
      const history: PaymentsOfMonth[] = [...months].map(([month, payments]) => ({ month, payments }));
      const built = user.previousReport
        ? buildMonthlyReport(user.userId, '2026-10', user.payments, user.previousReport, '2026-11-01T02:00:00.000Z')
        : buildReportFromHistory(
            user.userId,
            '2026-10',
            [...history, { month: '2026-10', payments: user.payments }],
            '2026-11-01T02:00:00.000Z',
          );
      expect(new Map(built.commitments.map((c) => [c.commitmentId, c.streak]))).toEqual(user.expectedStreaks);
      expect(new Map(built.commitments.map((c) => [c.commitmentId, c.selfReported]))).toEqual(
        user.expectedSelfReported,
      );
    }
    const payments = users.flatMap((user) => user.payments);
    expect(payments.some((payment) => submittedOnBehalf(payment))).toBe(true);
    expect(payments.some((payment) => !submittedOnBehalf(payment))).toBe(true);
  });

  test("the previous report was built by the previous month's run, on the 1st of this month", () => {
    const previous = users.find((user) => user.previousReport)!.previousReport!;
    expect(previous.month).toBe('2026-09');
    expect(previous.builtAt).toBe('2026-10-01T02:00:00.000Z');
  });

  test('currencies with 0, 2 and 3 minor digits all occur', () => {
    const digits = new Set(users.flatMap((user) => user.payments.map((payment) => minorUnits(payment.currency))));
    expect(digits).toEqual(new Set([0, 2, 3]));
  });

  test('the same seed shapes the same months', () => {
    const shape = (seed: number): string[] =>
      generate(seed, 20).flatMap((user) =>
        allPayments(user).map(
          (payment) => `${payment.description} ${payment.currency} ${payment.amount} ${payment.timestamp}`,
        ),
      );
    expect(shape(3)).toEqual(shape(3));
    expect(shape(3)).not.toEqual(shape(4));
  });

  test('the progress line shows the share, the counts and the rate', () => {
    expect(formatProgress('generate', 250, 1000, 2000, 10)).toBe('generate [###.......]  25 % 250/1,000 125/s 2 s');
  });
});
