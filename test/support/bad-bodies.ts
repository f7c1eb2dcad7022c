import fc from 'fast-check';
import { minorUnits } from '#domain/currencies';
import { PAYMENT_FIELDS, type PaymentField } from '#domain/payment-schema';
import { MAX_DEPTH } from '#domain/strict-json';

/**
 * Generated submission bodies that are each wrong in at least one way, for property tests of
 * the validation (unit) and of the whole path over HTTP (e2e). Every body is built as raw text,
 * so it can hold what JSON.stringify never writes: repeated keys, number literals, nesting.
 */
export interface BadBody {
  /** The request body as sent. */
  text: string;
  /** The payment id this body was built around (fresh): nothing may ever be stored under it. */
  id: string;
  /** True when the text is not JSON at all: the answer must be invalid-json. */
  notJson: boolean;
  /** The top-level keys of the body: a field error may name only these, a payment field or `(body)`. */
  keys: string[];
  /** Fields that must be named when the answer is a field error (the ones spoilt on purpose). */
  mustName: string[];
}

type Entry = [key: string, literal: string];

const literal = (value: unknown): string => JSON.stringify(value);

/** JSON values of the wrong type for any field; fixed so that none hides a repeated or forbidden key. */
const wrongType = fc.constantFrom(
  'null',
  'true',
  'false',
  '[]',
  '{}',
  '[1,2]',
  '{"a":1}',
  '[[[]]]',
  '{"value":"9.99"}',
);

const nanLike = fc.constantFrom('NaN', 'Infinity', '-Infinity', 'undefined', 'null', '', ' ', '0x10', '1e400', '-0');

const notV4Uuid = fc.oneof(
  fc.uuid({ version: [1, 2, 3, 5, 6, 7, 8] }).map(literal),
  fc.uuid({ version: 4 }).map((uuid) => literal(`${uuid.slice(0, 19)}c${uuid.slice(20)}`)), // variant not RFC 4122
  fc.uuid({ version: 4 }).map((uuid) => literal(`{${uuid}}`)),
  fc.uuid({ version: 4 }).map((uuid) => literal(uuid.replaceAll('-', ''))),
  fc.string({ maxLength: 40 }).map(literal),
  nanLike.map(literal),
  wrongType,
  fc.integer().map(String),
);

const farPast = fc.date({
  min: new Date('0001-01-01T00:00:00Z'),
  max: new Date('1999-12-31T23:59:59Z'),
  noInvalidDate: true,
});
const farFuture = fc.date({
  min: new Date('2030-01-01T00:00:00Z'),
  max: new Date('9999-12-31T23:59:59Z'),
  noInvalidDate: true,
});

const badTimestamp = fc.oneof(
  farPast.map((date) => literal(date.toISOString())),
  farFuture.map((date) => literal(date.toISOString())),
  farPast.map((date) => String(date.getTime())),
  farFuture.map((date) => String(date.getTime())),
  fc.constantFrom(
    '"2026-10-05T09:30:00"',
    '"2026-02-30T09:30:00Z"',
    '"2026-10-05T24:00:00Z"',
    '"2026-10-05 09:30"',
    '"yesterday"',
  ),
  fc.constantFrom('1759656600000.5', '1.7596566e12', '-1', '0'),
  nanLike.map(literal),
  wrongType,
);

const controlCharacter = fc.constantFrom(
  '\u0000',
  '\u0007',
  '\n',
  '\t',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u2066',
  '\ud800',
  '\udfff',
  // invisible: format, bidi marks, default-ignorable, noncharacters
  '\u200b',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u061c',
  '\u00ad',
  '\u2060',
  '\u3164',
  '\ufe0f',
  '\u{e0041}',
  '\uffff',
  '\ufdd0',
);

/** Texts that show nothing, however long: refused as a whole, not for one character in them. */
const nothingVisible = fc
  .array(fc.constantFrom('\u2800', '\u0301', '\u0308', '\u20dd', ' '), { minLength: 1, maxLength: 20 })
  .map((parts) => `\u2800${parts.join('')}`);

