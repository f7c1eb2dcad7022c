import { randomUUID } from 'node:crypto';
import { minorUnits } from '#domain/currencies';
import { formatMinorUnits } from '#domain/money';
import { previousMonth } from '#domain/month';
import type { PaymentRecord } from '#domain/payment-record';
import { payeeKey } from '#domain/payee-key';
import { paymentHistoryProfile } from '#domain/payment-history';
import { type MonthlyReport, buildMonthlyReport } from '#domain/report';

/** The id the report gives a payee's (first) commitment: currency and payee key (decision 0015). */
export const commitmentKey = (description: string, currency: string): string => `${currency}#${payeeKey(description)}`;

/**
 * A realistic month of submissions for the report benchmark: each user pays a handful of
 * commitments (rent, streaming, gym...) mostly in a home currency, some abroad; currencies with
 * 0, 2 and 3 minor digits; descriptions spelt differently from one payment to the next; and for
 * most commitments a history of earlier months, kept as the previous month's report, so the
 * run computes streaks. Pure but for the ids: a seed gives the same month shape every time.
 */
export type Random = () => number;

/** mulberry32: small, fast and good enough to shape test data. */
export const seededRandom = (seed: number): Random => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

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

/**
 * Payees and their typical monthly amount in pence. The household bills come from a bank feed (a
 * trusted integration submitting on the user's behalf), the rest from the user's own app: each
 * report then has both kinds of provenance. Fixed by payee, so a seed shapes the same month as
 * before provenance was generated.
 */
const PAYEES: ReadonlyArray<{ description: string; pence: number; onBehalf?: true }> = [
  { description: 'Rent', pence: 95_000 },
  { description: 'Netflix', pence: 1_099 },
  { description: 'Gym membership', pence: 3_500 },
  { description: 'Spotify', pence: 1_199 },
  { description: 'Phone contract', pence: 2_400 },
  { description: 'Car insurance', pence: 6_200 },
  { description: 'Council tax', pence: 15_800, onBehalf: true },
  { description: 'Electricity', pence: 8_900, onBehalf: true },
  { description: 'Broadband', pence: 3_300 },
  { description: 'Water', pence: 3_800, onBehalf: true },
];

/** The local stack's client ids (contract/oauth-clients.ts) and the bank feed's own subject. */
const USER_APP_CLIENT_ID = 'local-user-app';
const BANK_FEED_CLIENT_ID = 'local-integration';
const BANK_FEED_SUBJECT = 'bank-feed';

/** How people and bank feeds spell one payee: the report groups these as one commitment. */
const spelling = (random: Random, description: string): string => {
  const roll = random();
  if (roll < 0.08) return description.toUpperCase();
  if (roll < 0.14) return description.toLowerCase();
  // Stored descriptions are trimmed (normaliseDescription) but keep inner spaces as sent.
  if (roll < 0.18) return description.replace(/ /g, '  ');
  return description;
};

interface CommitmentPlan {
  description: string;
  currency: string;
  units: number;
  minor: number;
  /** Consecutive months paid before this one (0: new this month). */
  monthsBefore: number;
  /** Submitted by the bank feed for the user, not by the user's own app. */
  onBehalf: boolean;
}

export interface GeneratedUser {
  userId: string;
  /** This month's payments, as the submission path stores them. */
  payments: PaymentRecord[];
  /** The previous month's report, where the user paid anything then. */
  previousReport?: MonthlyReport;
  /** Commitment key -> the streak this month's report must show. */
  expectedStreaks: Map<string, number>;
  /** Commitment key -> whether its figure is self-reported (paid from the user's own app), as the report must say. */
  expectedSelfReported: Map<string, boolean>;
}

/** When the run of the month before `month` built its reports: 02:00 UTC on the 1st of `month`. */
export const previousRunAt = (month: string): string => `${month}-01T02:00:00.000Z`;

