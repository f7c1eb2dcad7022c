/**
 * The body of PUT /customers/{userId}/identity as a schema, apart from its validation (consumer-identity.ts): the
 * OpenAPI document publishes it, and whatever builds that document (the stack, CDK, the CLIs) need not compile it.
 */

/** Field lengths are Metro 2's base segment widths (CRRG; moov-io/metro2 base segment), so nothing is cut. */
const text = (maxLength: number, description: string) =>
  ({ type: 'string', minLength: 1, maxLength, description }) as const;

/** The body of PUT /customers/{userId}/identity: ajv validates with it and the OpenAPI document publishes it. */
export const IDENTITY_REQUEST_SCHEMA = {
  type: 'object',
  description:
    "The customer's identity as a credit bureau matches it. Names and address lines: Latin letters (accents " +
    'allowed), digits in address lines only. The SSN is stored but never answered in full.',
  required: ['surname', 'firstName', 'dateOfBirth', 'addressLine1', 'city', 'postalCode', 'countryCode'],
  additionalProperties: false,
  properties: {
    surname: text(25, 'Surname (Metro 2: 25 characters).'),
    firstName: text(20, 'First name (Metro 2: 20 characters).'),
    middleName: text(20, 'Middle name or initial.'),
    generationCode: {
      type: 'string',
      enum: ['J', 'S', '2', '3', '4', '5', '6', '7', '8', '9'],
      description: 'J junior, S senior, 2 to 9 for II to IX.',
    },
    dateOfBirth: {
      type: 'string',
      format: 'date',
      description: 'YYYY-MM-DD: in the past, at least 18 years ago.',
    },
    addressLine1: text(32, 'First line of the address (Metro 2: 32 characters).'),
    addressLine2: text(32, 'Second line of the address.'),
    city: text(20, 'City or town (Metro 2: 20 characters).'),
    region: {
      type: 'string',
      pattern: '^[A-Za-z]{2}$',
      description: 'Two letters: the USPS state code in the US (required there), elsewhere optional.',
    },
    postalCode: text(10, 'UK postcode, US ZIP (5 or 9 digits), or another country’s postal code.'),
    countryCode: { type: 'string', pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2 (GB, US).' },
    ssn: {
      type: 'string',
      pattern: '^[0-9]{3}-?[0-9]{2}-?[0-9]{4}$',
      description: 'US Social Security Number, 9 digits (dashes allowed). Never answered in full.',
    },
  },
  examples: [
    {
      surname: 'Doe',
      firstName: 'Jane',
      dateOfBirth: '1990-04-12',
      addressLine1: '10 Downing Street',
      city: 'London',
      postalCode: 'SW1A 2AA',
      countryCode: 'GB',
    },
  ],
} as const;
