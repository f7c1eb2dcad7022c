/**
 * Typed errors of the submission path. Each sets `name` explicitly: Lambda reports it as the
 * error type, the local interpreter matches Catch on it, and the ASL routes on exactly these
 * names (a test checks that every name in the ASL is `States.*`, `Lambda.*` or one of these).
 * The domain names what went wrong; what a caller is answered for each name is decided outside it.
 */
export interface FieldError {
  /** The field's name in the request body (`amount`, `currency`), or `(body)` for the whole. */
  field: string;
  message: string;
}

/**
 * A request body that is JSON but breaks its route's rules; names each field. Each subclass sets its own `name`
 * (the problem it is answered as, and what a state machine would route on) and says what the request is.
 */
export abstract class InvalidRequestError extends Error {
  constructor(
    what: string,
    readonly fieldErrors: FieldError[],
  ) {
    super(`The ${what} is not valid: ${fieldErrors.map((error) => error.field).join(', ')}`);
  }
}

/** Every error name a handler may throw on purpose; the ASL test checks against this list. */
export const WORKFLOW_ERROR_NAMES = [
  'InvalidJson',
  'InvalidPayment',
  'MissingScope',
  'NotPaymentOwner',
  'PaymentConflict',
  'SubmissionInProgress',
  'DependencyUnavailable',
  // The batch workflow's first step (statemachines/submit-payment-batch.asl.json): a body that is not a batch.
  'InvalidBatch',
  'PayloadTooLarge',
] as const;

export type WorkflowErrorName = (typeof WORKFLOW_ERROR_NAMES)[number];

/** A refusal or failure of a submission step that the state machine routes by name. */
export abstract class SubmissionError extends Error {
  abstract override readonly name: WorkflowErrorName;
}

export class InvalidJsonError extends SubmissionError {
  override readonly name = 'InvalidJson';
}

export class InvalidPaymentError extends SubmissionError {
  override readonly name = 'InvalidPayment';

  constructor(readonly fieldErrors: FieldError[]) {
    super(`Invalid field(s): ${[...new Set(fieldErrors.map((e) => e.field))].join(', ')}`);
  }
}

export class MissingScopeError extends SubmissionError {
  override readonly name = 'MissingScope';
}

export class NotPaymentOwnerError extends SubmissionError {
  override readonly name = 'NotPaymentOwner';
}

export class PaymentConflictError extends SubmissionError {
  override readonly name = 'PaymentConflict';
}

/** Another submission of the same payment id is being processed right now. Retried by the ASL. */
export class SubmissionInProgressError extends SubmissionError {
  override readonly name = 'SubmissionInProgress';
}

/** A dependency (DynamoDB) failed in a way that a retry may fix. Retried by the ASL, then refused as unavailable. */
export class DependencyUnavailableError extends SubmissionError {
  override readonly name = 'DependencyUnavailable';
}

/** A batch body that is JSON but not a batch (no `payments` array, 0 or more than 100 items, another field). */
export class InvalidBatchError extends SubmissionError {
  override readonly name = 'InvalidBatch';

  constructor(readonly fieldErrors: FieldError[]) {
    super(fieldErrors.map((error) => `${error.field} ${error.message}`).join('; '));
  }
}

/** A batch (or one of its payments) larger than its limit: refused whole, before any payment is looked at. */
export class PayloadTooLargeError extends SubmissionError {
  override readonly name = 'PayloadTooLarge';
}

/** Error names the report run's handlers throw on purpose, besides DependencyUnavailable; its ASL retries them. */
export const REPORT_RUN_ERROR_NAMES = [
  /** A report replaced by newer builds again and again while it was read or written (domain/report-parts): rare; reading again settles it. */
  'ReportBeingRebuilt',
] as const;

/**
 * A report run was started for something that is not a month (`2026-13`, `October`). Not a
 * refusal of a payment submission: the run fails at its first step with this name.
 */
export class InvalidMonthError extends Error {
  override readonly name = 'InvalidMonth';
}

/**
 * Another run of the same month holds the month (docs/operations.md, "One run of a month at a
 * time"): this run is refused before any write. Its message names the running execution.
 */
export class ReportRunInProgressError extends Error {
  override readonly name = 'ReportRunInProgress';
}
