import { type Random, pick } from './random';

/**
 * How a bank feed writes one payee month after month (the shapes of test/workflow/commitments-history
 * and decision 0015's table): a rail prefix one month and its long form the next, a new direct-debit
 * reference every collection, a card merchant with its phone number, its city or the card rail's
 * words around it. Every narrative of a payee has the same payee key (test/unit/bench checks it).
 */
export type PayeeKind = 'rent' | 'gym' | 'subscription' | 'utility';

export interface PayeeShape {
  kind: PayeeKind;
  /** The payee as the narratives name it. */
  name: string;
  /** The usual monthly amount, in pence. */
  pence: number;
  /** Paid by a bank feed for the user (on-behalf), not by the user's own app. */
  onBehalf: boolean;
}

const digits = (random: Random, count: number): string =>
  Array.from({ length: count }, () => Math.floor(random() * 10)).join('');

export const RENTS: readonly PayeeShape[] = [
  { kind: 'rent', name: 'OAKWOOD LETTINGS RENT', pence: 95_000, onBehalf: true },
  { kind: 'rent', name: 'J SMITH RENT', pence: 72_500, onBehalf: true },
  { kind: 'rent', name: 'HARBOUR HOMES RENT', pence: 110_000, onBehalf: true },
];
export const GYMS: readonly PayeeShape[] = [
  { kind: 'gym', name: 'PUREGYM', pence: 3_500, onBehalf: false },
  { kind: 'gym', name: 'THE GYM GROUP', pence: 2_499, onBehalf: false },
  { kind: 'gym', name: 'DAVID LLOYD CLUBS', pence: 8_900, onBehalf: false },
];
export const SUBSCRIPTIONS: readonly PayeeShape[] = [
  { kind: 'subscription', name: 'NETFLIX.COM', pence: 1_099, onBehalf: false },
  { kind: 'subscription', name: 'SPOTIFY', pence: 1_199, onBehalf: false },
  { kind: 'subscription', name: 'DISNEY PLUS', pence: 799, onBehalf: false },
];
export const UTILITIES: readonly PayeeShape[] = [
  { kind: 'utility', name: 'THAMES WATER', pence: 3_800, onBehalf: true },
  { kind: 'utility', name: 'BRITISH GAS', pence: 8_900, onBehalf: true },
  { kind: 'utility', name: 'OCTOPUS ENERGY', pence: 11_200, onBehalf: true },
];

const PHONES: Readonly<Record<string, string>> = {
  'NETFLIX.COM': '866-579-7172',
  SPOTIFY: '877-778-1161',
  'DISNEY PLUS': '888-905-7888',
};
const CITIES = ['Amsterdam', 'London', 'Stockholm', 'Dublin'];
const titleCase = (name: string): string => name.toLowerCase().replace(/\b[a-z]/g, (letter) => letter.toUpperCase());

/** One month's narrative for `payee`; `reference` is the user's fixed standing-order reference, `day` the payment's. */
export const narrative = (random: Random, payee: PayeeShape, reference: string, day: number): string => {
  const { name } = payee;
  switch (payee.kind) {
    case 'rent':
      return pick(random, [`SO ${name} REF ${reference}`, `STANDING ORDER ${name}`, `${name} REF ${reference}`]);
    case 'gym':
      return pick(random, [
        `DD ${name} LTD REF ${digits(random, 10)}`,
        `DIRECT DEBIT ${name} LIMITED ${digits(random, 10)}`,
        `${name} MANDATE NO ${digits(random, 4)}`,
        `DD ${name}`,
      ]);
    case 'subscription':
      return pick(random, [
        `${name} ${PHONES[name]} CA`,
        `CARD PAYMENT TO ${name} ON ${String(day).padStart(2, '0')}`,
        `${titleCase(name)} ${pick(random, CITIES)}`,
        name,
      ]);
    case 'utility':
      return pick(random, [
        `DD ${name}`,
        `DIRECT DEBIT ${name} REF ${digits(random, 5)}`,
        `${name} DD ${digits(random, 5)}`,
      ]);
  }
};
