import fc from 'fast-check';
import { payeeKey } from '#domain/payee-key';

// Narratives shaped as UK and US banks print them (card, Bacs direct debit, standing order,
// Faster Payments, ACH): each row's narratives name one payee, whose key is the last column.
const SAME_PAYEE: ReadonlyArray<[string, string[], string]> = [
  [
    'UK/US card: phone, city, country, domain, card digits, date',
    [
      'NETFLIX.COM 866-579-7172 CA',
      'Netflix.com Amsterdam',
      'CARD PAYMENT TO NETFLIX.COM ON 05 NOV',
      'CARD PAYMENT TO NETFLIX.COM ON 05',
      'PURCHASE AUTHORIZED ON 11/05 NETFLIX.COM NETFLIX.COM CA S466309876543210 CARD 1234',
      'netflix.com',
    ],
    'netflix',
  ],
  [
    'direct debit: DD / DIRECT DEBIT, references, mandate numbers, company suffix',
    [
      'DD PUREGYM LTD REF 0012345678',
      'DIRECT DEBIT PUREGYM LIMITED 0012345679',
      'PUREGYM MANDATE NO 0034',
      'DDR PureGym',
    ],
    'puregym',
  ],
  [
    'standing order and Faster Payments to a landlord, references each month',
    [
      'SO J SMITH RENT FLAT 2',
      'STANDING ORDER J SMITH RENT FLAT 2 REF 8839201',
      'FPS TO J SMITH RENT FLAT 2 REF NOV26',
      'FASTER PAYMENT J SMITH RENT FLAT 2 05/12/26',
    ],
    'j smith rent flat 2',
  ],
  [
    'US ACH (Bank of America and Chase layouts)',
    ['VERIZON WIRELESS DES:PAYMENTS ID:1234567 INDN:JANE DOE CO ID:1223344 WEB', 'VERIZON WIRELESS ACH DEBIT'],
    'verizon wireless',
  ],
  [
    'US ACH, originator field',
    ['ORIG CO NAME:COMCAST CO ENTRY DESCR:CABLE SEC:PPD TRACE#:021000020000001', 'COMCAST'],
    'comcast',
  ],
  [
    'processor prefix and store number',
    ['PAYPAL *SPOTIFY 4029357733', 'SPOTIFY P1A2B3C4 STOCKHOLM', 'Spotify'],
    'spotify',
  ],
  ['telecom with a free-phone number and country', ['O2 UK 0800 902 0202', 'O2'], 'o2'],
  [
    'card digits first, trailing city and country',
    ['xxxx1234 TESCO STORES 3012 LONDON GB', 'TESCO STORES 2231'],
    'tesco stores',
  ],
  [
    'a dated utility bill',
    ['British Gas 07/11/2026', 'BRITISH GAS 2026-12-07', 'British Gas 7 Jan 2027'],
    'british gas',
  ],
];

// Distinct payees that share a rail, a generic word or a brand: never one key.
const DISTINCT_PAYEES = [
  'DD PUREGYM',
  'DD THE GYM GROUP',
  'DD BRITISH GAS',
  'DD BRITISH GAS SERVICES',
  'CARD PAYMENT TO AMAZON PRIME',
  'CARD PAYMENT TO AMAZON MUSIC',
  'SO J SMITH RENT FLAT 2',
  'SO J SMITH RENT FLAT 3',
  'FPS TO A JONES RENT',
  'NETFLIX.COM',
  'SPOTIFY',
  'DISNEY PLUS',
  'THREE UK',
  'O2 UK',
  'EE',
  'VIRGIN MEDIA',
  'VIRGIN ACTIVE',
  'THAMES WATER',
  'SEVERN TRENT WATER',
  'COUNCIL TAX LAMBETH',
  'COUNCIL TAX CAMDEN',
  'VERIZON WIRELESS',
  'COMCAST',
  '24 HOUR FITNESS',
];

describe('payeeKey', () => {
  test.each(SAME_PAYEE)('%s', (_case, narratives, key) => {
    for (const narrative of narratives) expect(payeeKey(narrative)).toBe(key);
  });

  test('distinct payees sharing a rail, a generic word or a brand keep distinct keys', () => {
    const keys = DISTINCT_PAYEES.map(payeeKey);
    expect(new Set(keys).size).toBe(DISTINCT_PAYEES.length);
  });

  test('a narrative that is only a rail still has a key', () => {
    expect(payeeKey('DIRECT DEBIT')).toBe('direct debit');
  });

  // What a bank adds around a payee's name: a rail before it, a reference, phone, date or card digits after it.
  const rail = fc.constantFrom(
    '',
    'DD ',
    'DIRECT DEBIT ',
    'SO ',
    'STANDING ORDER ',
    'FPS TO ',
    'CARD PAYMENT TO ',
    'POS ',
    'PAYPAL *',
  );
  const noise = fc.oneof(
    fc.constant(''),
    fc.integer({ min: 10_000, max: 99_999_999 }).map((n) => ` REF ${n}`),
    fc.integer({ min: 100_000, max: 9_999_999 }).map((n) => ` 0800 ${n}`),
    fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
      .map((date) => ` ${date.toISOString().slice(0, 10)}`),
    fc.integer({ min: 1000, max: 9999 }).map((n) => ` CARD ${n}`),
    fc.constantFrom(' LONDON', ' GB', ' UK', ' AMSTERDAM NL', ' CA'),
  );
  const casing = fc.constantFrom(
    (text: string) => text,
    (text: string) => text.toLowerCase(),
    (text: string) => text.toUpperCase(),
  );

  test('property: the noise a bank adds never changes the key', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DISTINCT_PAYEES),
        rail,
        noise,
        noise,
        casing,
        (payee, prefix, first, second, cased) => {
          expect(payeeKey(cased(`${prefix}${payee}${first}${second}`))).toBe(payeeKey(payee));
        },
      ),
    );
  });

  test('property: two distinct payees, each with noise, never share a key', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...DISTINCT_PAYEES), { minLength: 2, maxLength: 2 }),
        rail,
        noise,
        rail,
        noise,
        ([a, b], railA, noiseA, railB, noiseB) => {
          expect(payeeKey(`${railA}${a!}${noiseA}`)).not.toBe(payeeKey(`${railB}${b!}${noiseB}`));
        },
      ),
    );
  });
});