// Days 5 to 20: a payment then counts for its own month's cycle whatever its due day (decision 0015).
const timestampIn = (random: Random, month: string): string =>
  new Date(Date.parse(`${month}-05T00:00:00.000Z`) + Math.floor(random() * 15 * 86_400) * 1000).toISOString();

const paymentOf = (random: Random, userId: string, month: string, plan: CommitmentPlan): PaymentRecord => {
  // ±3% around the usual amount: a bill is rarely the same twice, yet within the 7.5% that keeps it one commitment.
  const minor = Math.max(1, Math.round(plan.minor * (0.97 + random() * 0.06)));
  const timestamp = timestampIn(random, month);
  return {
    id: randomUUID(),
    userId,
    timestamp,
    description: spelling(random, plan.description),
    currency: plan.currency,
    amount: formatMinorUnits(BigInt(minor), plan.units),
    amountMinor: minor,
    receivedAt: new Date(new Date(timestamp).getTime() + 1000).toISOString(),
    requestId: randomUUID(),
    ...(plan.onBehalf
      ? { clientId: BANK_FEED_CLIENT_ID, submittedBy: BANK_FEED_SUBJECT }
      : { clientId: USER_APP_CLIENT_ID, submittedBy: userId }),
  };
};

/** One user's month: exactly `paymentsPerUser` payments over 2..5 commitments (fewer if fewer payments). */
export const generateUser = (random: Random, month: string, paymentsPerUser: number): GeneratedUser => {
  const userId = randomUUID();
  const home = homeCurrency(random);
  const count = Math.min(paymentsPerUser, 2 + Math.floor(random() * 4));
  const payees = [...PAYEES].sort(() => random() - 0.5).slice(0, count);
  const plans: CommitmentPlan[] = payees.map((payee) => {
    // One commitment in five is paid in another currency (a subscription billed abroad).
    const currency = random() < 0.2 ? pick(random, CURRENCIES) : home;
    const units = minorUnits(currency.code)!;
    return {
      description: payee.description,
      currency: currency.code,
      units,
      minor: Math.max(1, Math.round(payee.pence * currency.minorPerPenny)),
      monthsBefore: random() < 0.65 ? 1 + Math.floor(random() * 11) : 0,
      onBehalf: payee.onBehalf === true,
    };
  });
  const payments = plans.map((plan) => paymentOf(random, userId, month, plan));
  // The rest of the user's payments go to commitments already paid: a top-up, a second rent share.
  while (payments.length < paymentsPerUser) payments.push(paymentOf(random, userId, month, pick(random, plans)));

  const before = previousMonth(month);
  const paidBefore = plans.filter((plan) => plan.monthsBefore > 0);
  // Built by the previous month's run, early on the 1st of this month.
  const previous = buildMonthlyReport(
    userId,
    before,
    paidBefore.map((plan) => paymentOf(random, userId, before, plan)),
    undefined,
    previousRunAt(month),
  );
  const monthsBefore = new Map(
    paidBefore.map((plan) => [commitmentKey(plan.description, plan.currency), plan.monthsBefore]),
  );
  const previousReport: MonthlyReport | undefined =
    paidBefore.length === 0
      ? undefined
      : {
          ...previous,
          commitments: previous.commitments.map((commitment) => {
            // The months before were kept too: the history the earlier runs built.
            const kept = monthsBefore.get(commitment.commitmentId)!;
            const history = commitment.history.map((entry, index) => ({
              ...entry,
              status: index < kept ? ('kept' as const) : ('none' as const),
            }));
            return { ...commitment, streak: kept, history, paymentHistoryProfile: paymentHistoryProfile(history) };
          }),
        };
  const expectedStreaks = new Map(
    plans.map((plan) => [commitmentKey(plan.description, plan.currency), plan.monthsBefore + 1]),
  );
  const expectedSelfReported = new Map(
    plans.map((plan) => [commitmentKey(plan.description, plan.currency), !plan.onBehalf]),
  );
  return { userId, payments, previousReport, expectedStreaks, expectedSelfReported };
};
