import { type FieldSpec, RECORD_LENGTH, TEXT_CHARACTERS, fieldText, isCalendarDate } from '#domain/metro2/fields';
import { BASE_FIELDS, HEADER_FIELDS, TRAILER_FIELDS, fieldNamed } from '#domain/metro2/layouts';
import { Metro2Trailer } from '#domain/metro2/records';
import * as codes from '#domain/metro2/codes';

/**
 * Checks a Metro 2 character file line by line (memory flat): moov-io/metro2's checks (length,
 * types, required fields, code lists, profile, trailer recomputed) and the cross-field rules it
 * does not make (decision 0017). Each violation names the record (1-based line), rule and field.
 */

export interface Metro2Violation {
  record: number;
  rule: string;
  field?: string;
  message: string;
}

type Report = (rule: string, field: string | undefined, message: string) => void;

const DATE = /^(\d{2})(\d{2})(\d{4})$/;

const isoOf = (mmddyyyy: string): string | undefined => {
  const match = DATE.exec(mmddyyyy);
  if (!match || /^0+$/.test(mmddyyyy)) return undefined;
  return `${match[3]}-${match[1]}-${match[2]}`;
};

/**
 * A deleted account (`DA`) is matched by Identification Number and Consumer Account Number; an
 * erased customer's record carries no identity to match by (decision 0017), so these may be blank.
 */
const IDENTITY_FIELDS = new Set(['surname', 'firstName', 'firstLineOfAddress', 'city', 'state', 'postalCode']);

const checkField = (record: string, field: FieldSpec, report: Report, exempt?: ReadonlySet<string>): void => {
  const text = fieldText(record, field);
  const blank = text.trim() === '';
  if (field.type === 'text') {
    if (!TEXT_CHARACTERS.test(text)) report('character-class', field.name, 'a character Metro 2 does not allow');
    if (field.required && blank && !exempt?.has(field.name)) report('required', field.name, 'is required');
    return;
  }
  if (!/^\d+$/.test(text)) return report('numeric', field.name, `must be digits, got "${text}"`);
  if (field.type === 'date' && !/^0+$/.test(text)) {
    const match = DATE.exec(text)!;
    if (!isCalendarDate(Number(match[3]), Number(match[1]), Number(match[2]))) {
      report('date', field.name, `not a date: ${text}`);
    }
  }
  if (field.required && (/^0+$/.test(text) || /^9+$/.test(text))) report('required', field.name, 'is required');
};

const checkFields = (
  record: string,
  fields: readonly FieldSpec[],
  report: Report,
  exempt?: ReadonlySet<string>,
): void => {
  for (const field of fields) checkField(record, field, report, exempt);
};

const BASE_FIELD_NAMED = new Map(BASE_FIELDS.map((field) => [field.name, field]));

const value = (record: string, name: string): string =>
  fieldText(record, BASE_FIELD_NAMED.get(name) ?? fieldNamed(BASE_FIELDS, name)).trim();

/** moov-io's own check: the furnisher's id is never zero-, 9- or blank-filled. */
const checkIdentificationNumber = (record: string, report: Report): void => {
  if (/^(0+|9+)$/.test(value(record, 'identificationNumber'))) {
    report('identification-number', 'identificationNumber', 'must not be zero- or 9-filled');
  }
};

const checkCodes = (record: string, report: Report): void => {
  const listed: [string, ReadonlySet<string>][] = [
    ['portfolioType', codes.PORTFOLIO_TYPES],
    ['accountType', codes.ACCOUNT_TYPES],
    ['accountStatus', codes.ACCOUNT_STATUSES],
    ['termsFrequency', codes.TERMS_FREQUENCIES],
    ['interestTypeIndicator', codes.INTEREST_TYPES],
    ['specialComment', codes.SPECIAL_COMMENTS],
    ['complianceConditionCode', codes.COMPLIANCE_CONDITIONS],
    ['ecoaCode', codes.ECOA_CODES],
  ];
  for (const [name, allowed] of listed) {
    if (!allowed.has(value(record, name))) report('allowed-value', name, `"${value(record, name)}" is not allowed`);
  }
  if (!['0', '1'].includes(value(record, 'correctionIndicator'))) {
    report('allowed-value', 'correctionIndicator', 'must be 0 or 1');
  }
  const terms = value(record, 'termsDuration');
  if (!['LOC', 'REV'].includes(terms) && !/^\d+$/.test(terms))
    report('allowed-value', 'termsDuration', 'LOC, REV or a number');
  const rating = value(record, 'paymentRating');
  const rated = codes.RATED_STATUSES.has(value(record, 'accountStatus'));
  if (rated ? !codes.PAYMENT_RATINGS.has(rating) : rating !== '') {
    report('payment-rating', 'paymentRating', rated ? 'this status needs a rating' : 'must be blank for this status');
  }
};

