import { randomUUID } from 'node:crypto';
import { minorUnits } from '#domain/currencies';
import { formatMinorUnits } from '#domain/money';
import { nextMonth, previousMonth } from '#domain/month';
import type { PaymentRecord } from '#domain/payment-record';
import { payeeKey } from '#domain/payee-key';
import { HISTORY_MONTHS } from '#domain/payment-history';
import { type MonthlyReport, type PaymentsOfMonth, buildReportFromHistory } from '#domain/report';
import { GYMS, type PayeeShape, RENTS, SUBSCRIPTIONS, UTILITIES, narrative } from './bank-narratives';
import { type Random, pick, seededRandom } from './random';

export { type Random, seededRandom };

/**
 * A realistic report month for the report benchmark: each user pays four commitments from bank
 * feed narratives (rent by standing order, a gym by direct debit, a card subscription, a utility),
 * each narrative varying month to month, over 24 months of history. Most users have the previous
 * month's report, as the previous run built it from their 23 months before; the others (new
 * customers who backfilled) have their 23 months of payments stored instead, and the run folds
 * them into a first report. Pure but for the ids: a seed gives the same shapes every time.
 */

/** The id the report gives a payee's (first) commitment: currency and payee key (decision 0015). */
export const commitmentKey = (description: string, currency: string): string => `${currency}#${payeeKey(description)}`;

/** Home currencies and their weight; minor units per penny of a GBP amount (roughly the exchange rate). */
const CURRENCIES: ReadonlyArray<{ code: string; weight: number; minorPerPenny: number }> = [
  { code: 'GBP', weight: 40, minorPerPenny: 1 },
  { code: 'EUR', weight: 20, minorPerPenny: 1.15 },
  { code: 'USD', weight: 15, minorPerPenny: 1.27 },
  { code: 'JPY', weight: 10, minorPerPenny: 1.9 }, // 0 minor digits
  { code: 'KRW', weight: 5, minorPerPenny: 17 }, // 0 minor digits
  { code: 'BHD', weight: 5, minorPerPenny: 4.8 }, // 3 minor digits
  { code: 'KWD', weight: 5, minorPerPenny: 3.9 }, // 3 minor digits
];
const CURRENCY_WEIGHTS = CURRENCIES.reduce((sum, currency) => sum + currency.weight, 0);

const homeCurrency = (random: Random): (typeof CURRENCIES)[number] => {
  let ticket = random() * CURRENCY_WEIGHTS;
  for (const currency of CURRENCIES) {
    ticket -= currency.weight;
    if (ticket < 0) return currency;
  }
  return CURRENCIES[0]!;
};

/** The local stack's client ids (contract/oauth-clients.ts) and the bank feed's own subject. */
const USER_APP_CLIENT_ID = 'local-user-app';
const BANK_FEED_CLIENT_ID = 'local-integration';
const BANK_FEED_SUBJECT = 'bank-feed';

/** Share of users without the previous month's report: their 23 months before are read by the run. */
export const BACKFILL_SHARE = 0.1;

interface CommitmentPlan {
  payee: PayeeShape;
  currency: string;
  units: number;
  minor: number;
  dueDay: number;
  /** The standing-order reference the user set up once. */
  reference: string;
  /** Cycles paid: from this many months before the report month (24 or more: before the window). */
  startedMonthsBefore: number;
  /** A cycle left unpaid, as months before the report month (none: undefined). */
  missedMonthsBefore: number | undefined;
}

export interface GeneratedUser {
  userId: string;
  /** The report month's payments, as the submission path stores them. */
  payments: PaymentRecord[];
  /** The payments of the 23 months before, stored only for a user without the previous report. */
  history: PaymentRecord[];
  /** The previous month's report, as the previous run built it (absent for a backfilled user). */
  previousReport?: MonthlyReport;
  /** Commitment key -> the streak this month's report must show. */
  expectedStreaks: Map<string, number>;
  /** Commitment key -> whether its figure is self-reported (paid from the user's own app), as the report must say. */
  expectedSelfReported: Map<string, boolean>;
}

/** When the run of the month before `month` built its reports: 02:00 UTC on the 1st of `month`. */
export const previousRunAt = (month: string): string => `${month}-01T02:00:00.000Z`;

const monthsBack = (month: string, count: number): string => {
  let at = month;
  for (let index = 0; index < count; index += 1) at = previousMonth(at);
  return at;
};

/** Weekend days move: a standing order goes out the working day before, a collection the one after. */
export const paymentDate = (cycleMonth: string, dueDay: number, earlier: boolean): string => {
  const date = new Date(`${cycleMonth}-${String(dueDay).padStart(2, '0')}T00:00:00.000Z`);
  const step = earlier ? -1 : 1;
  while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date.setUTCDate(date.getUTCDate() + step);
  return date.toISOString().slice(0, 10);
};

