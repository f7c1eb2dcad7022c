import { type FieldError, InvalidJsonError, InvalidRequestError } from '#domain/errors';
import { PAYEE_KINDS, type PayeeKind } from '#domain/payee';
import { parseJsonObject } from '#domain/strict-json';

/**
 * The customer's choice of a commitment's kind (rent, utility, telecom, …; decision 0024), kept
 * append-only as consent is: the integration's `payee.kind` wins, else the customer's latest choice,
 * else the kind stays unknown (and the commitment is not furnished). Pure: the kind route and the
 * report build read the kept choices and apply these rules.
 */

/** One choice as kept. `by` is the customer's `sub`: never logged. */
export interface KindChoice {
  commitmentId: string;
  kind: PayeeKind;
  at: string;
  by: string;
  clientId: string;
}

/** Where a report's kind came from; absent on reports built before the customer could choose. */
export type KindSource = 'integration' | 'customer';

/** The body of PUT /commitments/{id}/kind, as the OpenAPI document publishes it. */
export const KIND_REQUEST_SCHEMA = {
  type: 'object',
  description:
    "The commitment's kind, as the customer knows it: used from the next report run when no integration named it.",
  required: ['kind'],
  additionalProperties: false,
  properties: { kind: { type: 'string', enum: PAYEE_KINDS } },
  examples: [{ kind: 'rent' }],
} as const;

/** The body is JSON but not `{"kind": <one of PAYEE_KINDS>}`; names each field. */
export class InvalidKindError extends InvalidRequestError {
  override readonly name = 'InvalidKind';
  constructor(fieldErrors: FieldError[]) {
    super('kind', fieldErrors);
  }
}

const isKind = (value: unknown): value is PayeeKind => (PAYEE_KINDS as readonly unknown[]).includes(value);

/** The request body's kind; InvalidJsonError or InvalidKindError (naming each field) if not one. */
export const parseKindRequest = (rawBody: string | null | undefined): { kind: PayeeKind } => {
  if (rawBody === null || rawBody === undefined) throw new InvalidJsonError('The request has no body');
  const body = parseJsonObject(rawBody) as Record<string, unknown>;
  const errors: FieldError[] = Object.keys(body)
    .filter((field) => field !== 'kind')
    .map((field) => ({ field, message: 'is not an allowed field' }));
  if (!isKind(body.kind))
    errors.push({
      field: 'kind',
      message: body.kind === undefined ? 'is required' : `must be one of ${PAYEE_KINDS.join(', ')}`,
    });
  if (errors.length > 0 || !isKind(body.kind)) throw new InvalidKindError(errors);
  return { kind: body.kind };
};

/** The customer's latest choice for the commitment, if any. */
export const chosenKind = (choices: readonly KindChoice[], commitmentId: string): KindChoice | undefined =>
  choices
    .filter((choice) => choice.commitmentId === commitmentId)
    .reduce<KindChoice | undefined>((latest, choice) => (latest && latest.at > choice.at ? latest : choice), undefined);

interface Kinded {
  commitmentId: string;
  kind: PayeeKind | null;
  kindSource?: KindSource;
}

/** A commitment's kind: the integration's (a kind the report did not take from the customer) wins, then the customer's. */
export const kindOf = (
  commitment: Kinded,
  choices: readonly KindChoice[],
): { kind: PayeeKind | null; kindSource?: KindSource } => {
  if (commitment.kind !== null && commitment.kindSource !== 'customer') {
    return { kind: commitment.kind, kindSource: 'integration' };
  }
  const chosen = chosenKind(choices, commitment.commitmentId);
  return chosen ? { kind: chosen.kind, kindSource: 'customer' } : { kind: null };
};

/** The report with each commitment's kind as its build reads it (the customer's choice of then). */
export const withKindChoices = <Report extends { commitments: Kinded[] }>(
  report: Report,
  choices: readonly KindChoice[],
): Report => ({
  ...report,
  commitments: report.commitments.map((commitment) => {
    const { kindSource: _previous, ...rest } = commitment;
    return { ...rest, ...kindOf(commitment, choices) };
  }),
});