const checkProfile = (record: string, report: Report): void => {
  const profile = fieldText(record, fieldNamed(BASE_FIELDS, 'paymentHistoryProfile'));
  if (!codes.PROFILE_CHARACTERS.test(profile)) {
    return report('profile-characters', 'paymentHistoryProfile', '24 characters of 0-6 B D E G H J K L');
  }
  if (/B[^B]/.test(profile)) report('profile-b-trailing', 'paymentHistoryProfile', '`B` only after the last history');
};

/** A past-due status (71–84) owes something 30+ days late, and dates the delinquency (CRRG, decision 0017). */
const checkPastDue = (record: string, status: string, report: Report): void => {
  if (!(codes.PAST_DUE_STATUSES as readonly string[]).includes(status)) return;
  if (Number(value(record, 'amountPastDue')) === 0) {
    report('past-due-amount', 'amountPastDue', `must be above 0 when the status is ${status} (past due)`);
  }
  if (isoOf(value(record, 'dateOfFirstDelinquency')) === undefined) {
    report('past-due-delinquency', 'dateOfFirstDelinquency', `is required when the status is ${status} (past due)`);
  }
};

const checkCrossFields = (record: string, today: string, report: Report): void => {
  const status = value(record, 'accountStatus');
  for (const name of ['dateOpened', 'dateOfAccountInformation', 'dateOfFirstDelinquency', 'dateOfLastPayment']) {
    const iso = isoOf(value(record, name));
    if (iso !== undefined && iso > today) report('future-date', name, `${iso} is in the future`);
  }
  if (status === '11' && Number(value(record, 'amountPastDue')) !== 0) {
    report('current-past-due', 'amountPastDue', 'must be 0 when the status is 11 (current)');
  }
  if (status === '11' && isoOf(value(record, 'dateOfFirstDelinquency')) !== undefined) {
    report('current-delinquency', 'dateOfFirstDelinquency', 'must be zeros when the status is 11 (current)');
  }
  checkPastDue(record, status, report);
  if (status !== 'DA' && status !== 'DF' && Number(value(record, 'socialSecurityNumber')) === 0) {
    if (isoOf(value(record, 'dateOfBirth')) === undefined)
      report('ssn-or-birth', 'dateOfBirth', 'SSN or date of birth');
  }
};

/** Profile character 1 is last month: it must be what last month's status says (the same account's record). */
const checkLastMonth = (record: string, previous: Map<string, string>, report: Report): void => {
  const account = value(record, 'consumerAccountNumber');
  const last = previous.get(account);
  const expected = last === undefined ? undefined : codes.PROFILE_CHARACTER_OF_STATUS[last];
  const first = value(record, 'paymentHistoryProfile')[0];
  if (expected !== undefined && first !== expected) {
    report(
      'profile-last-month',
      'paymentHistoryProfile',
      `character 1 is ${first}, last month's status says ${expected}`,
    );
  }
};

export interface ValidateOptions {
  /** `YYYY-MM-DD`: dates after it are in the future (default: today, UTC). */
  today?: string;
  /** Last month's Account Status per account number, when the previous file is known. */
  lastMonthStatus?: Map<string, string>;
}

const checkBase = (record: string, options: Required<ValidateOptions>, report: Report): void => {
  checkFields(record, BASE_FIELDS, report, value(record, 'accountStatus') === 'DA' ? IDENTITY_FIELDS : undefined);
  checkIdentificationNumber(record, report);
  checkCodes(record, report);
  checkProfile(record, report);
  checkCrossFields(record, options.today, report);
  checkLastMonth(record, options.lastMonthStatus, report);
};

const tallyOf = (record: string) => ({
  accountStatus: value(record, 'accountStatus'),
  ecoaCode: value(record, 'ecoaCode'),
  hasSocialSecurityNumber: Number(value(record, 'socialSecurityNumber')) > 0,
  hasDateOfBirth: isoOf(value(record, 'dateOfBirth')) !== undefined,
  hasTelephone: Number(value(record, 'telephoneNumber')) > 0,
});

const checkTrailer = (record: string, trailer: Metro2Trailer, report: Report): void => {
  checkFields(record, TRAILER_FIELDS, report);
  const expected = trailer.values();
  for (const field of TRAILER_FIELDS) {
    if (field.type !== 'number' || !/^\d+$/.test(fieldText(record, field))) continue;
    const written = Number(fieldText(record, field));
    if (written !== expected[field.name]) {
      report('trailer-total', field.name, `says ${written}, the records give ${expected[field.name]}`);
    }
  }
};

