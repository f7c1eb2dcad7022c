import { type LosslessNumber, isLosslessNumber, parse } from 'lossless-json';
import { type FieldError, InvalidJsonError, InvalidPaymentError } from '#domain/errors';

/**
 * The request body as JSON, read strictly. Numbers stay `LosslessNumber`s holding their exact
 * literal text: `JSON.parse` would turn an amount of 9.99 into a binary float and a long literal
 * into a rounded one before any rule could see what the client wrote.
 */
export type JsonValue = string | boolean | null | LosslessNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export { isLosslessNumber, type LosslessNumber };

/** A payment is one flat object; this leaves room for a wrong but honest body and bounds the parser's recursion. */
export const MAX_DEPTH = 8;

/** Keys that reach Object.prototype when a body is merged or spread somewhere downstream. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const BODY = '(body)';

const BYTE_ORDER_MARK = '\uFEFF';

const JSON_WHITESPACE = new Set([' ', '\t', '\n', '\r']);

interface Structure {
  /** The field under which nesting passed MAX_DEPTH; the scan stops there. */
  tooDeep?: string;
  refusals: FieldError[];
}

const endOfString = (text: string, quote: number): number => {
  let i = quote + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i;
};

const followedByColon = (text: string, index: number): boolean => {
  let i = index;
  while (i < text.length && JSON_WHITESPACE.has(text[i]!)) i += 1;
  return text[i] === ':';
};

const decodeKey = (literal: string): string => {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return literal; // only on text the parser is about to refuse anyway
  }
};

/**
 * One pass over the raw text for what the parsed value can no longer show: repeated keys (the
 * parser drops an equal-valued repeat silently, and other readers of the same text, a proxy's or
 * an auditor's, may keep the last of differing ones: refusing both leaves the body one meaning),
 * forbidden keys and depth. It runs before the parser so a deeply nested body never reaches the
 * parser's recursion. On text that is not JSON its findings are discarded: the syntax error wins.
 */
const scanStructure = (text: string): Structure => {
  // One entry per open container: the keys seen so far in an object, null for an array.
  const containers: Array<Set<string> | null> = [];
  const refusals: FieldError[] = [];
  let topLevelKey: string | undefined;

  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (char === '{' || char === '[') {
      containers.push(char === '{' ? new Set() : null);
      if (containers.length > MAX_DEPTH) return { tooDeep: topLevelKey ?? BODY, refusals };
    } else if (char === '}' || char === ']') {
      containers.pop();
    } else if (char === '"') {
      const end = endOfString(text, i);
      const keys = containers.at(-1);
      if (keys && followedByColon(text, end + 1)) {
        const key = decodeKey(text.slice(i, end + 1));
        const atTop = containers.length === 1;
        if (atTop) topLevelKey = key;
        const field = atTop ? key : (topLevelKey ?? BODY);
        if (keys.has(key))
          refusals.push({ field, message: atTop ? 'appears more than once' : `repeats the key "${key}"` });
        if (FORBIDDEN_KEYS.has(key)) {
          refusals.push({ field, message: atTop ? 'is not an allowed field' : `must not contain the key "${key}"` });
        }
        keys.add(key);
      }
      i = end;
    }
  }
  return { refusals };
};

/**
 * A byte order mark is not JSON (RFC 8259 §8.1: senders must not add one). Refused with its own
 * detail, so the client learns what to strip; API Gateway and the local gateway both pass it on.
 */
export const refuseByteOrderMark = (text: string): void => {
  if (text.startsWith(BYTE_ORDER_MARK)) {
    throw new InvalidJsonError(
      'The body is not valid JSON: a byte order mark (U+FEFF) at position 0; send the JSON text without one',
    );
  }
};

const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value);

/**
 * Parses a request body that must be one JSON object. Throws InvalidJsonError when the text is
 * not JSON (the detail says where), InvalidPaymentError when it is JSON but not an acceptable
 * object: repeated or forbidden keys, nesting deeper than MAX_DEPTH, or not an object at all.
 */
export const parseJsonObject = (text: string): JsonObject => {
  refuseByteOrderMark(text);
  const structure = scanStructure(text);
  if (structure.tooDeep) {
    throw new InvalidPaymentError([{ field: structure.tooDeep, message: `nests deeper than ${MAX_DEPTH} levels` }]);
  }

  let value: unknown;
  try {
    // Duplicates are reported by the scan, with every one named; the parser must not stop at the first.
    value = parse(text, null, { onDuplicateKey: () => undefined });
  } catch (error) {
    throw new InvalidJsonError(`The body is not valid JSON: ${(error as Error).message}`, { cause: error });
  }

  if (structure.refusals.length > 0) throw new InvalidPaymentError(structure.refusals);
  if (!isJsonObject(value)) throw new InvalidPaymentError([{ field: BODY, message: 'must be a JSON object' }]);
  return value;
};