const badDescription = fc.oneof(
  fc.constantFrom('""', '"   "', '"\\n\\t"'),
  fc.integer({ min: 141, max: 5_000 }).map((length) => literal('x'.repeat(length))),
  fc
    .tuple(fc.string({ maxLength: 20 }), controlCharacter, fc.string({ maxLength: 20 }))
    .map(([a, c, b]) => literal(`Net${a}${c}${b}flix`)), // inside the text: trimming must not remove it,
  nothingVisible.map(literal),
  // 141 after trimming, with whitespace around it that does not count
  fc.constant(literal(`  ${'x'.repeat(141)}  `)),
  fc.integer().map(String),
  wrongType,
);

const badCurrency = fc.oneof(
  fc
    .stringMatching(/^[A-Z]{3}$/)
    .filter((code) => minorUnits(code) === undefined)
    .map(literal),
  fc.constantFrom('"gbp"', '"Gbp"', '"GBPX"', '"GB"', '""', '"£"', '"GBP "', '"826"'),
  nanLike.map(literal),
  wrongType,
);

const tooPreciseFraction = fc.stringMatching(/^[0-9]{5,25}$/);

const badAmount = fc.oneof(
  fc.constantFrom(
    '0',
    '0.00',
    '-1',
    '-0.01',
    '-9.99',
    '1e3',
    '9.99e0',
    '"0"',
    '"0.00"',
    '"-9.99"',
    '"+9.99"',
    '"9."',
    '".99"',
    '" 9.99"',
    '"9,99"',
    '"1e3"',
  ),
  tooPreciseFraction.map((fraction) => `1.${fraction}`),
  tooPreciseFraction.map((fraction) => literal(`9.${fraction}`)),
  fc.stringMatching(/^[1-9][0-9]{20,60}$/).map((digits) => literal(digits)),
  nanLike.map(literal),
  wrongType,
);

const BAD_VALUES: Record<PaymentField, fc.Arbitrary<string>> = {
  id: notV4Uuid,
  userId: notV4Uuid,
  timestamp: badTimestamp,
  description: badDescription,
  currency: badCurrency,
  amount: badAmount,
};

/** Values that may or may not be valid: unicode descriptions, epoch numbers, upper case ids. */
const noise = (base: Map<string, string>): fc.Arbitrary<Entry[]> =>
  fc
    .subarray([
      fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).map((text): Entry => ['description', literal(text)]),
      fc.constant<Entry>(['userId', (base.get('userId') ?? '""').toUpperCase()]),
      fc.constant<Entry>(['timestamp', '1759656600000']),
      fc.constant<Entry>(['amount', '9.99']),
    ])
    .chain((picks) => (picks.length === 0 ? fc.constant([]) : fc.tuple(...picks)));

const extraKey = fc
  .oneof(fc.constantFrom('colour', 'amountMinor', 'receivedAt', 'Amount', 'id ', ''), fc.string({ maxLength: 20 }))
  .filter((key) => !(PAYMENT_FIELDS as readonly string[]).includes(key) && !FORBIDDEN.has(key));

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Extra values never hide a forbidden or repeated key of their own, so only their field is named. */
const extraValue = fc
  .jsonValue({ maxDepth: 3 })
  .map((value) => literal(value))
  .filter((text) => !/"(__proto__|constructor|prototype)"/.test(text));

const render = (entries: Entry[]): string => `{${entries.map(([key, value]) => `${literal(key)}:${value}`).join(',')}}`;

const validEntries = (id: string, userId: string): Entry[] => [
  ['id', literal(id)],
  ['userId', literal(userId)],
  ['timestamp', literal('2026-10-05T09:30:00Z')],
  ['description', literal('Netflix')],
  ['currency', literal('GBP')],
  ['amount', literal('9.99')],
];

