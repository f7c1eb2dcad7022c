import { toProblem } from '#contract/problems';
import type { InvalidPaymentError } from '#domain/errors';
import type { Payment } from '#domain/payment';
import { PAYMENT_FIELDS } from '#domain/payment-schema';
import { validatePaymentSubmission } from '#domain/validate-payment';
import { fieldErrorsOf, invalidJsonDetailOf, thrownBy } from './thrown';

const NOW = new Date('2026-10-05T12:00:00.000Z');
const ID = '3f2b8c1e-6d4a-4e2b-9c1f-8a7d6e5b4c3a';
const USER_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

const VALID = {
  id: ID,
  userId: USER_ID,
  timestamp: '2026-10-05T09:30:00Z',
  description: 'Netflix',
  currency: 'GBP',
  amount: '9.99',
};

/**
 * A submission body as text. `literals` are written into the JSON as they are, so a test can
 * send number literals (9.99, 1e2, a 40-digit number) that JSON.stringify would reshape.
 */
const body = (overrides: Record<string, unknown> = {}, literals: Record<string, string> = {}): string => {
  const fields = { ...VALID, ...overrides };
  for (const key of Object.keys(literals)) delete fields[key as keyof typeof fields];
  const json = JSON.stringify(fields);
  const raw = Object.entries(literals).map(([key, literal]) => `${JSON.stringify(key)}:${literal}`);
  return raw.length === 0 ? json : `${json.slice(0, -1)}${json.length > 2 ? ',' : ''}${raw.join(',')}}`;
};

const validate = (text: string): Payment => validatePaymentSubmission(text, NOW);
const errorsFor = (text: string) => fieldErrorsOf(() => validate(text));

