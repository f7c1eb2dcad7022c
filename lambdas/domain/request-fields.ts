import { normaliseText, textRefusalMessage } from '#domain/description';
import { type FieldError, InvalidJsonError, InvalidPaymentError } from '#domain/errors';
import { parseJsonObject } from '#domain/strict-json';

/** Field rules the hand-read request bodies share (disputes, reversals): each collects its refusals by field. */

/**
 * The body as one JSON object. InvalidJsonError when absent or not JSON; the route's own error, naming the field,
 * when it is JSON but not an acceptable object (an array, a repeated or reserved key, too deep).
 */
export const bodyOf = (
  rawBody: string | null | undefined,
  refused: (fieldErrors: FieldError[]) => Error,
): Record<string, unknown> => {
  if (rawBody === null || rawBody === undefined) throw new InvalidJsonError('The request has no body');
  try {
    return parseJsonObject(rawBody) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof InvalidPaymentError) throw refused(error.fieldErrors);
    throw error;
  }
};

export const unknownFields = (body: Record<string, unknown>, allowed: readonly string[]): FieldError[] =>
  Object.keys(body)
    .filter((field) => !allowed.includes(field))
    .map((field) => ({ field, message: 'is not an allowed field' }));

/** Free text bounded and validated as payment descriptions are (trimmed, NFC, no invisible or control characters). */
export const textOf = (value: unknown, field: string, maxLength: number, errors: FieldError[]): string => {
  if (typeof value !== 'string') {
    errors.push({ field, message: value === undefined ? 'is required' : 'must be a string' });
    return '';
  }
  const result = normaliseText(value, maxLength);
  if (result.ok) return result.description;
  errors.push({ field, message: textRefusalMessage(result.reason, maxLength) });
  return '';
};

export const oneOf = <T extends string>(
  value: unknown,
  field: string,
  allowed: readonly T[],
  errors: FieldError[],
): T => {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  errors.push({ field, message: `must be one of ${allowed.join(', ')}` });
  return allowed[0]!;
};