const withIds = <T>(build: (id: string, userId: string) => fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.tuple(fc.uuid({ version: 4 }), fc.uuid({ version: 4 })).chain(([id, userId]) => build(id, userId));

const bodyOf = (id: string, entries: Entry[], mustName: string[]): BadBody => ({
  text: render(entries),
  id,
  notJson: false,
  keys: entries.map(([key]) => key),
  mustName: [...new Set(mustName)],
});

/** Field errors: bad values, missing and extra fields, mixed with values that may be fine. */
const fieldErrors = withIds((id, userId) => {
  const base = validEntries(id, userId);
  return fc
    .record({
      bad: fc
        .uniqueArray(fc.constantFrom(...PAYMENT_FIELDS), { minLength: 0, maxLength: 6 })
        .chain((fields) =>
          fields.length === 0
            ? fc.constant([] as Entry[])
            : fc.tuple(...fields.map((field) => BAD_VALUES[field].map((value): Entry => [field, value]))),
        ),
      missing: fc.uniqueArray(fc.constantFrom(...PAYMENT_FIELDS), { maxLength: 3 }),
      extra: fc.uniqueArray(fc.tuple(extraKey, extraValue), { maxLength: 3, selector: ([key]) => key }),
      noise: noise(new Map(base)),
    })
    .filter(({ bad, missing, extra }) => bad.length + missing.length + extra.length > 0)
    .map(({ bad, missing, extra, noise: maybe }) => {
      const values = new Map<string, string>(base);
      for (const [key, value] of maybe) values.set(key, value);
      for (const [key, value] of bad) values.set(key, value);
      for (const key of missing) values.delete(key);
      const entries: Entry[] = [...values, ...extra];
      return bodyOf(id, entries, [...bad.map(([key]) => key), ...missing, ...extra.map(([key]) => key)]);
    });
});

/** Repeated and forbidden keys: the structure is refused before any field is looked at. */
const structuralErrors = withIds((id, userId) => {
  const base = validEntries(id, userId);
  return fc
    .record({
      repeated: fc.uniqueArray(fc.constantFrom(...PAYMENT_FIELDS), { maxLength: 3 }),
      forbidden: fc.uniqueArray(fc.constantFrom(...FORBIDDEN), { maxLength: 3 }),
      value: fc.oneof(wrongType, fc.constant('"9.99"')),
    })
    .filter(({ repeated, forbidden }) => repeated.length + forbidden.length > 0)
    .map(({ repeated, forbidden, value }) => {
      const entries: Entry[] = [
        ...base,
        ...repeated.map((key): Entry => [key, value]),
        ...forbidden.map((key): Entry => [key, value]),
      ];
      return bodyOf(id, entries, [...repeated, ...forbidden]);
    });
});

/** Nesting past MAX_DEPTH under one field: refused before the parser recurses into it. */
const deepNesting = withIds((id, userId) =>
  fc
    .tuple(fc.constantFrom(...PAYMENT_FIELDS, 'extra'), fc.integer({ min: MAX_DEPTH, max: 5_000 }), fc.boolean())
    .map(([field, depth, arrays]) => {
      const [open, close] = arrays ? ['[', ']'] : ['{"a":', '}'];
      const nested = `${open.repeat(depth)}1${close.repeat(depth)}`;
      const entries = validEntries(id, userId).filter(([key]) => key !== field);
      return bodyOf(id, [...entries, [field, nested]], [field]);
    }),
);

/** Text that is not one JSON value, or JSON that is not an object. */
const notJson = withIds((id, userId) => {
  const valid = render(validEntries(id, userId));
  return fc
    .oneof(
      fc.integer({ min: 1, max: valid.length - 1 }).map((cut) => ({ text: valid.slice(0, cut), notJson: true })),
      fc
        .constantFrom(
          "{'id': 1}",
          '{id: 1}',
          '{"id": NaN}',
          '{"amount": 09.99}',
          '{"a":1,}',
          '',
          ' ',
          '\u0000',
          'null null',
        )
        .map((text) => ({ text, notJson: true })),
      fc.constantFrom('null', '[]', '1', '"payment"', 'true', `[${valid}]`).map((text) => ({ text, notJson: false })),
    )
    .map(({ text, notJson: isNotJson }): BadBody => ({
      text,
      id,
      notJson: isNotJson,
      keys: [],
      mustName: isNotJson ? [] : ['(body)'],
    }));
});

export const badBodies: fc.Arbitrary<BadBody> = fc.oneof(
  { arbitrary: fieldErrors, weight: 6 },
  { arbitrary: structuralErrors, weight: 1 },
  { arbitrary: deepNesting, weight: 1 },
  { arbitrary: notJson, weight: 2 },
);

/** A field a field error may name: one of the payment's, the whole body, or a key the body has. */
export const isRealField = (body: BadBody, field: string): boolean =>
  field === '(body)' || (PAYMENT_FIELDS as readonly string[]).includes(field) || body.keys.includes(field);