describe('validatePaymentSubmission', () => {
  it('returns the normalised payment', () => {
    expect(validate(body())).toEqual({
      id: ID,
      userId: USER_ID,
      timestamp: '2026-10-05T09:30:00.000Z',
      localDate: '2026-10-05',
      utcOffset: 'Z',
      description: 'Netflix',
      currency: 'GBP',
      amount: '9.99',
      amountMinor: 999,
    });
  });

  it('keeps the offset sent and dates the payment by its local date', () => {
    expect(
      validatePaymentSubmission(body({ timestamp: '2026-10-31T23:30:00-01:00' }), new Date('2026-11-01T01:00Z')),
    ).toMatchObject({
      timestamp: '2026-11-01T00:30:00.000Z',
      localDate: '2026-10-31',
      utcOffset: '-01:00',
    });
  });

  describe('payee (optional)', () => {
    const payee = { reference: ' DDM-0042-7781 ', name: 'PureGym', kind: 'subscription' };

    it('is absent when not sent, as before', () => {
      expect(validate(body())).not.toHaveProperty('payee');
    });

    it('is kept trimmed when sent', () => {
      expect(validate(body({ payee }))).toMatchObject({ payee: { ...payee, reference: 'DDM-0042-7781' } });
      expect(validate(body({ payee: { reference: 'SO 17' } })).payee).toEqual({ reference: 'SO 17' });
    });

    it.each([
      [{ ...payee, kind: 'gym' }, 'payee.kind'],
      [{ ...payee, reference: '' }, 'payee.reference'],
      [{ ...payee, reference: 'x'.repeat(36) }, 'payee.reference'],
      [{ ...payee, reference: 'a\u200bb' }, 'payee.reference'],
      [{ ...payee, reference: 17 }, 'payee.reference'],
      [{ name: 'PureGym' }, 'payee.reference'],
      [{ ...payee, name: 'n'.repeat(71) }, 'payee.name'],
      [{ ...payee, mandate: 'x' }, 'payee.mandate'],
      ['PureGym', 'payee'],
      [null, 'payee'],
      [[payee], 'payee'],
    ])('%j is refused naming %s', (value, field) => {
      expect(errorsFor(body({ payee: value })).map((error) => error.field)).toEqual([field]);
    });
  });

  describe('amount', () => {
    it('is the same payment whether sent as the string "9.99" or the number 9.99', () => {
      expect(validate(body({}, { amount: '9.99' }))).toEqual(validate(body({ amount: '9.99' })));
    });

    it.each([
      ['GBP', '"9.99"', '9.99', 999],
      ['GBP', '9.99', '9.99', 999],
      ['GBP', '"9.9"', '9.90', 990],
      ['GBP', '10', '10.00', 1000],
      ['GBP', '"007.50"', '7.50', 750],
      ['EUR', '"0.01"', '0.01', 1],
      ['JPY', '"1000"', '1000', 1000],
      ['JPY', '1000', '1000', 1000],
      ['BHD', '"1.5"', '1.500', 1500],
      ['KWD', '0.001', '0.001', 1],
      ['CLF', '"1.2345"', '1.2345', 12345],
      ['JPY', '"999999999999999"', '999999999999999', 999_999_999_999_999],
    ])('%s %s is stored as %s (%i minor units)', (currency, literal, amount, amountMinor) => {
      expect(validate(body({ currency }, { amount: literal }))).toMatchObject({ currency, amount, amountMinor });
    });

    it('keeps every digit of a long JSON number literal', () => {
      const literal = '90071992547409.91';
      // The check is meaningful: a float would have lost the penny.
      expect(String(JSON.parse(literal))).not.toBe(literal);
      expect(validate(body({}, { amount: literal }))).toMatchObject({
        amount: '90071992547409.91',
        amountMinor: 9_007_199_254_740_991,
      });
    });

    it.each([
      ['GBP', '0', 'must be greater than zero'],
      ['GBP', '"0"', 'must be greater than zero'],
      ['GBP', '"0.00"', 'must be greater than zero'],
      ['GBP', '-1', 'must be greater than zero'],
      ['GBP', '"-1"', 'must be greater than zero'],
      ['GBP', '"1e2"', 'must be a plain decimal'],
      ['GBP', '1e2', 'must be a plain decimal'],
      ['GBP', '1E-2', 'must be a plain decimal'],
      ['GBP', '"+9.99"', 'must be a plain decimal'],
      ['GBP', '" 9.99"', 'must be a plain decimal'],
      ['GBP', '"9,99"', 'must be a plain decimal'],
      ['GBP', '"9.999"', 'has more fraction digits than GBP allows (2)'],
      ['GBP', '9.999', 'has more fraction digits than GBP allows (2)'],
      ['GBP', '"9.990"', 'has more fraction digits than GBP allows (2)'],
      // a float would read 0.1 and accept it
      ['GBP', '0.1000000000000000000001', 'has more fraction digits than GBP allows (2)'],
      ['JPY', '"1.5"', 'has more fraction digits than JPY allows (0)'],
      ['JPY', '1.5', 'has more fraction digits than JPY allows (0)'],
      ['BHD', '"1.0001"', 'has more fraction digits than BHD allows (3)'],
      ['JPY', '"1234567890123456"', 'has more than 15 integer digits'],
      ['JPY', '1234567890123456', 'has more than 15 integer digits'],
      // a float would round this to 1.2345678901234568e+39 and carry on
      ['JPY', '1234567890123456789012345678901234567890', 'has more than 15 integer digits'],
      ['GBP', '90071992547409.92', 'is too large'],
      ['GBP', 'true', 'must be a positive decimal amount'],
      ['GBP', 'null', 'must be a positive decimal amount'],
      ['GBP', '{}', 'must be a positive decimal amount'],
      ['GBP', '["9.99"]', 'must be a positive decimal amount'],
    ])('refuses %s %s: %s', (currency, literal, message) => {
      expect(errorsFor(body({ currency }, { amount: literal }))).toEqual([
        { field: 'amount', message: expect.stringContaining(message) },
      ]);
    });
  });

  describe('currency', () => {
    it.each([
      ['ABC', 'is not a known ISO 4217 currency code'],
      ['XAU', 'is not a known ISO 4217 currency code'],
      ['XTS', 'is not a known ISO 4217 currency code'],
      ['BGN', 'is not a known ISO 4217 currency code'],
      ['GBPX', 'is not a known ISO 4217 currency code'],
      ['', 'is not a known ISO 4217 currency code'],
      [826, 'is not a known ISO 4217 currency code'],
      ['gbp', 'must be upper case (GBP)'],
      ['Jpy', 'must be upper case (JPY)'],
    ])('refuses %j: %s', (currency, message) => {
      expect(errorsFor(body({ currency }))).toEqual([{ field: 'currency', message }]);
    });

    it('still checks the amount when the currency is wrong', () => {
      expect(errorsFor(body({ currency: 'XYZ' }, { amount: '1e2' }))).toEqual([
        { field: 'currency', message: 'is not a known ISO 4217 currency code' },
        { field: 'amount', message: expect.stringContaining('must be a plain decimal') },
      ]);
    });
  });

  describe('timestamp', () => {
    it.each([
      ['"2026-10-05T10:30:00+01:00"', '2026-10-05T09:30:00.000Z'],
      ['"2026-10-05T04:00:00.25-05:30"', '2026-10-05T09:30:00.250Z'],
      ['"2026-10-05t09:30:00z"', '2026-10-05T09:30:00.000Z'],
      [String(Date.UTC(2026, 9, 5, 9, 30)), '2026-10-05T09:30:00.000Z'],
      ['"2026-10-05T12:05:00Z"', '2026-10-05T12:05:00.000Z'],
      [String(NOW.getTime() + 5 * 60_000), '2026-10-05T12:05:00.000Z'],
    ])('stores %s as %s', (literal, timestamp) => {
      expect(validate(body({}, { timestamp: literal }))).toMatchObject({ timestamp });
    });

    it.each([
      ['"2026-10-05T12:05:00.001Z"', 'must not be more than 5 minutes in the future'],
      [String(NOW.getTime() + 5 * 60_000 + 1), 'must not be more than 5 minutes in the future'],
      ['"1999-12-31T23:59:59.999Z"', 'must not be more than 24 months in the past'],
      ['946684799999', 'must not be more than 24 months in the past'],
      ['"2024-10-05T11:59:59.999Z"', 'must not be more than 24 months in the past'],
      ['"2026-10-05T09:30:00"', 'must include a UTC offset'],
      ['"2026-02-30T09:30:00Z"', 'is not a real date and time'],
      ['"2026-10-05T24:00:00Z"', 'is not a real date and time'],
      ['"2026-10-05T09:30:00.1234Z"', 'has more than 3 fraction digits'],
      ['1.7911926e12', 'must be integer epoch milliseconds'],
      ['1791192600000.5', 'must be integer epoch milliseconds'],
      ['"1791192600000"', 'must be an RFC 3339 date-time with an offset'],
      ['"2026-10-05 09:30:00Z"', 'must be an RFC 3339 date-time with an offset'],
      ['"next Tuesday"', 'must be an RFC 3339 date-time with an offset'],
      ['true', 'must be an RFC 3339 date-time with an offset'],
    ])('refuses %s: %s', (literal, message) => {
      expect(errorsFor(body({}, { timestamp: literal }))).toEqual([
        { field: 'timestamp', message: expect.stringContaining(message) },
      ]);
    });
  });

  describe('ids', () => {
    it('accepts upper-case UUIDs and stores them lower case', () => {
      expect(validate(body({ id: ID.toUpperCase(), userId: USER_ID.toUpperCase() }))).toMatchObject({
        id: ID,
        userId: USER_ID,
      });
    });

    it.each([
      ['a version 1 UUID', 'c232ab00-9414-11ec-b3c8-9f68deced846'],
      ['a version 7 UUID', '01890a5d-ac96-774b-bcce-b302099a8057'],
      ['the wrong variant', '3f2b8c1e-6d4a-4e2b-cc1f-8a7d6e5b4c3a'],
      ['the nil UUID', '00000000-0000-0000-0000-000000000000'],
      ['a URN', `urn:uuid:${ID}`],
      ['braces', `{${ID}}`],
      ['no hyphens', ID.replaceAll('-', '')],
      ['surrounding spaces', ` ${ID} `],
      ['a number', 42],
      ['an empty string', ''],
    ])('refuses %s', (_what, value) => {
      expect(errorsFor(body({ id: value, userId: value }))).toEqual([
        { field: 'id', message: 'must be a UUID v4' },
        { field: 'userId', message: 'must be a UUID v4' },
      ]);
    });
  });

  describe('description', () => {
    it('is trimmed and NFC-normalised', () => {
      expect(validate(body({ description: '  Cafe\u0301 rent \n' }))).toMatchObject({ description: 'Caf\u00e9 rent' });
    });

    it('counts an emoji as one character: 140 are accepted', () => {
      expect(validate(body({ description: '😀'.repeat(140) }))).toMatchObject({ description: '😀'.repeat(140) });
    });

    it('counts the 140 characters after trimming: whitespace around them does not count', () => {
      expect(validate(body({ description: `   ${'a'.repeat(140)}\t\n ` }))).toMatchObject({
        description: 'a'.repeat(140),
      });
    });

    it.each([
      ['141 code points', 'a'.repeat(141), 'must be'],
      ['141 emoji', '😀'.repeat(141), 'must be'],
      ['an empty string', '', 'must not be empty or only whitespace'],
      ['only whitespace', ' \t ', 'must not be empty or only whitespace'],
      ['a control character', 'Net\u0007flix', 'must not contain control characters'],
      ['a newline inside', 'Net\nflix', 'must not contain control characters'],
      ['a NUL', 'Net\u0000flix', 'must not contain control characters'],
      ['a bidi override', 'Net\u202eflix', 'must not contain control characters'],
      ['a lone surrogate', 'Net\ud800flix', 'must not contain control characters'],
      [
        'a zero-width space inside',
        'Net\u200bflix',
        'must not contain control characters, line separators, or invisible characters',
      ],
      ['a right-to-left mark', 'Rent \u200f12', 'invisible characters'],
      ['a left-to-right mark', 'Rent \u200e12', 'invisible characters'],
      ['an Arabic letter mark', 'Rent \u061c12', 'invisible characters'],
      ['only a zero-width space', '\u200b', 'invisible characters'],
      ['only a Hangul filler', '\u3164', 'invisible characters'],
      ['only a soft hyphen', '\u00ad', 'invisible characters'],
      ['tag characters', '\u{e0067}\u{e0062}', 'invisible characters'],
      ['a noncharacter', '\uffff', 'invisible characters'],
      ['only a braille blank', '\u2800', 'must contain at least one visible character'],
      ['only combining marks', '\u0301\u0308', 'must contain at least one visible character'],
      ['141 characters between spaces', ` ${'a'.repeat(141)} `, 'must be at most 140 characters'],
      ['a number', 7, 'must be a string of 1 to 140 characters'],
    ])('refuses %s', (_what, description, message) => {
      expect(errorsFor(body({ description }))).toEqual([
        { field: 'description', message: expect.stringContaining(message) },
      ]);
    });
  });

  describe('the body as a whole', () => {
    it.each(PAYMENT_FIELDS.map((field) => [field]))('names a missing %s', (field) => {
      expect(errorsFor(body({ [field]: undefined }))).toEqual([{ field, message: 'is required' }]);
    });

    it('names an unknown field', () => {
      expect(errorsFor(body({ note: 'hi', Amount: '1' }))).toEqual([
        { field: 'note', message: 'is not an allowed field' },
        { field: 'Amount', message: 'is not an allowed field' },
      ]);
    });

    it('names every wrong field at once, in the order of the schema', () => {
      const errors = errorsFor(
        body({ id: 5, userId: null, timestamp: false, description: ['x'], currency: {}, amount: undefined, extra: 1 }),
      );
      expect(errors.map((error) => error.field)).toEqual([...PAYMENT_FIELDS, 'extra']);
      expect(errors).toContainEqual({ field: 'amount', message: 'is required' });
    });

    it('refuses a repeated key, even with an equal value', () => {
      expect(errorsFor(`${body().slice(0, -1)},"amount":"9.99"}`)).toEqual([
        { field: 'amount', message: 'appears more than once' },
      ]);
    });

    it('refuses a __proto__ key', () => {
      expect(errorsFor(`${body().slice(0, -1)},"__proto__":{"amount":"1"}}`)).toEqual([
        { field: '__proto__', message: 'is not an allowed field' },
      ]);
    });

    it.each(['[]', `[${body()}]`, '"payment"', '42', 'null'])('refuses %s: the body must be an object', (text) => {
      expect(errorsFor(text)).toEqual([{ field: '(body)', message: 'must be a JSON object' }]);
    });

    it.each([
      ['an empty body', ''],
      ['whitespace', ' \n'],
      ['a truncated object', body().slice(0, -1)],
      ['single quotes', "{'id':'x'}"],
    ])('refuses %s as InvalidJson, saying where', (_what, text) => {
      expect(invalidJsonDetailOf(() => validate(text))).toMatch(/^The body is not valid JSON: .* at position \d+$/);
    });

    it('answers an RFC 9457 problem listing the field errors', () => {
      const thrown = thrownBy(() => validate(body({ currency: 'gbp' })));
      expect(toProblem(thrown as InvalidPaymentError)).toMatchObject({
        title: 'The payment is not valid',
        detail: 'Invalid field(s): currency',
        errors: [{ field: 'currency', message: 'must be upper case (GBP)' }],
      });
    });
  });
});
