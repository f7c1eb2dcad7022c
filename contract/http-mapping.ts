import {
  type Caller,
  JSON_CONTENT_TYPE,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_TYPE_BASE,
  type SubmissionInput,
  type SubmissionOutput,
} from '#contract/workflow-io';

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

/** Problems the gateway answers itself, before any workflow runs (API Gateway "gateway responses"). */
export const GATEWAY_PROBLEMS = {
  invalidBody: { status: 400, slug: 'invalid-json', title: 'The request body is not valid JSON' },
  unauthorized: { status: 401, slug: 'unauthorized', title: 'Missing or invalid access token' },
  forbidden: { status: 403, slug: 'forbidden', title: 'The token may not call this operation' },
  notFound: { status: 404, slug: 'not-found', title: 'No such resource' },
  methodNotAllowed: { status: 405, slug: 'method-not-allowed', title: 'Method not allowed' },
  payloadTooLarge: { status: 413, slug: 'payload-too-large', title: 'The request body is too large' },
  unsupportedMediaType: { status: 415, slug: 'unsupported-media-type', title: 'The request body must be application/json' },
  throttled: { status: 429, slug: 'throttled', title: 'Too many requests' },
  internalError: { status: 500, slug: 'internal-error', title: 'Internal error' },
  serviceUnavailable: { status: 503, slug: 'dependency-unavailable', title: 'A dependency is unavailable' },
} as const;

export type GatewayProblem = keyof typeof GATEWAY_PROBLEMS;

export const problemResponse = (
  problem: GatewayProblem,
  requestId: string,
  detail: string,
  headers: Record<string, string> = {},
): HttpResponse => {
  const { status, slug, title } = GATEWAY_PROBLEMS[problem];
  return {
    statusCode: status,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, [REQUEST_ID_HEADER]: requestId, ...headers },
    body: JSON.stringify({ type: PROBLEM_TYPE_BASE + slug, title, status, detail, requestId }),
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
    const output = (typeof execution.output === 'string' ? JSON.parse(execution.output) : execution.output) as SubmissionOutput;
    return {
      statusCode: output.statusCode,
      headers: { 'Content-Type': JSON_CONTENT_TYPE, ...output.headers, [REQUEST_ID_HEADER]: requestId },
      body: JSON.stringify(output.body),
    };
  }
  if (execution.status === 'TIMED_OUT') {
    return problemResponse('serviceUnavailable', requestId, 'The payment was not confirmed in time. Retry the same request.', {
      'Retry-After': '2',
    });
  }
  return problemResponse('internalError', requestId, 'The submission failed. Retry the same request; it is safe.');
};
