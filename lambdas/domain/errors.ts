import { PROBLEM_TYPE_BASE } from '#contract/workflow-io';

/**
 * Typed errors of the submission path. Each sets `name` explicitly: Lambda reports it as the
 * error type, the local interpreter matches Catch on it, and the ASL routes on exactly these
 * names (a test checks that every name in the ASL is `States.*`, `Lambda.*` or one of these).
 * Each error knows the RFC 9457 fields that describe it; the state machine adds the status.
 */
export interface FieldError {
  /** The field's name in the request body (`amount`, `currency`), or `(body)` for the whole. */
  field: string;
  message: string;
}

export interface ProblemFields {
  type: string;
  title: string;
  detail: string;
  errors?: FieldError[];
}

export abstract class PaymentProblemError extends Error {
  abstract readonly problemType: string;
  abstract readonly title: string;

  toProblem(): ProblemFields {
    return { type: PROBLEM_TYPE_BASE + this.problemType, title: this.title, detail: this.message };
  }
}

export class InvalidJsonError extends PaymentProblemError {
  override readonly name = 'InvalidJson';
  readonly problemType = 'invalid-json';
  readonly title = 'The request body is not valid JSON';
}

export class InvalidPaymentError extends PaymentProblemError {
  override readonly name = 'InvalidPayment';
  readonly problemType = 'invalid-payment';
  readonly title = 'The payment is not valid';

  constructor(readonly fieldErrors: FieldError[]) {
    super(`Invalid field(s): ${[...new Set(fieldErrors.map((e) => e.field))].join(', ')}`);
  }

  override toProblem(): ProblemFields {
    return { ...super.toProblem(), errors: this.fieldErrors };
  }
}

export class MissingScopeError extends PaymentProblemError {
  override readonly name = 'MissingScope';
  readonly problemType = 'missing-scope';
  readonly title = 'The token lacks a required scope';
}

export class NotPaymentOwnerError extends PaymentProblemError {
  override readonly name = 'NotPaymentOwner';
  readonly problemType = 'not-payment-owner';
  readonly title = 'The caller may not submit payments for this user';
}

export class PaymentConflictError extends PaymentProblemError {
  override readonly name = 'PaymentConflict';
  readonly problemType = 'payment-conflict';
  readonly title = 'A different payment with this id already exists';
}

/** Another submission of the same payment id is being processed right now. Retried by the ASL. */
export class SubmissionInProgressError extends PaymentProblemError {
  override readonly name = 'SubmissionInProgress';
  readonly problemType = 'submission-in-progress';
  readonly title = 'A submission with this payment id is in progress';
}

/** A dependency (DynamoDB) failed in a way that a retry may fix. Retried by the ASL, then 503. */
export class DependencyUnavailableError extends PaymentProblemError {
  override readonly name = 'DependencyUnavailable';
  readonly problemType = 'dependency-unavailable';
  readonly title = 'A dependency is unavailable';
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
] as const;

/** Error names the report run's handlers throw on purpose, besides DependencyUnavailable; its ASL retries them. */
export const REPORT_RUN_ERROR_NAMES = [
  /** A report read while its parts are being rewritten (domain/report-parts). */
  'ReportBeingRebuilt',
] as const;

/**
 * A report run was started for something that is not a month (`2026-13`, `October`). Not a
 * problem of a payment submission: the run fails at its first step with this name.
 */
export class InvalidMonthError extends Error {
  override readonly name = 'InvalidMonth';
}
