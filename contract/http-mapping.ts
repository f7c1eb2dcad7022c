import type { FieldError } from '#domain/errors';
import { PROBLEMS, PROBLEM_CONTENT_TYPE, type ProblemName, problemFields } from '#contract/problems';
import { type Caller, JSON_CONTENT_TYPE, type SubmissionInput, type SubmissionOutput } from '#contract/workflow-io';

/**
 * The two mappings around the submit-payment workflow, written once: the local gateway calls
 * these functions, and the deployed API's integration templates must produce the same shapes.
 */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export const REQUEST_ID_HEADER = 'X-Request-Id';

// `ignoreBOM: true` keeps a leading U+FEFF: API Gateway hands `$input.body` to the template with
// its byte order mark, so the local gateway must too, or the two would answer the same bytes
// differently (201 here, 400 there). ValidatePayment then refuses it as not JSON (RFC 8259 §8.1).
const UTF8_KEEPING_BOM = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The request body bytes as the text the workflow gets: UTF-8, nothing stripped. Throws TypeError on bytes that are not UTF-8. */
export const requestBodyText = (bytes: Uint8Array): string => UTF8_KEEPING_BOM.decode(bytes);

/** Request -> workflow input: the raw body travels untouched; the caller comes from the verified token. */
export const toSubmissionInput = (request: {
  requestId: string;
  receivedAtEpochMs: number;
  body: string;
  caller: Caller;
}): SubmissionInput => ({
  requestId: request.requestId,
  receivedAt: new Date(request.receivedAtEpochMs).toISOString(),
  body: request.body,
  caller: { sub: request.caller.sub, clientId: request.caller.clientId, scope: request.caller.scope },
});

/**
 * A problem of the catalogue as an answer: its status, its headers (`headers` may add to them or
 * set another value), and the RFC 9457 document with the request id.
 */
export const problemResponse = (
  problem: ProblemName,
  requestId: string,
  detail: string,
  headers: Record<string, string> = {},
  errors?: FieldError[],
): HttpResponse => {
  const { status, headers: always } = PROBLEMS[problem];
  const { type, title, ...rest } = problemFields(problem, detail, errors);
  return {
    statusCode: status,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, [REQUEST_ID_HEADER]: requestId, ...always, ...headers },
    body: JSON.stringify({ type, title, status, ...rest, requestId }),
  };
};

/** A finished synchronous execution, as StartSyncExecution reports it. */
export interface SyncExecutionResult {
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | string;
  /** JSON text (the API) or the parsed value (the local interpreter). */
  output?: unknown;
}

/**
 * Workflow output -> HTTP answer. The workflow's terminal states already carry the status,
 * headers and body; an execution that failed outright (a bug, or a timeout) becomes 500/503.
 */
export const toHttpResponse = (execution: SyncExecutionResult, requestId: string): HttpResponse => {
  if (execution.status === 'SUCCEEDED') {
    const output = (
      typeof execution.output === 'string' ? JSON.parse(execution.output) : execution.output
    ) as SubmissionOutput;
    return {
      statusCode: output.statusCode,
      headers: { 'Content-Type': JSON_CONTENT_TYPE, ...output.headers, [REQUEST_ID_HEADER]: requestId },
      body: JSON.stringify(output.body),
    };
  }
  if (execution.status === 'TIMED_OUT') {
    return problemResponse(
      'DependencyUnavailable',
      requestId,
      'The payment was not confirmed in time. Retry the same request.',
    );
  }
  return problemResponse('InternalError', requestId, 'The submission failed. Retry the same request; it is safe.');
};
