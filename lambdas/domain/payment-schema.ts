import { KNOWN_CURRENCIES, MAX_MINOR_UNITS } from '#domain/currencies';
import { DESCRIPTION_MAX_LENGTH, DESCRIPTION_PATTERN } from '#domain/description';
import { MAX_INTEGER_DIGITS } from '#domain/money';
import { EARLIEST_TIMESTAMP_MS } from '#domain/timestamp';
import { PAYEE_SCHEMA } from '#domain/payee';

/** Version 4 (random) only: other versions leak a MAC address or a time, or are not unique by construction. */
export const UUID_V4_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$';

const UUID_V4 = new RegExp(UUID_V4_PATTERN);

/** Whether a payment (or user) id could exist: the schema refuses any other id, so none is stored. */
export const isUuidV4 = (text: unknown): text is string => typeof text === 'string' && UUID_V4.test(text);

const uuidV4 = (description: string, example: string) =>
  ({ description, type: 'string', format: 'uuid', pattern: UUID_V4_PATTERN, examples: [example] }) as const;

/**
 * The one JSON Schema of a payment submission body: ajv validates with it and the OpenAPI
 * document embeds it (without `$id`/`$schema`), so it stays self-contained. What JSON Schema
 * cannot say (fraction digits per currency, the time window, code-point length after trimming)
 * is checked in code after it, by validatePaymentSubmission.
 */
export const PAYMENT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://payments-tracker.example/schemas/payment-submission.json',
  title: 'PaymentSubmission',
  description:
    'One monthly recurring payment (rent, a gym, Netflix) as a client app submits it. Unknown fields are refused.',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'userId', 'timestamp', 'description', 'currency', 'amount'],
  properties: {
    id: uuidV4(
      'The payment id, chosen by the client: a UUID v4, any case (stored lower case). Submitting the same id again is idempotent.',
      '3f2b8c1e-6d4a-4e2b-9c1f-8a7d6e5b4c3a',
    ),
    userId: uuidV4(
      "The customer the payment belongs to: a UUID v4, any case (stored lower case). Must be the token's `sub` unless the caller acts on behalf of users.",
      '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    ),
    timestamp: {
      description:
        'When the payment was made: an RFC 3339 date-time with an offset (`Z` or `±hh:mm`, at most millisecond precision), ' +
        'or integer epoch milliseconds. Stored as UTC, with the offset as sent and the local date it gives (`localDate`), which decides ' +
        "the payment's month (the customer's calendar); epoch milliseconds are dated in UTC. Not more than 24 months in the past (credit bureaus take 24 months of history), not more than 5 minutes in the future.",
      anyOf: [
        { type: 'string', format: 'date-time' },
        { type: 'integer', minimum: EARLIEST_TIMESTAMP_MS },
      ],
      examples: ['2026-10-05T09:30:00Z', '2026-10-05T10:30:00.250+01:00', Date.UTC(2026, 9, 5, 9, 30)],
    },
    description: {
      description:
        `What the payment is for, as it will read on the credit report: 1 to ${DESCRIPTION_MAX_LENGTH} characters (Unicode code points) after trimming, ` +
        'at least one of them visible (a letter, digit, punctuation or symbol). No control, format (Cf), bidi-control, default-ignorable or ' +
        'noncharacter code points: nothing that displays as nothing. Stored trimmed and NFC-normalised.',
      type: 'string',
      // The length after trimming is in the pattern: minLength/maxLength would count the whitespace around it.
      pattern: DESCRIPTION_PATTERN,
      examples: ['Netflix', 'Rent, flat 2'],
    },
    currency: {
      description:
        'ISO 4217 alphabetic code, upper case. Codes without minor units (XAU, XDR, XTS, ...) are not accepted.',
      type: 'string',
      enum: KNOWN_CURRENCIES,
      examples: ['GBP', 'JPY', 'BHD'],
    },
    amount: {
      description:
        'Positive; a decimal string (preferred: it survives every JSON library exactly) or a JSON number written without an exponent. ' +
        `At most ${MAX_INTEGER_DIGITS} integer digits, and no more fraction digits than the currency has minor units ` +
        "(GBP 2, JPY 0, BHD 3). Stored exactly, padded to the currency's minor units.",
      anyOf: [
        { type: 'string', pattern: `^[0-9]{1,${MAX_INTEGER_DIGITS}}(\\.[0-9]{1,${MAX_MINOR_UNITS}})?$` },
        { type: 'number', exclusiveMinimum: 0 },
      ],
      examples: ['9.99', 9.99, '1000', '1.500'],
    },
    payee: PAYEE_SCHEMA,
  },
} as const;

/** The body's fields, in the order field errors are reported. */
export const PAYMENT_FIELDS = PAYMENT_SCHEMA.required;
export type PaymentField = (typeof PAYMENT_FIELDS)[number];
