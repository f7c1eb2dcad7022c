import { randomUUID } from 'node:crypto';
import type { IdentitySource } from '#domain/furnishing';
import type { Metro2Consumer } from '#domain/metro2/account';
import { type ConsumerIdentity, toMetro2Consumer } from '#domain/consumer-identity';
import type { IdentityRecord } from '#domain/identity-lifecycle';
import { type CycleStatus, historyOf, paymentHistoryProfile, streakOf } from '#domain/payment-history';
import { previousMonth } from '#domain/month';
import type { Commitment, MonthlyReport } from '#domain/report';
import type { PayeeKind } from '#domain/payee';
import { type Random, pick } from './random';

/**
 * The furnishing benchmark's month, generated in memory page by page (nothing kept between pages):
 * customers' reports as BuildReports writes them (4 commitments each, 24 months of history, consent,
 * open disputes) and their identities as the identity repository returns them (some erased, some
 * missing). Shapes are seeded; user ids are random, as real ones are.
 */

export const PAGE_SIZE = 250;

const KINDS: readonly PayeeKind[] = ['rent', 'utility', 'telecom', 'telecom', 'utility', 'subscription'];

const statusesOf = (random: Random): CycleStatus[] => {
  const months = 3 + Math.floor(random() * 22); // how long the customer has paid it
  const statuses = Array<CycleStatus>(months).fill('kept');
  const roll = random();
  if (roll < 0.06)
    statuses.fill('missed', 0, 1 + Math.floor(random() * 3)); // behind now
  else if (roll < 0.12)
    statuses[1 + Math.floor(random() * (months - 1))] = 'missed'; // a missed month, caught up
  else if (roll < 0.14) statuses[0] = 'disputed';
  return statuses;
};

const commitmentOf = (random: Random, month: string, index: number): Commitment => {
  const statuses = statusesOf(random);
  const known = new Map<string, CycleStatus>();
  for (let at = month, back = 0; back < statuses.length; at = previousMonth(at), back += 1)
    known.set(at, statuses[back]!);
  const history = historyOf(month, known);
  const amount = `${200 + Math.floor(random() * 1800)}.${String(Math.floor(random() * 100)).padStart(2, '0')}`;
  const dueDay = 1 + Math.floor(random() * 28);
  return {
    commitmentId: `GBP#ref#BENCH-${index}`,
    payee: `Payee ${index}`,
    payeeKey: `payee ${index}`,
    kind: index === 3 && random() < 0.2 ? null : pick(random, KINDS),
    currency: 'GBP',
    amount: statuses[0] === 'kept' ? amount : '0.00',
    scheduledAmount: amount,
    dueDay,
    lastPaidOn: `${month}-${String(dueDay).padStart(2, '0')}`,
    streak: streakOf(history),
    history,
    paymentHistoryProfile: paymentHistoryProfile(history),
    clientIds: ['bench-bank-feed'],
    selfReported: false,
    payments: [],
    consent: { report: random() < 0.9, changedAt: null },
    ...(statuses[0] === 'disputed' ? { complianceCondition: 'XB' as const } : {}),
  } as Commitment;
};

/** The time spent generating, so the bench can tell it from the furnishing step's own. */
export interface GenerationClock {
  seconds: number;
}

export async function* reportPages(
  random: Random,
  month: string,
  customers: number,
  clock: GenerationClock,
): AsyncGenerator<readonly MonthlyReport[]> {
  for (let done = 0; done < customers; done += PAGE_SIZE) {
    const from = performance.now();
    const page: MonthlyReport[] = [];
    for (let i = done; i < Math.min(customers, done + PAGE_SIZE); i += 1) {
      page.push({
        userId: randomUUID(),
        month,
        payments: 4,
        builtAt: `${month}-28T02:00:00.000Z`,
        commitments: [0, 1, 2, 3].map((index) => commitmentOf(random, month, index)),
        aheadPayments: [],
        payeeRoutes: [],
      });
    }
    clock.seconds += (performance.now() - from) / 1000;
    yield page;
  }
}

const identityOf = (random: Random): ConsumerIdentity => ({
  surname: pick(random, ['Smith', 'Jones', "O'Brien", 'Nguyen', 'Garcia-Lopez']),
  firstName: pick(random, ['Alex', 'Sam', 'Jordan', 'Priya', 'Chen']),
  dateOfBirth: `19${60 + Math.floor(random() * 40)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
  addressLine1: `${1 + Math.floor(random() * 300)} High Street`,
  city: pick(random, ['Leeds', 'Bristol', 'Austin', 'Denver']),
  region: pick(random, ['TX', 'CO', 'CA']),
  postalCode: String(10000 + Math.floor(random() * 89999)),
  countryCode: 'US',
});

/** A customer's identity item as the identity routes leave it: 97% active, 1% erased (not yet furnished), 2% none. */
export const identityRecordOf = (random: Random, at: string): IdentityRecord | undefined => {
  const roll = random();
  if (roll < 0.01) return { state: 'erased', erasedBy: 'bench-operations', erasedAt: at };
  if (roll < 0.98)
    return { state: 'active', identity: identityOf(random), writtenBy: 'bench-bank-feed', writtenAt: at };
  return undefined;
};

/** The identities as the identity repository answers them for a page, from identityRecordOf. */
export const generatedIdentities = (random: Random): IdentitySource<Metro2Consumer> => ({
  identitiesOf: async (userIds) => {
    const known = new Map<string, Metro2Consumer | 'erased'>();
    for (const userId of userIds) {
      const record = identityRecordOf(random, '2026-01-01T00:00:00.000Z');
      if (record?.state === 'erased') known.set(userId, 'erased');
      else if (record?.state === 'active') known.set(userId, toMetro2Consumer(record.identity));
    }
    return known;
  },
});