const checkRecord = (
  record: string,
  kind: 'header' | 'base' | 'trailer',
  state: { trailer: Metro2Trailer; options: Required<ValidateOptions> },
  report: Report,
): void => {
  if (record.length !== RECORD_LENGTH) return report('length', undefined, `${record.length} bytes, not 426`);
  if (record.slice(0, 4) !== '0426') report('record-descriptor-word', 'recordDescriptorWord', 'must be 0426');
  if (kind === 'header') {
    if (!record.startsWith('HEADER', 4)) report('record-identifier', 'recordIdentifier', 'must be HEADER');
    checkFields(record, HEADER_FIELDS, report);
  } else if (kind === 'trailer') {
    checkTrailer(record, state.trailer, report);
  } else {
    checkBase(record, state.options, report);
    state.trailer.tally(tallyOf(record));
  }
};

/** Every violation of the file, in record order; an empty list means the file may be delivered. */
export const validateMetro2File = async (
  lines: AsyncIterable<string> | Iterable<string>,
  options: ValidateOptions = {},
): Promise<Metro2Violation[]> => {
  const violations: Metro2Violation[] = [];
  const state = {
    trailer: new Metro2Trailer(),
    options: { today: new Date().toISOString().slice(0, 10), lastMonthStatus: new Map<string, string>(), ...options },
  };
  let number = 0;
  let pending: string | undefined;
  // A record is known to be the trailer only when no line follows it: each line is checked one line late.
  for await (const line of lines) {
    if (line === '') continue;
    if (pending !== undefined) {
      const record = number;
      checkRecord(pending, number === 1 ? 'header' : 'base', state, (rule, field, message) =>
        violations.push({ record, rule, ...(field ? { field } : {}), message }),
      );
    }
    number += 1;
    pending = line;
  }
  if (number < 3)
    violations.push({ record: number, rule: 'structure', message: 'a header, a base record and a trailer' });
  if (pending !== undefined && number > 1) {
    checkRecord(pending, 'trailer', state, (rule, field, message) =>
      violations.push({ record: number, rule, ...(field ? { field } : {}), message }),
    );
    if (!pending.startsWith('TRAILER', 4))
      violations.push({
        record: number,
        rule: 'record-identifier',
        field: 'recordIdentifier',
        message: 'must be TRAILER',
      });
  }
  return violations;
};

const optionsOf = (options: ValidateOptions): Required<ValidateOptions> => ({
  today: new Date().toISOString().slice(0, 10),
  lastMonthStatus: new Map<string, string>(),
  ...options,
});

/**
 * One base segment checked as it is written into a shard's part (decision 0023): the same rules as in a whole file,
 * `record` being its number within the part. Its trailer totals are checked where the parts are assembled.
 */
export const validateBaseRecord = (
  record: string,
  number: number,
  options: ValidateOptions = {},
): Metro2Violation[] => {
  const violations: Metro2Violation[] = [];
  checkRecord(record, 'base', { trailer: new Metro2Trailer(), options: optionsOf(options) }, (rule, field, message) =>
    violations.push({ record: number, rule, ...(field ? { field } : {}), message }),
  );
  return violations;
};

/** An assembled file as its assembler knows it: header, trailer, the parts' summed trailer totals, and its length. */
export interface Metro2Assembly {
  header: string;
  trailer: string;
  /** The parts' trailer totals summed (Metro2Trailer.totals of each part). */
  totals: Readonly<Record<string, number>>;
  /** The assembled file's bytes (426 a record and its newline). */
  bytes: number;
}

/**
 * The assembled file's envelope (its bases were checked in their parts): the header's fields, the trailer's totals
 * against the parts' (record 1 and the last), and the file's length against the base count the parts give.
 */
export const validateMetro2Assembly = (
  { header, trailer, totals, bytes }: Metro2Assembly,
  options: ValidateOptions = {},
): Metro2Violation[] => {
  const parts = Metro2Trailer.fromTotals(totals);
  const records = parts.baseRecords + 2;
  const violations: Metro2Violation[] = [];
  const at = (record: number) => (rule: string, field: string | undefined, message: string) =>
    violations.push({ record, rule, ...(field ? { field } : {}), message });
  const state = { trailer: parts, options: optionsOf(options) };
  checkRecord(header, 'header', state, at(1));
  checkRecord(trailer, 'trailer', state, at(records));
  if (!trailer.startsWith('TRAILER', 4)) at(records)('record-identifier', 'recordIdentifier', 'must be TRAILER');
  if (bytes !== records * (RECORD_LENGTH + 1))
    at(records)('record-count', undefined, `${bytes} bytes, the parts give ${records} records`);
  return violations;
};
