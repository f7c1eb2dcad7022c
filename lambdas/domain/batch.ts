import { type FieldError, InvalidBatchError, InvalidJsonError, PayloadTooLargeError } from '#domain/errors';
import { refuseByteOrderMark } from '#domain/strict-json';

/**
 * A batch body, `{"payments": [ <payment>, ... ]}`, read for its structure only: each payment is
 * handed on as its exact text, so that ValidatePayment reads it exactly as it reads the body of
 * POST /payments (exact numbers, repeated keys, depth: all judged there, per item). Re-serializing
 * a parsed item would lose what that validation must see (a repeated key, the literal text of an
 * amount).
 */

/** A batch holds 1 to this many payments. */
export const MAX_BATCH_PAYMENTS = 100;

export const BATCH_FIELD = 'payments';

export interface BatchLimits {
  /** The whole body, in UTF-8 bytes. */
  maxBodyBytes: number;
  /** One payment's text, in UTF-8 bytes: the single submission's body limit. */
  maxItemBytes: number;
}

/** One payment of a batch: its text as sent, and its id when the text is an object with a string `id`. */
export interface BatchItem {
  text: string;
  id?: string;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

const skipWhitespace = (text: string, from: number): number => {
  let i = from;
  while (i < text.length && WHITESPACE.has(text[i]!)) i += 1;
  return i;
};

/** The index just past the string literal that starts at `quote`. */
const pastString = (text: string, quote: number): number => {
  let i = quote + 1;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
};

/**
 * The index just past the JSON value that starts at `from`, in text already known to be JSON: an
 * iterative scan (no recursion, whatever the nesting), skipping over strings.
 */
const pastValue = (text: string, from: number): number => {
  const first = text[from];
  if (first === '"') return pastString(text, from);
  if (first !== '{' && first !== '[') {
    let i = from;
    while (i < text.length && !WHITESPACE.has(text[i]!) && text[i] !== ',' && text[i] !== '}' && text[i] !== ']')
      i += 1;
    return i;
  }
  let depth = 0;
  let i = from;
  do {
    const char = text[i];
    if (char === '"') {
      i = pastString(text, i);
      continue;
    }
    if (char === '{' || char === '[') depth += 1;
    else if (char === '}' || char === ']') depth -= 1;
    i += 1;
  } while (depth > 0);
  return i;
};

/** The members of the object that starts at `from`, each as its key and its value's exact text. */
const members = (text: string, from: number): Array<{ key: string; value: string }> => {
  const found: Array<{ key: string; value: string }> = [];
  let i = skipWhitespace(text, from + 1);
  while (text[i] !== '}') {
    const keyEnd = pastString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    const valueStart = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1);
    const valueEnd = pastValue(text, valueStart);
    found.push({ key, value: text.slice(valueStart, valueEnd) });
    i = skipWhitespace(text, valueEnd);
    if (text[i] === ',') i = skipWhitespace(text, i + 1);
  }
  return found;
};

/** The elements of the array text `array`, each as its exact text. */
const elements = (array: string): string[] => {
  const found: string[] = [];
  let i = skipWhitespace(array, 1);
  while (array[i] !== ']') {
    const end = pastValue(array, i);
    found.push(array.slice(i, end));
    i = skipWhitespace(array, end);
    if (array[i] === ',') i = skipWhitespace(array, i + 1);
  }
  return found;
};

const UTF8 = new TextEncoder();
const utf8Bytes = (text: string): number => UTF8.encode(text).length;

const readableId = (itemText: string): string | undefined => {
  if (!itemText.startsWith('{')) return undefined;
  const item = JSON.parse(itemText) as Record<string, unknown>;
  return typeof item.id === 'string' && item.id !== '' ? item.id : undefined;
};

const refuse = (errors: FieldError[]): never => {
  throw new InvalidBatchError(errors);
};

const NOT_A_BATCH = `must be an array of 1 to ${MAX_BATCH_PAYMENTS} payments`;

/**
 * The payments of a batch body, in order. Throws InvalidJsonError when the body is not JSON,
 * PayloadTooLargeError when it or one payment is over its limit, and InvalidBatchError when it is
 * JSON but not a batch: not an object, `payments` missing, repeated, not an array, empty or over
 * MAX_BATCH_PAYMENTS, or another field beside it. What each payment holds is not looked at here.
 */
export const readBatch = (text: string, limits: BatchLimits): BatchItem[] => {
  if (utf8Bytes(text) > limits.maxBodyBytes) {
    throw new PayloadTooLargeError(`The body may be at most ${limits.maxBodyBytes} bytes`);
  }
  refuseByteOrderMark(text);
  try {
    // Only whether it is JSON, and where not: JSON.parse does not recurse on the stack, whatever the nesting.
    JSON.parse(text);
  } catch (error) {
    throw new InvalidJsonError(`The body is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const start = skipWhitespace(text, 0);
  if (text[start] !== '{') refuse([{ field: '(body)', message: `must be a JSON object with ${BATCH_FIELD}` }]);

  const fields = members(text, start);
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const { key } of fields) {
    if (seen.has(key)) errors.push({ field: key, message: 'appears more than once' });
    else if (key !== BATCH_FIELD) errors.push({ field: key, message: 'is not an allowed field' });
    seen.add(key);
  }
  const payments = fields.find((field) => field.key === BATCH_FIELD)?.value;
  if (payments === undefined) errors.push({ field: BATCH_FIELD, message: 'is required' });
  else if (!payments.startsWith('[')) errors.push({ field: BATCH_FIELD, message: NOT_A_BATCH });
  if (errors.length > 0 || payments === undefined) return refuse(errors);

  const items = elements(payments);
  if (items.length === 0 || items.length > MAX_BATCH_PAYMENTS) {
    refuse([{ field: BATCH_FIELD, message: `${NOT_A_BATCH} (got ${items.length})` }]);
  }
  const tooLarge = items.findIndex((item) => utf8Bytes(item) > limits.maxItemBytes);
  if (tooLarge >= 0) {
    throw new PayloadTooLargeError(
      `${BATCH_FIELD}[${tooLarge}] is larger than ${limits.maxItemBytes} bytes, the limit of one payment`,
    );
  }
  return items.map((item) => {
    const id = readableId(item);
    return id === undefined ? { text: item } : { text: item, id };
  });
};

/** The request id each payment of a batch is submitted under: the batch's, and its position. */
export const itemRequestId = (requestId: string, index: number): string => `${requestId}/${index}`;
