import { FORBIDDEN_CHARACTERS } from '#domain/description';
import { type FieldError, InvalidRequestError } from '#domain/errors';
import { isUuidV4 } from '#domain/payment-schema';
import { bodyOf } from '#domain/request-fields';
import { canonicalUserId } from '#domain/user-id';

/**
 * A customer's correction of how their payments are grouped into commitments, as kept (append-only,
 * audited: who, when, which client) and as the report build applies them, in `at` order.
 * A move's `into` is a commitment id, or NEW_COMMITMENT: the payment becomes a commitment of its own.
 */
export type CommitmentCorrection =
  | { kind: 'merge'; from: string; into: string; at: string; by: string; clientId: string }
  | { kind: 'move'; paymentId: string; into: string; at: string; by: string; clientId: string };

export const NEW_COMMITMENT = 'new';

/** The commitment a payment moved to `new` becomes: named after its currency, payee key and the payment, by the build and the listing alike. */
export const movedCommitmentId = (currency: string, payeeKey: string, paymentId: string): string =>
  `${currency}#${payeeKey}#${paymentId}`;

/** What the customer asks for: the correction without its audit fields. */
export type CorrectionRequest =
  { kind: 'merge'; from: string; into: string } | { kind: 'move'; paymentId: string; into: string };

/**
 * A commitment id as reports write it (`GBP#pure gym`, `GBP#ref#<mandate reference>`): payee keys and
 * references hold spaces and any letter, so only what no id holds is refused (control and invisible
 * characters, space at either end), bounded like a key.
 */
export const COMMITMENT_ID_PATTERN = `^[^\\s${FORBIDDEN_CHARACTERS}](?:[^${FORBIDDEN_CHARACTERS}]{0,198}[^\\s${FORBIDDEN_CHARACTERS}])?$`;
const COMMITMENT_ID = new RegExp(COMMITMENT_ID_PATTERN, 'u');

const commitmentId = { type: 'string', pattern: COMMITMENT_ID_PATTERN } as const;

/** The body of POST /commitments/corrections, as the OpenAPI document publishes it. */
export const CORRECTION_REQUEST_SCHEMA = {
  type: 'object',
  description:
    'A merge (`from` is folded into `into`) or a move (`paymentId` goes to the commitment `into`, or to a new one with `into: "new"`). ' +
    'Unknown fields, and fields of the other kind, are refused.',
  required: ['kind', 'into'],
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: ['merge', 'move'] },
    from: { ...commitmentId, description: 'merge: the commitment that disappears into `into`.' },
    into: {
      ...commitmentId,
      description: `The commitment that receives; for a move, \`${NEW_COMMITMENT}\` for a new one.`,
    },
    paymentId: { type: 'string', format: 'uuid', description: "move: one of the customer's payments." },
  },
  examples: [
    { kind: 'merge', from: 'GBP#puregym-ltd', into: 'GBP#puregym' },
    { kind: 'move', paymentId: '3f2b8c1e-6d4a-4e2b-9c1f-8a7d6e5b4c3a', into: NEW_COMMITMENT },
  ],
} as const;

/** The body is JSON but not a correction; names each field. */
export class InvalidCorrectionError extends InvalidRequestError {
  override readonly name = 'InvalidCorrection';
  constructor(fieldErrors: FieldError[]) {
    super('correction', fieldErrors);
  }
}

const FIELDS_OF = { merge: ['kind', 'from', 'into'], move: ['kind', 'paymentId', 'into'] } as const;

const checkId = (body: Record<string, unknown>, field: string, errors: FieldError[]): string | undefined => {
  const value = body[field];
  if (value === undefined) errors.push({ field, message: 'is required' });
  else if (typeof value !== 'string' || !COMMITMENT_ID.test(value))
    errors.push({ field, message: 'must be a commitment id (1 to 200 visible characters, no space at either end)' });
  else return value;
  return undefined;
};

/** The request body as a CorrectionRequest; InvalidJsonError or InvalidCorrectionError (naming each field) if not. */
export const parseCorrectionRequest = (rawBody: string | null | undefined): CorrectionRequest => {
  const body = bodyOf(rawBody, (fieldErrors) => new InvalidCorrectionError(fieldErrors));
  const kind = body.kind;
  if (kind !== 'merge' && kind !== 'move')
    throw new InvalidCorrectionError([{ field: 'kind', message: 'must be merge or move' }]);
  const errors: FieldError[] = Object.keys(body)
    .filter((field) => !(FIELDS_OF[kind] as readonly string[]).includes(field))
    .map((field) => ({ field, message: `is not an allowed field of a ${kind}` }));
  const into = checkId(body, 'into', errors);
  if (kind === 'merge') {
    const from = checkId(body, 'from', errors);
    if (errors.length > 0 || !from || !into) throw new InvalidCorrectionError(errors);
    return { kind, from, into };
  }
  const paymentId = body.paymentId;
  if (!isUuidV4(paymentId))
    errors.push({ field: 'paymentId', message: paymentId === undefined ? 'is required' : 'must be a UUID v4' });
  if (errors.length > 0 || !isUuidV4(paymentId) || !into) throw new InvalidCorrectionError(errors);
  return { kind, paymentId: canonicalUserId(paymentId), into };
};
