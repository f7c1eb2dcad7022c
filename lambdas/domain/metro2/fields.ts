/**
 * Metro 2 character-format fields (426-byte records): each field's place and type, and how a value
 * is written into it. A/N text is upper case, left-justified and blank-filled; numbers are
 * right-justified and zero-filled; dates are MMDDYYYY (zeros when not applicable). Pure.
 * Layouts: moov-io/metro2 `pkg/lib/specifications.go`; rules: docs/decisions/0017.
 */

export const RECORD_LENGTH = 426;

export type FieldType = 'text' | 'number' | 'date' | 'timestamp';

export interface FieldSpec {
  name: string;
  /** 1-based, as the format's documentation counts. */
  start: number;
  length: number;
  type: FieldType;
  /** Must not be blank, zero or (dates) a zero/9 fill. */
  required?: boolean;
}

/** The format's A/N characters: printable ASCII except the backtick (moov-io/metro2 `constants.go`). */
export const TEXT_CHARACTERS = /^[\x20-\x5f\x61-\x7e]*$/;

export class Metro2FieldError extends Error {
  override readonly name = 'Metro2FieldError';
}

const fit = (field: FieldSpec, text: string): string => {
  if (text.length > field.length) throw new Metro2FieldError(`${field.name} is longer than ${field.length}`);
  return text;
};

/** Upper-case text, left-justified and blank-filled; longer text is cut to the field (names, addresses). */
export const formatText = (field: FieldSpec, value: string | undefined): string => {
  const text = (value ?? '').toUpperCase().slice(0, field.length);
  if (!TEXT_CHARACTERS.test(text)) throw new Metro2FieldError(`${field.name} has a character Metro 2 does not allow`);
  return text.padEnd(field.length, ' ');
};

/** A whole non-negative number, right-justified and zero-filled. */
export const formatNumber = (field: FieldSpec, value: number | bigint): string => {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new Metro2FieldError(`${field.name} is not a whole number`);
  }
  if (value < 0) throw new Metro2FieldError(`${field.name} is negative`);
  return fit(field, String(value)).padStart(field.length, '0');
};

const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/** `YYYY-MM-DD` as MMDDYYYY; undefined (not applicable) as zeros. */
export const formatDate = (field: FieldSpec, value: string | undefined): string => {
  if (value === undefined) return '0'.repeat(field.length);
  const match = ISO_DATE.exec(value);
  if (!match || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new Metro2FieldError(`${field.name} is not a date: ${value}`);
  }
  return fit(field, `${match[2]}${match[3]}${match[1]}`);
};

export const isCalendarDate = (year: number, month: number, day: number): boolean => {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/** MMDDYYYYHHMMSS, exactly: a shorter value would shift every later field. */
const formatTimestamp = (field: FieldSpec, value: string): string => {
  if (!new RegExp(`^[0-9]{${field.length}}$`).test(value)) {
    throw new Metro2FieldError(`${field.name} must be ${field.length} digits (MMDDYYYYHHMMSS)`);
  }
  return value;
};

/** A field's value as the record's field table asks, by type. */
export const formatField = (field: FieldSpec, value: string | number | bigint | undefined): string => {
  switch (field.type) {
    case 'text':
      return formatText(field, value === undefined ? undefined : String(value));
    case 'number':
      return formatNumber(field, value === undefined ? 0 : (value as number | bigint));
    case 'date':
      return formatDate(field, value as string | undefined);
    case 'timestamp':
      return value === undefined ? '0'.repeat(field.length) : formatTimestamp(field, String(value));
  }
};

/** Lays out a record from its field table; every byte of the 426 is covered by exactly one field. */
export const layRecord = (
  fields: readonly FieldSpec[],
  values: Readonly<Record<string, string | number | bigint | undefined>>,
): string => {
  const record = fields.map((field) => formatField(field, values[field.name])).join('');
  if (record.length !== RECORD_LENGTH) throw new Metro2FieldError(`A record is ${record.length} bytes, not 426`);
  return record;
};

/** A field's bytes in a record. */
export const fieldText = (record: string, field: FieldSpec): string =>
  record.slice(field.start - 1, field.start - 1 + field.length);
