import { minorUnits } from '#domain/currencies';
import { toExactAmount } from '#domain/money';
import { submittedOnBehalf } from '#domain/payment-record';
import { buildMonthlyReport } from '#domain/report';
import { commitmentKey, generateUser, seededRandom } from '../../../bench/month-generator';
import { formatProgress } from '../../../bench/progress';

describe('the report benchmark month generator', () => {
  const month = (seed: number, count: number): ReturnType<typeof generateUser>[] => {
    const random = seededRandom(seed);
    return Array.from({ length: count }, () => generateUser(random, '2026-10', 5));
  };
  const users = month(7, 2000);

  test('every user pays exactly the payments asked for, within the month, valid for their currency', () => {
    for (const user of users) {
      expect(user.payments).toHaveLength(5);
      for (const payment of user.payments) {
        expect(payment.userId).toBe(user.userId);
        expect(payment.timestamp.startsWith('2026-10-')).toBe(true);
        const exact = toExactAmount(payment.amount, minorUnits(payment.currency)!);
        expect(exact).toEqual({ ok: true, amount: payment.amount, amountMinor: payment.amountMinor });
      }
    }
  });

  test('a handful of commitments each, and the expected streaks name exactly those commitments', () => {
    for (const user of users) {
      const keys = new Set(user.payments.map((payment) => commitmentKey(payment.description, payment.currency)));
      expect(keys.size).toBeGreaterThanOrEqual(2);
      expect(keys.size).toBeLessThanOrEqual(5);
      expect(new Set(user.expectedStreaks.keys())).toEqual(keys);
    }
  });

  test('streaks continue the previous month: its report carries streak n, this month expects n + 1', () => {
    const continued = users.flatMap((user) =>
      (user.previousReport?.commitments ?? []).map((commitment) => [
        commitment.streak,
        user.expectedStreaks.get(commitment.commitmentId),
      ]),
    );
    expect(continued.length).toBeGreaterThan(1000);
    for (const [before, now] of continued) expect(now).toBe(before! + 1);
    expect(users.some((user) => [...user.expectedStreaks.values()].includes(1))).toBe(true);
  });

  test("household bills come from the bank feed on the user's behalf, the rest from the user's app, as the report must say", () => {
    const payments = users.flatMap((user) => user.payments);
    expect(payments.some((payment) => submittedOnBehalf(payment))).toBe(true);
    expect(payments.some((payment) => !submittedOnBehalf(payment))).toBe(true);
    for (const user of users) {
      for (const payment of user.payments) {
        const key = commitmentKey(payment.description, payment.currency);
        expect(user.expectedSelfReported.get(key)).toBe(!submittedOnBehalf(payment));
        expect(payment.clientId).toBe(submittedOnBehalf(payment) ? 'local-integration' : 'local-user-app');
      }
      const built = buildMonthlyReport(
        user.userId,
        '2026-10',
        user.payments,
        user.previousReport,
        '2026-11-01T02:00:00.000Z',
      );
      expect(
        new Map(built.commitments.map((commitment) => [commitment.commitmentId, commitment.selfReported])),
      ).toEqual(user.expectedSelfReported);
      expect(new Map(built.commitments.map((commitment) => [commitment.commitmentId, commitment.streak]))).toEqual(
        user.expectedStreaks,
      );
    }
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

  test('the same seed shapes the same month', () => {
    const shape = (seed: number): string[] =>
      month(seed, 20).flatMap((user) =>
        user.payments.map(
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
