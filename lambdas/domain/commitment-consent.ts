import { type FieldError, InvalidRequestError } from '#domain/errors';
import { bodyOf } from '#domain/request-fields';

/**
 * A customer's consent to report a commitment to the credit file (decision 0021): each change kept
 * append-only (who, when, which client, from, to); the state is the latest change, else the stage
 * default. Pure: the consent routes and the report build read the records and apply these rules.
 */

/** One change of a commitment's consent, as kept. `by` is the customer's `sub`: never logged. */
export interface ConsentChange {
  commitmentId: string;
  at: string;
  by: string;
  clientId: string;
  from: boolean;
  to: boolean;
}

/** A commitment's consent as a report carries it (interface.md): `changedAt` null = the stage default, never changed. */
export interface ConsentState {
  report: boolean;
  changedAt: string | null;
}

/** The body of PUT /commitments/{id}/consent, as the OpenAPI document publishes it. */
export const CONSENT_REQUEST_SCHEMA = {
  type: 'object',
  description:
    '`report: true` opts the commitment in to the credit file from the next report run; `false` opts it out.',
  required: ['report'],
  additionalProperties: false,
  properties: { report: { type: 'boolean' } },
  examples: [{ report: true }],
} as const;

/** The body is JSON but not `{"report": true|false}`; names each field. */
export class InvalidConsentError extends InvalidRequestError {
  override readonly name = 'InvalidConsent';
  constructor(fieldErrors: FieldError[]) {
    super('consent', fieldErrors);
  }
}

/** The request body's choice; InvalidJsonError or InvalidConsentError (naming each field) if not one. */
export const parseConsentRequest = (rawBody: string | null | undefined): { report: boolean } => {
  const body = bodyOf(rawBody, (fieldErrors) => new InvalidConsentError(fieldErrors));
  const errors: FieldError[] = Object.keys(body)
    .filter((field) => field !== 'report')
    .map((field) => ({ field, message: 'is not an allowed field' }));
  if (typeof body.report !== 'boolean')
    errors.push({ field: 'report', message: body.report === undefined ? 'is required' : 'must be true or false' });
  if (errors.length > 0 || typeof body.report !== 'boolean') throw new InvalidConsentError(errors);
  return { report: body.report };
};

const byTime = (a: ConsentChange, b: ConsentChange): number => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);

/** A commitment's consent: its latest change, else the default. */
export const consentOf = (
  changes: readonly ConsentChange[],
  commitmentId: string,
  optedInByDefault: boolean,
): ConsentState => {
  const latest = changes
    .filter((change) => change.commitmentId === commitmentId)
    .sort(byTime)
    .at(-1);
  return latest ? { report: latest.to, changedAt: latest.at } : { report: optedInByDefault, changedAt: null };
};

/** The change the customer's choice makes, or undefined when it is already the state (nothing is kept). */
export const consentChange = (
  changes: readonly ConsentChange[],
  request: { commitmentId: string; report: boolean; at: string; by: string; clientId: string },
  optedInByDefault: boolean,
): ConsentChange | undefined => {
  const current = consentOf(changes, request.commitmentId, optedInByDefault);
  if (current.report === request.report) return undefined;
  const { report, ...who } = request;
  return { ...who, from: current.report, to: report };
};

/**
 * The report with each commitment's consent as its build reads it: what the credit file may carry. A month rebuilt
 * later (a late payment) takes the consent of then; a file already delivered to a bureau is not rewritten.
 */
export const withConsent = <Report extends { commitments: { commitmentId: string; consent?: ConsentState }[] }>(
  report: Report,
  changes: readonly ConsentChange[],
  optedInByDefault: boolean,
): Report => ({
  ...report,
  commitments: report.commitments.map((commitment) => ({
    ...commitment,
    consent: consentOf(changes, commitment.commitmentId, optedInByDefault),
  })),
});

/** Whether a bureau may be given the commitment: opted in. A report built before consent was kept has none: never. */
export const isOptedIn = (commitment: { consent?: ConsentState }): boolean => commitment.consent?.report === true;
