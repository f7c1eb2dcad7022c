import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { MAX_MINOR_UNITS, minorUnits } from '#domain/currencies';
import { DESCRIPTION_MAX_LENGTH, normaliseDescription, textRefusalMessage } from '#domain/description';
import { type FieldError, InvalidPaymentError } from '#domain/errors';
import { type AmountRefusal, type ExactAmount, MAX_INTEGER_DIGITS, toExactAmount } from '#domain/money';
import type { Payment } from '#domain/payment';
import { PAYMENT_FIELDS, PAYMENT_SCHEMA, type PaymentField, UUID_V4_PATTERN } from '#domain/payment-schema';
import { type JsonObject, type JsonValue, isLosslessNumber, parseJsonObject } from '#domain/strict-json';
import { canonicalUserId } from '#domain/user-id';
import {
  type DatedTimestamp,
  MAX_FUTURE_SKEW_MS,
  MAX_PAST_MONTHS,
  type TimestampRefusal,
  normaliseTimestamp,
} from '#domain/timestamp';
import { PAYEE_FIELD, type Payee, checkPayee } from '#domain/payee';

// Compiled once per cold start: compiling costs far more than validating.
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv, ['date-time', 'uuid']);
const matchesSchema = ajv.compile(PAYMENT_SCHEMA);

const UUID_V4 = new RegExp(UUID_V4_PATTERN);

/** What each field must be, said once, for when the schema refuses it and no sharper reason is known. */
const EXPECTED: Record<PaymentField, string> = {
  id: 'must be a UUID v4',
  userId: 'must be a UUID v4',
  timestamp: 'must be an RFC 3339 date-time with an offset (e.g. 2026-10-05T09:30:00Z) or integer epoch milliseconds',
  description: `must be a string of 1 to ${DESCRIPTION_MAX_LENGTH} characters`,
  currency: 'is not a known ISO 4217 currency code',
  amount: `must be a positive decimal amount with at most ${MAX_INTEGER_DIGITS} integer digits, as a string ("9.99") or a JSON number`,
};

const TIMESTAMP_MESSAGES: Record<TimestampRefusal, string> = {
  'not-rfc3339': EXPECTED.timestamp,
  'no-offset': 'must include a UTC offset (Z or ±hh:mm): a local time does not name one instant',
  'not-a-real-time': 'is not a real date and time (e.g. February 30, hour 24 or a leap second)',
  'too-precise': 'has more than 3 fraction digits: timestamps are stored to the millisecond',
  'not-integer-millis': 'must be integer epoch milliseconds, written without a fraction or exponent',
  'too-far-in-past': `must not be more than ${MAX_PAST_MONTHS} months in the past`,
  'too-far-in-future': `must not be more than ${MAX_FUTURE_SKEW_MS / 60_000} minutes in the future`,
};

const amountMessage = (reason: AmountRefusal, currency: string | undefined, units: number): string => {
  switch (reason) {
    case 'not-plain-decimal':
      return 'must be a plain decimal such as 9.99: digits and an optional fraction, no sign, exponent or spaces';
    case 'too-many-integer-digits':
      return `has more than ${MAX_INTEGER_DIGITS} integer digits`;
    case 'too-many-fraction-digits':
      return currency
        ? `has more fraction digits than ${currency} allows (${units})`
        : `has more fraction digits than any currency allows (${units})`;
    case 'not-positive':
      return 'must be greater than zero';
    case 'too-large':
      return `is too large: at most ${Number.MAX_SAFE_INTEGER} minor units`;
  }
};

/** A field's normalised value, or why not; no message means "not what EXPECTED says". */
type Checked<T> = { ok: true; value: T } | { ok: false; message?: string };
type Check<T> = (value: JsonValue) => Checked<T>;

const accept = <T>(value: T): Checked<T> => ({ ok: true, value });
const refuse = (message?: string): Checked<never> => ({ ok: false, message });

/** A JSON number's literal text or a string's content: amounts and timestamps may be either. */
const numberText = (value: JsonValue): string | undefined => (isLosslessNumber(value) ? value.value : undefined);

const checkUuid: Check<string> = (value) =>
  typeof value === 'string' && UUID_V4.test(value) ? accept(canonicalUserId(value)) : refuse();

const checkTimestamp =
  (now: Date): Check<DatedTimestamp> =>
  (value) => {
    const epochMillis = numberText(value);
    const input =
      typeof value === 'string' ? { rfc3339: value } : epochMillis !== undefined ? { epochMillis } : undefined;
    if (!input) return refuse();
    const result = normaliseTimestamp(input, now);
    if (!result.ok) return refuse(TIMESTAMP_MESSAGES[result.reason]);
    const { timestamp, localDate, utcOffset } = result;
    return accept({ timestamp, localDate, utcOffset });
  };

