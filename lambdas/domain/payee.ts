import { normaliseText, textPattern, textRefusalMessage } from '#domain/description';
import type { FieldError } from '#domain/errors';

/**
 * The optional `payee` of a submission: an integration that knows the mandate names the payee
 * exactly, and where present that decides the commitment (bank narratives vary; a mandate does not).
 */
export const PAYEE_KINDS = ['rent', 'utility', 'telecom', 'subscription', 'other'] as const;
export type PayeeKind = (typeof PAYEE_KINDS)[number];

/** SEPA's mandate reference and creditor name limits (35 and 70 characters): a real mandate id fits. */
export const PAYEE_REFERENCE_MAX_LENGTH = 35;
export const PAYEE_NAME_MAX_LENGTH = 70;

export interface Payee {
  /** The mandate, standing-order or account reference, trimmed and NFC. */
  reference: string;
  name?: string;
  kind?: PayeeKind;
}

export const PAYEE_FIELD = 'payee';

/** The `payee` property of the payment JSON Schema (embedded in PAYMENT_SCHEMA). */
export const PAYEE_SCHEMA = {
  description:
    'Optional: the payee as an integration that knows the mandate names it. Where present it decides which commitment the payment ' +
    'belongs to. `reference` (required) is the mandate, standing-order or account reference; `name` is how the payee reads; `kind` ' +
    'is what the commitment is. Text rules as for `description`. Unknown fields are refused. Part of the content: the same id with ' +
    'another payee is a conflict.',
  type: 'object',
  additionalProperties: false,
  required: ['reference'],
  properties: {
    reference: {
      description: `1 to ${PAYEE_REFERENCE_MAX_LENGTH} characters after trimming, e.g. a direct-debit mandate id.`,
      type: 'string',
      pattern: textPattern(PAYEE_REFERENCE_MAX_LENGTH),
      examples: ['DDM-0042-7781'],
    },
    name: {
      description: `1 to ${PAYEE_NAME_MAX_LENGTH} characters after trimming.`,
      type: 'string',
      pattern: textPattern(PAYEE_NAME_MAX_LENGTH),
      examples: ['PureGym'],
    },
    kind: { type: 'string', enum: PAYEE_KINDS, examples: ['subscription'] },
  },
  examples: [{ reference: 'DDM-0042-7781', name: 'PureGym', kind: 'subscription' }],
} as const;

const FIELDS = Object.keys(PAYEE_SCHEMA.properties);

type PayeeResult = { ok: true; payee: Payee } | { ok: false; errors: FieldError[] };

const fieldName = (name: string): string => `${PAYEE_FIELD}.${name}`;

const checkText = (value: unknown, name: string, maxLength: number, errors: FieldError[]): string | undefined => {
  if (typeof value !== 'string') {
    errors.push({ field: fieldName(name), message: `must be a string of 1 to ${maxLength} characters` });
    return undefined;
  }
  const result = normaliseText(value, maxLength);
  if (result.ok) return result.description;
  errors.push({ field: fieldName(name), message: textRefusalMessage(result.reason, maxLength) });
  return undefined;
};

const isKind = (value: unknown): value is PayeeKind => (PAYEE_KINDS as readonly unknown[]).includes(value);

/** The payee normalised, or one error per wrong field, named `payee.<field>`. */
export const checkPayee = (value: unknown): PayeeResult => {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, errors: [{ field: PAYEE_FIELD, message: 'must be an object with a `reference`' }] };
  const body = value as Record<string, unknown>;
  const errors: FieldError[] = Object.keys(body)
    .filter((name) => !FIELDS.includes(name))
    .map((name) => ({ field: fieldName(name), message: 'is not an allowed field' }));
  const reference = Object.hasOwn(body, 'reference')
    ? checkText(body.reference, 'reference', PAYEE_REFERENCE_MAX_LENGTH, errors)
    : (errors.push({ field: fieldName('reference'), message: 'is required' }), undefined);
  const name = Object.hasOwn(body, 'name') ? checkText(body.name, 'name', PAYEE_NAME_MAX_LENGTH, errors) : undefined;
  if (Object.hasOwn(body, 'kind') && !isKind(body.kind))
    errors.push({ field: fieldName('kind'), message: `must be one of ${PAYEE_KINDS.join(', ')}` });
  if (errors.length > 0 || reference === undefined) return { ok: false, errors };
  return {
    ok: true,
    payee: { reference, ...(name !== undefined ? { name } : {}), ...(isKind(body.kind) ? { kind: body.kind } : {}) },
  };
};

/** Two payees are the same content when every field is: absent equals absent. */
export const samePayee = (a: Payee | undefined, b: Payee | undefined): boolean =>
  a?.reference === b?.reference && a?.name === b?.name && a?.kind === b?.kind;