const planOf = (random: Random, payee: PayeeShape, home: (typeof CURRENCIES)[number]): CommitmentPlan => {
  // A card subscription is billed abroad one time in five.
  const currency = payee.kind === 'subscription' && random() < 0.2 ? pick(random, CURRENCIES) : home;
  const startedMonthsBefore = random() < 0.6 ? HISTORY_MONTHS : Math.floor(random() * (HISTORY_MONTHS - 1));
  const missed = payee.kind !== 'rent' && random() < 0.15 ? 1 + Math.floor(random() * (HISTORY_MONTHS - 2)) : undefined;
  return {
    payee,
    currency: currency.code,
    units: minorUnits(currency.code)!,
    minor: Math.max(1, Math.round(payee.pence * currency.minorPerPenny)),
    // Due by the 25th: a collection moved past a weekend stays in its month (see docs/performance.md).
    dueDay: payee.kind === 'rent' ? 1 : 1 + Math.floor(random() * 25),
    reference: String(1000 + Math.floor(random() * 9000)),
    startedMonthsBefore,
    missedMonthsBefore: missed !== undefined && missed < startedMonthsBefore ? missed : undefined,
  };
};

const paymentOf = (random: Random, userId: string, plan: CommitmentPlan, localDate: string): PaymentRecord => {
  // A utility bill moves ±3 % (within the 7.5 % that keeps it one commitment); the rest are fixed.
  const minor =
    plan.payee.kind === 'utility' ? Math.max(1, Math.round(plan.minor * (0.97 + random() * 0.06))) : plan.minor;
  const timestamp = `${localDate}T${String(8 + Math.floor(random() * 12)).padStart(2, '0')}:00:00.000Z`;
  return {
    id: randomUUID(),
    userId,
    timestamp,
    localDate,
    utcOffset: 'Z',
    description: narrative(random, plan.payee, plan.reference, Number(localDate.slice(8, 10))),
    currency: plan.currency,
    amount: formatMinorUnits(BigInt(minor), plan.units),
    amountMinor: minor,
    receivedAt: new Date(Date.parse(timestamp) + 1000).toISOString(),
    requestId: randomUUID(),
    ...(plan.payee.onBehalf
      ? { clientId: BANK_FEED_CLIENT_ID, submittedBy: BANK_FEED_SUBJECT }
      : { clientId: USER_APP_CLIENT_ID, submittedBy: userId }),
  };
};

/**
 * A commitment's payments dated in the 24 months ending with `month` (a cycle of the next month
 * paid early included), and its expected streak: the cycles in a row up to `month` whose payment
 * is dated in the window (a payment before it is not read, so its cycle counts as missed).
 */
const commitmentPayments = (random: Random, userId: string, month: string, plan: CommitmentPlan) => {
  const windowStart = monthsBack(month, HISTORY_MONTHS - 1);
  const payments: PaymentRecord[] = [];
  let streak = 0;
  let streakOpen = true;
  for (let back = -1; back < Math.min(plan.startedMonthsBefore + 1, HISTORY_MONTHS + 1); back += 1) {
    const cycle = back < 0 ? nextMonth(month) : monthsBack(month, back);
    const paid = back !== plan.missedMonthsBefore;
    // The first rent is paid on its due date (set up by hand), not early: no due day is known before it.
    const date = paymentDate(cycle, plan.dueDay, plan.payee.kind === 'rent' && back !== plan.startedMonthsBefore);
    const dated = date.slice(0, 7) >= windowStart && date.slice(0, 7) <= month;
    if (paid && dated) payments.push(paymentOf(random, userId, plan, date));
    if (back < 0) continue;
    if (paid && dated && streakOpen) streak += 1;
    else streakOpen = false;
  }
  return { payments, streak };
};

/** One user: four commitments over 24 months, the report month's payments and what the run must find. */
export const generateUser = (random: Random, month: string): GeneratedUser => {
  const userId = randomUUID();
  const home = homeCurrency(random);
  const plans = [RENTS, GYMS, SUBSCRIPTIONS, UTILITIES].map((payees) => planOf(random, pick(random, payees), home));
  const expectedStreaks = new Map<string, number>();
  const expectedSelfReported = new Map<string, boolean>();
  const byMonth = new Map<string, PaymentRecord[]>();
  for (const plan of plans) {
    const { payments, streak } = commitmentPayments(random, userId, month, plan);
    const key = commitmentKey(plan.payee.name, plan.currency);
    expectedStreaks.set(key, streak);
    expectedSelfReported.set(key, !plan.payee.onBehalf);
    for (const payment of payments) {
      const at = payment.localDate!.slice(0, 7);
      byMonth.set(at, [...(byMonth.get(at) ?? []), payment]);
    }
  }
  const payments = byMonth.get(month) ?? [];
  byMonth.delete(month);
  const before: PaymentsOfMonth[] = [...byMonth].map(([at, paid]) => ({ month: at, payments: paid }));
  if (random() < BACKFILL_SHARE) {
    return {
      userId,
      payments,
      history: [...byMonth.values()].flat(),
      expectedStreaks,
      expectedSelfReported,
    };
  }
  // Built by the previous month's run, early on the 1st of this month, from the months before it.
  const previousReport =
    before.length === 0
      ? undefined
      : buildReportFromHistory(userId, previousMonth(month), before, previousRunAt(month));
  return { userId, payments, history: [], previousReport, expectedStreaks, expectedSelfReported };
};
