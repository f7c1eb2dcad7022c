import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { type FieldError, InvalidJsonError, InvalidPaymentError, InvalidRequestError } from '#domain/errors';
import type { Metro2Consumer } from '#domain/metro2/account';
import { type JsonObject, type JsonValue, isLosslessNumber, parseJsonObject } from '#domain/strict-json';
import { IDENTITY_REQUEST_SCHEMA } from '#domain/identity-schema';

/**
 * A customer's identity as a credit bureau matches it (decision 0020): names, date of birth, address and, in the US,
 * an SSN. Validated once (ajv for shape, then the rules below), typed, and mapped to the Metro 2 base segment's
 * consumer fields. Pure: no value of it is ever put in an error message, a log line or an execution's history.
 */
export interface ConsumerIdentity {
  surname: string;
  firstName: string;
  middleName?: string;
  /** Metro 2 Generation Code: J (junior), S (senior), 2 to 9 (II to IX). */
  generationCode?: string;
  /** `YYYY-MM-DD`. */
  dateOfBirth: string;
  addressLine1: string;
  addressLine2?: string;
  city: string;
  /** US: the USPS state code (required); elsewhere an optional two-letter region code. */
  region?: string;
  /** UK postcode (`SW1A 1AA`), US ZIP (`12345` or `123456789`), else up to 10 letters, digits, blanks or hyphens. */
  postalCode: string;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
  /** Nine digits. Never answered in full: see maskedIdentity. */
  ssn?: string;
}

/** What the API answers of an identity: every field but the SSN, of which only the last four digits. */
export type MaskedIdentity = Omit<ConsumerIdentity, 'ssn'> & { ssnLastFour?: string };

type IdentityField = keyof typeof IDENTITY_REQUEST_SCHEMA.properties;

/** The body is JSON but not an identity: `fieldErrors` names each field (never its value). */
export class InvalidIdentityError extends InvalidRequestError {
  override readonly name = 'InvalidIdentity';
  constructor(fieldErrors: FieldError[]) {
    super('identity', fieldErrors);
  }
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv, ['date']);
const matchesSchema = ajv.compile(IDENTITY_REQUEST_SCHEMA);

/** A number in the body is a LosslessNumber; ajv sees a plain one (and refuses it: every field is a string). */
const schemaView = (value: JsonValue): unknown => (isLosslessNumber(value) ? Number(value.value) : value);

const schemaMessage = (error: ErrorObject): string => {
  if (error.keyword === 'maxLength') return `must be at most ${String(error.params.limit)} characters`;
  if (error.keyword === 'minLength') return 'must not be empty';
  if (error.keyword === 'format') return 'must be a date, YYYY-MM-DD';
  if (error.keyword === 'enum')
    return `must be one of ${IDENTITY_REQUEST_SCHEMA.properties.generationCode.enum.join(', ')}`;
  if (error.keyword === 'type') return 'must be a string';
  return 'has the wrong form';
};

/** The schema's refusals, one per field; its messages say what is expected, never what was sent. */
const schemaErrors = (body: JsonObject): FieldError[] => {
  const view = Object.fromEntries(Object.entries(body).map(([key, value]) => [key, schemaView(value)]));
  if (matchesSchema(view)) return [];
  const errors = new Map<string, string>();
  for (const error of matchesSchema.errors ?? []) {
    if (error.keyword === 'additionalProperties')
      errors.set(String(error.params.additionalProperty), 'is not an allowed field');
    else if (error.keyword === 'required') errors.set(String(error.params.missingProperty), 'is required');
    else {
      const field = error.instancePath.split('/')[1] ?? '(body)';
      if (!errors.has(field)) errors.set(field, schemaMessage(error));
    }
  }
  return [...errors].map(([field, message]) => ({ field, message }));
};

