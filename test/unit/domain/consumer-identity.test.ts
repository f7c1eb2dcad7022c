import {
  type ConsumerIdentity,
  InvalidIdentityError,
  maskedIdentity,
  parseIdentityRequest,
  toMetro2Consumer,
} from '#domain/consumer-identity';
import { InvalidJsonError } from '#domain/errors';

const TODAY = '2026-12-06';

const UK = {
  surname: 'Doe',
  firstName: 'Jane',
  dateOfBirth: '1990-04-12',
  addressLine1: '10 Downing Street',
  city: 'London',
  postalCode: 'SW1A 2AA',
  countryCode: 'GB',
};

const US = {
  surname: "O'Brien",
  firstName: 'John',
  middleName: 'Q',
  generationCode: 'J',
  dateOfBirth: '1980-02-29',
  addressLine1: '1600 Pennsylvania Ave NW',
  addressLine2: 'Apt 2',
  city: 'Washington',
  region: 'dc',
  postalCode: '20500-0003',
  countryCode: 'us',
  ssn: '123-45-6789',
};

const parse = (body: unknown, today = TODAY) => parseIdentityRequest(JSON.stringify(body), today);

/** The field errors of a refused body (fails the test if it was accepted). */
const refusals = (body: unknown, today = TODAY): Record<string, string> => {
  try {
    parse(body, today);
  } catch (error) {
    if (error instanceof InvalidIdentityError)
      return Object.fromEntries(error.fieldErrors.map(({ field, message }) => [field, message]));
    throw error;
  }
  throw new Error('accepted');
};

describe('consumer identity: accepted and normalised', () => {
  test('a UK identity: text trimmed, codes upper-case, the postcode as written', () => {
    expect(parse({ ...UK, surname: '  Doe ', countryCode: 'gb', postalCode: 'sw1a 2aa' })).toEqual({
      ...UK,
      postalCode: 'SW1A 2AA',
    });
  });

  test('a US identity: state and country upper-case, ZIP+4 and SSN as digits', () => {
    expect(parse(US)).toEqual({
      ...US,
      region: 'DC',
      postalCode: '205000003',
      countryCode: 'US',
      ssn: '123456789',
    });
  });

  test('exactly 18 today is old enough; a 29 February birthday turns 18 on 1 March', () => {
    expect(parse({ ...UK, dateOfBirth: '2008-12-06' }).dateOfBirth).toBe('2008-12-06');
    expect(refusals({ ...UK, dateOfBirth: '2008-02-29' }, '2026-02-28')).toEqual({
      dateOfBirth: 'must be at least 18 years ago',
    });
    expect(parse({ ...UK, dateOfBirth: '2008-02-29' }, '2026-03-01').dateOfBirth).toBe('2008-02-29');
  });
});