const checkDescription: Check<string> = (value) => {
  if (typeof value !== 'string') return refuse();
  const result = normaliseDescription(value);
  return result.ok ? accept(result.description) : refuse(textRefusalMessage(result.reason, DESCRIPTION_MAX_LENGTH));
};

const checkCurrency: Check<string> = (value) => {
  if (typeof value !== 'string') return refuse();
  if (minorUnits(value) !== undefined) return accept(value);
  const upper = value.toUpperCase();
  return refuse(minorUnits(upper) !== undefined ? `must be upper case (${upper})` : undefined);
};

/** With no valid currency the fraction rule cannot be applied exactly; the other rules still are. */
const checkAmount =
  (currency: string | undefined): Check<ExactAmount> =>
  (value) => {
    const text = typeof value === 'string' ? value : numberText(value);
    if (text === undefined) return refuse();
    const units = (currency === undefined ? undefined : minorUnits(currency)) ?? MAX_MINOR_UNITS;
    const result = toExactAmount(text, units);
    return result.ok
      ? accept({ amount: result.amount, amountMinor: result.amountMinor })
      : refuse(amountMessage(result.reason, currency, units));
  };

/**
 * ajv is given a float copy of each number only to check its JSON type and sign against the
 * schema; every accepted value is taken from the exact text by the checks above.
 */
const schemaView = (value: JsonValue): unknown => {
  if (isLosslessNumber(value)) return Number(value.value);
  if (Array.isArray(value)) return value.map(schemaView);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, schemaView(item)]));
  return value;
};

/**
 * The fields the schema refuses. ajv reports a oneOf/anyOf miss as one error per branch, so
 * errors are gathered per field and each field gets one message: a known field's message is
 * chosen by its check (undefined here); an unknown field's is said here.
 */
const schemaFailures = (body: JsonObject): Map<string, string | undefined> => {
  const failures = new Map<string, string | undefined>();
  if (matchesSchema(schemaView(body))) return failures;
  for (const error of matchesSchema.errors as ErrorObject[]) {
    if (error.keyword === 'additionalProperties' && error.instancePath === '')
      failures.set(String(error.params.additionalProperty), 'is not an allowed field');
    else if (error.keyword === 'required' && error.instancePath === '')
      failures.set(String(error.params.missingProperty), 'is required');
    else if (error.instancePath === '') failures.set('(body)', 'must be a JSON object');
    else failures.set(decodePointerToken(error.instancePath.split('/')[1] ?? ''), undefined);
  }
  return failures;
};

const decodePointerToken = (token: string): string => token.replaceAll('~1', '/').replaceAll('~0', '~');

const isPaymentField = (field: string): field is PaymentField => (PAYMENT_FIELDS as readonly string[]).includes(field);

/** The optional payee: absent is fine; present, checkPayee names each wrong field (`payee.kind`). */
const takePayee = (body: JsonObject, errors: FieldError[]): Payee | undefined => {
  if (!Object.hasOwn(body, PAYEE_FIELD)) return undefined;
  const checked = checkPayee(schemaView(body[PAYEE_FIELD]!));
  if (checked.ok) return checked.payee;
  errors.push(...checked.errors);
  return undefined;
};

/**
 * The raw request body as a normalised Payment. Throws InvalidJsonError when it is not JSON, and
 * otherwise one InvalidPaymentError naming every field that is wrong, each with one message.
 * `now` is when the API received the request: the future-skew rule is measured from it.
 */
export function validatePaymentSubmission(rawBody: string, now: Date): Payment {
  const body = parseJsonObject(rawBody);
  const failures = schemaFailures(body);
  const errors: FieldError[] = [];

  const take = <T>(field: PaymentField, check: Check<T>): T | undefined => {
    if (!Object.hasOwn(body, field)) {
      errors.push({ field, message: 'is required' });
      return undefined;
    }
    const checked = check(body[field]!);
    if (checked.ok && !failures.has(field)) return checked.value;
    // The check's reason is the sharper one; where only the schema objects, say what is expected.
    errors.push({ field, message: (!checked.ok && checked.message) || EXPECTED[field] });
    return undefined;
  };

  const id = take('id', checkUuid);
  const userId = take('userId', checkUuid);
  const dated = take('timestamp', checkTimestamp(now));
  const description = take('description', checkDescription);
  const currency = take('currency', checkCurrency);
  const exact = take('amount', checkAmount(currency));
  const payee = takePayee(body, errors);
  for (const [field, message] of failures) {
    if (!isPaymentField(field) && field !== PAYEE_FIELD) errors.push({ field, message: message ?? 'is not valid' });
  }

  // A field is undefined only when it has an error; the other conditions narrow the types.
  if (errors.length > 0 || !id || !userId || !dated || !description || !currency || !exact) {
    throw new InvalidPaymentError(errors);
  }
  return {
    id,
    userId,
    ...dated,
    description,
    currency,
    amount: exact.amount,
    amountMinor: exact.amountMinor,
    ...(payee ? { payee } : {}),
  };
}
