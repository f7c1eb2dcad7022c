import { type FieldError, InvalidBatchError, InvalidPaymentError, type SubmissionError } from '#domain/errors';

/**
 * Every RFC 9457 problem the API answers with, each named once with its status, type and title:
 * the workflow's typed errors (by the names the ASL routes on), the answers the gateway gives by
 * itself, and the read endpoints'. Answers, VTL templates, the OpenAPI document and the tests all
 * take them from here; the ASL cannot import it, so a test holds its problem states to it.
 */
export interface ProblemDefinition {
  status: number;
  /** The problem's `type` is PROBLEM_TYPE_BASE followed by this. */
  slug: string;
  title: string;
  /** Headers every answer of this problem carries; an answer may set another value (a computed Retry-After). */
  headers?: Readonly<Record<string, string>>;
}

/** Base of every RFC 9457 problem `type` this API answers with. */
export const PROBLEM_TYPE_BASE = 'https://payments-tracker.example/problems/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const CATALOGUE = {
  // The submit-payment workflow's typed errors (lambdas/domain/errors.ts).
  InvalidJson: { status: 400, slug: 'invalid-json', title: 'The request body is not valid JSON' },
  InvalidPayment: { status: 400, slug: 'invalid-payment', title: 'The payment is not valid' },
  // The batch workflow's first step: the body is JSON but not a batch (POST /payments/batch).
  InvalidBatch: { status: 400, slug: 'invalid-batch', title: 'The request body is not a batch of payments' },
  MissingScope: { status: 403, slug: 'missing-scope', title: 'The token lacks a required scope' },
  NotPaymentOwner: {
    status: 403,
    slug: 'not-payment-owner',
    title: 'The caller may not submit payments for this user',
  },
  PaymentConflict: { status: 409, slug: 'payment-conflict', title: 'A different payment with this id already exists' },
  SubmissionInProgress: {
    status: 409,
    slug: 'submission-in-progress',
    title: 'A submission with this payment id is in progress',
    headers: { 'Retry-After': '2' },
  },
  DependencyUnavailable: {
    status: 503,
    slug: 'dependency-unavailable',
    title: 'A dependency is unavailable',
    headers: { 'Retry-After': '2' },
  },
  /** Anything unexpected: a bug, an execution that failed outright, a start the service refused. */
  InternalError: { status: 500, slug: 'internal-error', title: 'Internal error' },
  // What the gateway answers before any function runs.
  Unauthorized: {
    status: 401,
    slug: 'unauthorized',
    title: 'Missing or invalid access token',
    headers: { 'WWW-Authenticate': 'Bearer' },
  },
  /** Refused for what the request is, not for its token's scopes (which is MissingScope): the local console's Host check. */
  Forbidden: { status: 403, slug: 'forbidden', title: 'The token may not call this operation' },
  NotFound: { status: 404, slug: 'not-found', title: 'No such resource' },
  MethodNotAllowed: { status: 405, slug: 'method-not-allowed', title: 'Method not allowed' },
  PayloadTooLarge: { status: 413, slug: 'payload-too-large', title: 'The request body is too large' },
  UnsupportedMediaType: {
    status: 415,
    slug: 'unsupported-media-type',
    title: 'The request body must be application/json',
  },
  Throttled: { status: 429, slug: 'throttled', title: 'Too many requests', headers: { 'Retry-After': '1' } },
  // The read endpoints'.
  InvalidParameter: { status: 400, slug: 'invalid-parameter', title: 'A query parameter is not valid' },
  // The commitment corrections' (POST /commitments/corrections).
  InvalidCorrection: { status: 400, slug: 'invalid-correction', title: 'The correction is not valid' },
  CorrectionConflict: {
    status: 409,
    slug: 'correction-conflict',
    title: 'The correction cannot be applied to these commitments',
  },
  // The disputes' (POST /disputes, POST /disputes/{id}/resolution).
  InvalidDispute: { status: 400, slug: 'invalid-dispute', title: 'The dispute or resolution is not valid' },
  DisputeConflict: {
    status: 409,
    slug: 'dispute-conflict',
    title: 'The dispute is already open, or already resolved (a resolution is final)',
  },
  // The consent route's (PUT /commitments/{id}/consent).
  InvalidConsent: { status: 400, slug: 'invalid-consent', title: 'The consent is not valid' },
  // The identity routes' (PUT /customers/{userId}/identity).
  InvalidIdentity: { status: 400, slug: 'invalid-identity', title: 'The identity is not valid' },
  IdentityConflict: {
    status: 409,
    slug: 'identity-conflict',
    title: "The customer's erasure is not yet furnished, or the identity changed meanwhile",
  },
  // The reversal route's (POST /payments/{id}/reversal, decisions/0019).
  InvalidReversal: { status: 400, slug: 'invalid-reversal', title: 'The reversal is not valid' },
  NotReversible: {
    status: 403,
    slug: 'not-reversible',
    title: 'Only the integration that submitted a payment for its customer may reverse it',
  },
  ReversalConflict: {
    status: 409,
    slug: 'reversal-conflict',
    title: 'The payment is already reversed, differently (one reversal per payment)',
  },
  // The kind route's (PUT /commitments/{id}/kind).
  InvalidKind: { status: 400, slug: 'invalid-kind', title: 'The kind is not valid' },
  KindSetByIntegration: {
    status: 409,
    slug: 'kind-set-by-integration',
    title: "The integration that reports this commitment names its kind: the customer's choice would not be used",
  },
} satisfies Record<string, ProblemDefinition>;

export type ProblemName = keyof typeof CATALOGUE;

export const PROBLEMS: Readonly<Record<ProblemName, ProblemDefinition>> = CATALOGUE;

export const PROBLEM_NAMES = Object.keys(PROBLEMS) as ProblemName[];

export const problemType = (name: ProblemName): string => PROBLEM_TYPE_BASE + PROBLEMS[name].slug;

/** The fields that describe one occurrence of a problem; its answer adds the status and the request id. */
export interface ProblemFields {
  type: string;
  title: string;
  detail: string;
  /** One entry per invalid field or parameter. */
  errors?: FieldError[];
}

export const problemFields = (name: ProblemName, detail: string, errors?: FieldError[]): ProblemFields => ({
  type: problemType(name),
  title: PROBLEMS[name].title,
  detail,
  ...(errors ? { errors } : {}),
});

/**
 * A typed workflow error as the problem fields its Lambda error message carries; the state machine's
 * problem states add the status and the request id (statemachines/submit-payment.asl.json).
 */
export const toProblem = (error: SubmissionError): ProblemFields =>
  problemFields(
    error.name,
    error.message,
    error instanceof InvalidPaymentError || error instanceof InvalidBatchError ? error.fieldErrors : undefined,
  );