describe('consumer identity: each rule refuses, naming the field and never its value', () => {
  test.each<[string, Record<string, unknown>, Record<string, string>]>([
    ['a missing required field', { ...UK, surname: undefined }, { surname: 'is required' }],
    ['an unknown field', { ...UK, email: 'jane@example.com' }, { email: 'is not an allowed field' }],
    ['a number for a name', { ...UK, firstName: 42 }, { firstName: 'must be a string' }],
    ['an empty name', { ...UK, firstName: '' }, { firstName: 'must not be empty' }],
    ['a blank name', { ...UK, firstName: '   ' }, { firstName: 'must not be blank' }],
    ['a surname over 25 characters', { ...UK, surname: 'A'.repeat(26) }, { surname: 'must be at most 25 characters' }],
    [
      'a name with digits',
      { ...UK, firstName: 'J4ne' },
      { firstName: 'must be Latin letters, blanks, hyphens or apostrophes' },
    ],
    [
      'a name in another script',
      { ...UK, surname: 'Дое' },
      { surname: 'must be Latin letters, blanks, hyphens or apostrophes' },
    ],
    [
      'an unknown generation code',
      { ...UK, generationCode: 'X' },
      { generationCode: expect.stringMatching(/^must be one of J, S, 2/) as unknown as string },
    ],
    [
      'a date of birth that is not a date',
      { ...UK, dateOfBirth: '1990-02-30' },
      { dateOfBirth: 'must be a date, YYYY-MM-DD' },
    ],
    ['a date of birth today', { ...UK, dateOfBirth: TODAY }, { dateOfBirth: 'must be in the past' }],
    ['a date of birth in the future', { ...UK, dateOfBirth: '2030-01-01' }, { dateOfBirth: 'must be in the past' }],
    ['a customer under 18', { ...UK, dateOfBirth: '2008-12-07' }, { dateOfBirth: 'must be at least 18 years ago' }],
    ['a date of birth before 1900', { ...UK, dateOfBirth: '1899-12-31' }, { dateOfBirth: 'must be after 1900-01-01' }],
    [
      'an address line with a control character',
      { ...UK, addressLine1: '10 Downing\u0007Street' },
      { addressLine1: 'must be Latin letters, digits and address punctuation' },
    ],
    [
      'an address line over 32 characters',
      { ...UK, addressLine2: 'x'.repeat(33) },
      { addressLine2: 'must be at most 32 characters' },
    ],
    ['a city over 20 characters', { ...UK, city: 'x'.repeat(21) }, { city: 'must be at most 20 characters' }],
    [
      'a UK postcode of the wrong form',
      { ...UK, postalCode: '12345' },
      { postalCode: 'must be a UK postcode (SW1A 2AA)' },
    ],
    [
      'a US ZIP of the wrong form',
      { ...US, postalCode: 'SW1A 2AA' },
      { postalCode: 'must be a US ZIP code (12345 or 12345-6789)' },
    ],
    [
      'a US address without a state',
      { ...US, region: undefined },
      { region: 'is required for a US address (the USPS state code)' },
    ],
    ['a US state that is not one', { ...US, region: 'ZZ' }, { region: 'must be a USPS state code' }],
    ['a country code of three letters', { ...UK, countryCode: 'GBR' }, { countryCode: 'has the wrong form' }],
    [
      'a country code no country has',
      { ...UK, countryCode: 'ZZ' },
      { countryCode: 'is not an ISO 3166-1 country code' },
    ],
    ['an SSN of 8 digits', { ...US, ssn: '12345678' }, { ssn: 'has the wrong form' }],
    ['an SSN of area 666', { ...US, ssn: '666-12-3456' }, { ssn: 'is not an issued SSN (its area number)' }],
    ['an SSN of area 9xx', { ...US, ssn: '912-12-3456' }, { ssn: 'is not an issued SSN (its area number)' }],
    ['an SSN of group 00', { ...US, ssn: '123-00-4567' }, { ssn: 'is not an issued SSN (its group or serial number)' }],
  ])('%s', (_name, body, expected) => {
    const errors = refusals(body);
    expect(errors).toEqual(expected);
    for (const value of Object.values(body).filter((v): v is string => typeof v === 'string' && v.trim().length > 2))
      expect(JSON.stringify(errors)).not.toContain(value);
  });

  test('a body that is not JSON, or none', () => {
    expect(() => parseIdentityRequest('{"surname":', TODAY)).toThrow(InvalidJsonError);
    expect(() => parseIdentityRequest(null, TODAY)).toThrow(InvalidJsonError);
  });

  test('a duplicated field is an identity refusal naming it', () => {
    expect(() => parseIdentityRequest('{"surname":"A","surname":"B"}', TODAY)).toThrow(InvalidIdentityError);
  });
});

describe('consumer identity: what leaves it', () => {
  const us = (): ConsumerIdentity => parse(US);

  test('masked: every field but the SSN, of which the last four digits', () => {
    const masked = maskedIdentity(us());
    expect(masked).not.toHaveProperty('ssn');
    expect(masked.ssnLastFour).toBe('6789');
    expect(JSON.stringify(masked)).not.toContain('123456789');
    expect(maskedIdentity(parse(UK))).not.toHaveProperty('ssnLastFour');
  });

  test('as Metro 2 consumer fields: upper-case, accents dropped, the postcode without its blank, no state outside the US', () => {
    expect(toMetro2Consumer(parse({ ...UK, firstName: 'Zoë', surname: 'Ñúñez-García' }))).toEqual({
      surname: 'NUNEZ-GARCIA',
      firstName: 'ZOE',
      dateOfBirth: '1990-04-12',
      addressLine1: '10 DOWNING STREET',
      city: 'LONDON',
      state: '',
      postalCode: 'SW1A2AA',
      countryCode: 'GB',
    });
    expect(toMetro2Consumer(us())).toEqual({
      surname: "O'BRIEN",
      firstName: 'JOHN',
      middleName: 'Q',
      generationCode: 'J',
      dateOfBirth: '1980-02-29',
      addressLine1: '1600 PENNSYLVANIA AVE NW',
      addressLine2: 'APT 2',
      city: 'WASHINGTON',
      state: 'DC',
      postalCode: '205000003',
      countryCode: 'US',
    });
  });
});