/** Latin letters (accents allowed: they are dropped for the bureau), blanks, hyphens, apostrophes, full stops. */
const NAME = /^[A-Za-z][A-Za-z '.-]*$/;
/** The same, with digits and the punctuation of an address (`Flat 2/3, 10 St. John's Rd`). */
const ADDRESS = /^[A-Za-z0-9][A-Za-z0-9 '.,/#&-]*$/;
const US_ZIP = /^[0-9]{5}(-?[0-9]{4})?$/;
/** Royal Mail's postcode format: outward code (area, district), then inward code (sector, unit). */
const UK_POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/;
const OTHER_POSTCODE = /^[A-Z0-9][A-Z0-9 -]*$/;
/** The USPS state and territory codes. */
const US_STATES = new Set(
  (
    'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK ' +
    'OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR VI AA AE AP'
  ).split(' '),
);
const regions = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
/** A code CLDR names a country or territory by (ZZ is its "Unknown Region"; user-assigned codes have no name). */
const isCountry = (code: string): boolean => ![code, 'Unknown Region'].includes(regions.of(code) ?? code);

/** Accents dropped (NFD, marks removed) and blanks collapsed: the form a bureau's upper-case ASCII file can hold. */
export const latinText = (value: string): string =>
  value.normalize('NFD').replace(/\p{M}/gu, '').replace(/\s+/gu, ' ').trim();

const addYears = (isoDate: string, years: number): string =>
  `${Number(isoDate.slice(0, 4)) + years}${isoDate.slice(4)}`;

/** Each field's own rule, on a value the schema already accepted: a message, or undefined when it holds. */
const fieldRule = (field: IdentityField, value: string, body: Record<string, string>, today: string) => {
  switch (field) {
    case 'surname':
    case 'firstName':
    case 'middleName':
      return NAME.test(latinText(value)) ? undefined : 'must be Latin letters, blanks, hyphens or apostrophes';
    case 'addressLine1':
    case 'addressLine2':
    case 'city':
      return ADDRESS.test(latinText(value)) ? undefined : 'must be Latin letters, digits and address punctuation';
    case 'dateOfBirth':
      if (value >= today) return 'must be in the past';
      if (addYears(value, 18) > today) return 'must be at least 18 years ago';
      return value < '1900-01-01' ? 'must be after 1900-01-01' : undefined;
    case 'countryCode':
      return isCountry(value.toUpperCase()) ? undefined : 'is not an ISO 3166-1 country code';
    case 'region':
      return body.countryCode?.toUpperCase() === 'US' && !US_STATES.has(value.toUpperCase())
        ? 'must be a USPS state code'
        : undefined;
    case 'postalCode':
      return postalCodeRule(value, body.countryCode?.toUpperCase());
    case 'ssn':
      return ssnRule(value.replaceAll('-', ''));
    default:
      return undefined;
  }
};

const postalCodeRule = (value: string, country: string | undefined): string | undefined => {
  const code = latinText(value).toUpperCase();
  if (country === 'US') return US_ZIP.test(code) ? undefined : 'must be a US ZIP code (12345 or 12345-6789)';
  if (country === 'GB') return UK_POSTCODE.test(code) ? undefined : 'must be a UK postcode (SW1A 2AA)';
  return OTHER_POSTCODE.test(code) ? undefined : 'must be letters, digits, blanks or hyphens';
};

/** The SSA's never-issued numbers: area 000, 666 or 9xx, group 00, serial 0000. */
const ssnRule = (digits: string): string | undefined => {
  const [area, group, serial] = [digits.slice(0, 3), digits.slice(3, 5), digits.slice(5)];
  if (area === '000' || area === '666' || area.startsWith('9')) return 'is not an issued SSN (its area number)';
  if (group === '00' || serial === '0000') return 'is not an issued SSN (its group or serial number)';
  return undefined;
};

/** The rules beyond the schema, for the fields the schema accepted; and the US's required state. */
const domainErrors = (body: Record<string, string>, refused: ReadonlySet<string>, today: string): FieldError[] => {
  const errors: FieldError[] = [];
  for (const field of Object.keys(IDENTITY_REQUEST_SCHEMA.properties) as IdentityField[]) {
    const value = body[field];
    if (value === undefined || refused.has(field)) continue;
    if (latinText(value) === '') errors.push({ field, message: 'must not be blank' });
    else {
      const message = fieldRule(field, value, body, today);
      if (message) errors.push({ field, message });
    }
  }
  if (body.countryCode?.toUpperCase() === 'US' && body.region === undefined)
    errors.push({ field: 'region', message: 'is required for a US address (the USPS state code)' });
  return errors;
};

const optional = <Key extends string>(key: Key, value: string | undefined): Partial<Record<Key, string>> =>
  value === undefined ? {} : ({ [key]: value } as Record<Key, string>);

/** The accepted body as the stored identity: text trimmed, codes upper-case, the SSN and a US ZIP as digits. */
const normalised = (body: Record<string, string>): ConsumerIdentity => {
  const country = body.countryCode!.toUpperCase();
  const postal = latinText(body.postalCode!).toUpperCase();
  const trimmed = (value: string | undefined) => (value === undefined ? undefined : value.replace(/\s+/gu, ' ').trim());
  return {
    surname: trimmed(body.surname)!,
    firstName: trimmed(body.firstName)!,
    ...optional('middleName', trimmed(body.middleName)),
    ...optional('generationCode', body.generationCode),
    dateOfBirth: body.dateOfBirth!,
    addressLine1: trimmed(body.addressLine1)!,
    ...optional('addressLine2', trimmed(body.addressLine2)),
    city: trimmed(body.city)!,
    ...optional('region', body.region?.toUpperCase()),
    postalCode: country === 'US' ? postal.replace('-', '') : postal,
    countryCode: country,
    ...optional('ssn', body.ssn?.replaceAll('-', '')),
  };
};

/**
 * The request body as an identity, or InvalidJsonError / InvalidIdentityError naming each refused field (never its
 * value). `today` is the UTC date `YYYY-MM-DD` the age rules are measured from.
 */
export const parseIdentityRequest = (rawBody: string | null | undefined, today: string): ConsumerIdentity => {
  if (rawBody === null || rawBody === undefined) throw new InvalidJsonError('The request has no body');
  let body: JsonObject;
  try {
    body = parseJsonObject(rawBody);
  } catch (error) {
    // A duplicated or too deeply nested key: the strict parser names it as a payment's field error.
    if (error instanceof InvalidPaymentError) throw new InvalidIdentityError(error.fieldErrors);
    throw error;
  }
  const shapeErrors = schemaErrors(body);
  const strings = body as Record<string, string>;
  const errors = [...shapeErrors, ...domainErrors(strings, new Set(shapeErrors.map((e) => e.field)), today)];
  if (errors.length > 0) throw new InvalidIdentityError(errors);
  return normalised(strings);
};

/** The identity as the API answers it: the SSN's last four digits only. */
export const maskedIdentity = ({ ssn, ...rest }: ConsumerIdentity): MaskedIdentity => ({
  ...rest,
  ...(ssn === undefined ? {} : { ssnLastFour: ssn.slice(-4) }),
});

/** The Metro 2 base segment's consumer fields: Latin upper-case text for the bureau, `state` blank outside the US. */
export const toMetro2Consumer = (identity: ConsumerIdentity): Metro2Consumer => {
  const upper = (value: string) => latinText(value).toUpperCase();
  return {
    surname: upper(identity.surname),
    firstName: upper(identity.firstName),
    ...optional('middleName', identity.middleName && upper(identity.middleName)),
    ...optional('generationCode', identity.generationCode),
    dateOfBirth: identity.dateOfBirth,
    addressLine1: upper(identity.addressLine1),
    ...optional('addressLine2', identity.addressLine2 && upper(identity.addressLine2)),
    city: upper(identity.city),
    state: identity.region ?? '',
    postalCode: identity.postalCode.replace(' ', ''),
    countryCode: identity.countryCode,
  };
};
