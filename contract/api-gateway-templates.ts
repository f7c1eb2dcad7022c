import { type HttpResponse, REQUEST_ID_HEADER, problemResponse, toHttpResponse } from '#contract/http-mapping';
import type { ProblemName } from '#contract/problems';
import { JSON_CONTENT_TYPE, type SubmissionInput } from '#contract/workflow-io';

/**
 * The deployed counterpart of `toSubmissionInput` and `toHttpResponse`: the API Gateway (REST)
 * mapping templates, in VTL, of the POST /payments integration with `states:StartSyncExecution`,
 * and the gateway responses API Gateway answers by itself. The local gateway calls the two
 * functions; API Gateway runs these templates; test/unit/contract/api-gateway-templates.test.ts renders
 * them and checks that both give the same workflow input and the same HTTP answer.
 *
 * VTL as API Gateway runs it (Velocity 1.7) has no date formatting and no JSON serializer, so:
 * - `receivedAt` is rebuilt from `$context.requestTime` (`05/Oct/2026:09:30:00 +0000`, always
 *   UTC) plus the milliseconds of `$context.requestTimeEpoch`;
 * - the response body is the workflow output's own `body` JSON text, cut out of the output
 *   string, never a parsed map re-serialized (which VTL cannot do, and which could change
 *   number text). That relies on two facts of `SubmissionOutput`, pinned by the tests: its only
 *   top-level keys are `statusCode`, `headers` and `body`, and neither `"body":` nor
 *   `,"headers":` nor `,"statusCode":` can occur unescaped inside a JSON string value.
 */

/** Stands for the request id while a static answer is built; replaced by `$context.requestId`. */
const REQUEST_ID_MARKER = 'REQUEST-ID-MARKER-6a0b2e';
const VTL_REQUEST_ID = '$context.requestId';

/** The headers a workflow's terminal state may set (statemachines/*.asl.json); the test checks the ASL. */
export const WORKFLOW_RESPONSE_HEADERS = ['Content-Type', 'Location', 'Idempotent-Replayed', 'Retry-After'] as const;

/** `$x` and `#x` are VTL; static text copied into a template must contain neither. */
const assertVtlSafe = (text: string): string => {
  if (/[$#]/.test(text.replaceAll(REQUEST_ID_MARKER, ''))) {
    throw new Error(`Static text would be read as VTL: ${text}`);
  }
  return text;
};

const withRequestId = (text: string): string => assertVtlSafe(text).replaceAll(REQUEST_ID_MARKER, VTL_REQUEST_ID);

/** JSON text inside a JSON string inside the request: the documented escape, twice. */
const escapedTwice = (variable: string, source: string): string =>
  [
    `#set($${variable}Once = $util.escapeJavaScript(${source}).replaceAll("\\\\'", "'"))`,
    `#set($${variable} = $util.escapeJavaScript($${variable}Once).replaceAll("\\\\'", "'"))`,
  ].join('\n');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Each field of the workflow input, with the VTL expression it comes from. */
const INPUT_SOURCES = {
  requestId: '$context.requestId',
  receivedAt: '$receivedAtText',
  body: '$input.body',
  sub: '$context.authorizer.claims.sub',
  clientId: '$context.authorizer.claims.client_id',
  scope: '$context.authorizer.claims.scope',
} as const;

/** The workflow input, field for field as `toSubmissionInput` builds it; leaves are VTL variables. */
const WORKFLOW_INPUT: SubmissionInput = {
  requestId: '$!requestId',
  receivedAt: '$!receivedAt',
  body: '$!body',
  caller: { sub: '$!sub', clientId: '$!clientId', scope: '$!scope' },
};

/**
 * Request -> `StartSyncExecution` request. The execution is named after the request id (so an
 * operator finds it from the `X-Request-Id` a client quotes); the caller comes from the claims
 * of the access token the Cognito authorizer verified; the body travels untouched.
 */
export const submissionRequestTemplate = (stateMachineArn: string): string =>
  [
    '## Request -> submit-payment workflow input (contract/api-gateway-templates.ts)',
    `#set($months = {${MONTHS.map((month, index) => `"${month}": "${String(index + 1).padStart(2, '0')}"`).join(', ')}})`,
    '#set($time = $context.requestTime)',
    '#set($epoch = "$context.requestTimeEpoch")',
    '#set($millisFrom = $epoch.length() - 3)',
    '#set($receivedAtText = "$time.substring(7, 11)-$months.get($time.substring(3, 6))-$time.substring(0, 2)T$time.substring(12, 20).$epoch.substring($millisFrom)Z")',
    ...Object.entries(INPUT_SOURCES).map(([variable, source]) => escapedTwice(variable, source)),
    `{"stateMachineArn": "${stateMachineArn}", "name": "$context.requestId", "input": ${JSON.stringify(JSON.stringify(WORKFLOW_INPUT))}}`,
  ].join('\n');

/** A fixed answer (status, headers, body) as VTL that sets the status and headers and prints the body. */
const staticAnswer = (response: HttpResponse): string =>
  [
    `#set($context.responseOverride.status = ${response.statusCode})`,
    ...Object.entries(response.headers).map(
      ([name, value]) => `#set($context.responseOverride.header.${name} = "${withRequestId(value)}")`,
    ),
    withRequestId(response.body),
  ].join('\n');

const FAILED = toHttpResponse({ status: 'FAILED' }, REQUEST_ID_MARKER);
const TIMED_OUT = toHttpResponse({ status: 'TIMED_OUT' }, REQUEST_ID_MARKER);

/**
 * `StartSyncExecution` answered (HTTP 200) -> the HTTP answer, as `toHttpResponse`: a succeeded
 * execution answers with the status, headers and body its terminal state built (JSON content
 * type unless the workflow set another, plus the request id); a timed-out one 503 with
 * Retry-After; any other end 500.
 */
export const SUBMISSION_RESPONSE_TEMPLATE = [
  '## submit-payment execution -> HTTP answer (contract/api-gateway-templates.ts)',
  "#set($executionStatus = $input.path('$.status'))",
  '#if($executionStatus == "SUCCEEDED")',
  "#set($text = $input.path('$.output'))",
  '#set($output = $util.parseJson($text))',
  '#set($context.responseOverride.status = $output.statusCode)',
  `#set($context.responseOverride.header.Content-Type = "${JSON_CONTENT_TYPE}")`,
  ...WORKFLOW_RESPONSE_HEADERS.map(
    (name) =>
      `#if($output.headers.get("${name}"))#set($context.responseOverride.header.${name} = $output.headers.get("${name}"))#end`,
  ),
  `#set($context.responseOverride.header.${REQUEST_ID_HEADER} = ${VTL_REQUEST_ID})`,
  `#set($bodyFrom = $text.indexOf('"body":') + 7)`,
  '#set($bodyTo = $text.length() - 1)',
  ...['headers', 'statusCode'].flatMap((key) => [
    `#set($next = $text.indexOf(',"${key}":', $bodyFrom))`,
    '#if($next > 0 && $next < $bodyTo)#set($bodyTo = $next)#end',
  ]),
  '$text.substring($bodyFrom, $bodyTo)',
  '#elseif($executionStatus == "TIMED_OUT")',
  staticAnswer(TIMED_OUT),
  '#else',
  staticAnswer(FAILED),
  '#end',
].join('\n');

// A throttled start clears sooner than a dependency that is down: a shorter Retry-After than the problem's own.
const STARTS_THROTTLED = problemResponse(
  'DependencyUnavailable',
  REQUEST_ID_MARKER,
  'Too many submissions are running; nothing was stored. Retry the same request shortly.',
  { 'Retry-After': '1' },
);
const START_FAILED = problemResponse(
  'InternalError',
  REQUEST_ID_MARKER,
  'The submission could not be started. Retrying the same request is safe.',
);

/**
 * `StartSyncExecution` refused with 4xx: throttled (the account's start rate) is a 503 with
 * Retry-After; anything else (a bad request built by the template, missing permission) is ours: 500.
 * No execution ran, so nothing was stored either way.
 */
export const START_CLIENT_ERROR_TEMPLATE = [
  '## StartSyncExecution refused (4xx) -> HTTP answer (contract/api-gateway-templates.ts)',
  '#if($input.body.contains("ThrottlingException"))',
  staticAnswer(STARTS_THROTTLED),
  '#else',
  staticAnswer(START_FAILED),
  '#end',
].join('\n');

/** `StartSyncExecution` failed with 5xx: Step Functions is unavailable; safe to retry. */
export const START_SERVER_ERROR_TEMPLATE = [
  '## StartSyncExecution failed (5xx) -> HTTP answer (contract/api-gateway-templates.ts)',
  staticAnswer(
    problemResponse(
      'DependencyUnavailable',
      REQUEST_ID_MARKER,
      'The workflow service is unavailable; nothing was stored. Retry the same request later.',
    ),
  ),
].join('\n');

/**
 * The answers API Gateway gives by itself, before any workflow runs, keyed by its gateway
 * response type. Each is an RFC 9457 problem of the catalogue (contract/problems.ts). Gateway response headers
 * can only be static, so the request id travels in the body (and in API Gateway's own
 * `x-amzn-RequestId` header, which carries the same id).
 */
export interface GatewayAnswer {
  /** API Gateway response type, e.g. `UNAUTHORIZED`. */
  type: string;
  statusCode: number;
  /** Static headers, without the request id. */
  headers: Record<string, string>;
  contentType: string;
  /** The body template; `$context.requestId` is its only VTL. */
  template: string;
}

const gatewayAnswer = (
  type: string,
  problem: ProblemName,
  detail: string,
  headers: Record<string, string> = {},
): GatewayAnswer => {
  const { statusCode, headers: all, body } = problemResponse(problem, REQUEST_ID_MARKER, detail, headers);
  const { 'Content-Type': contentType = JSON_CONTENT_TYPE, [REQUEST_ID_HEADER]: _requestId, ...staticHeaders } = all;
  return { type, statusCode, headers: staticHeaders, contentType, template: withRequestId(body) };
};

const payloadTooLargeDetail = (maxBytes: number): string => `The body may be at most ${maxBytes} bytes`;

export const gatewayAnswers = (maxBodyBytes: number): GatewayAnswer[] => [
  gatewayAnswer('UNAUTHORIZED', 'Unauthorized', 'Send a valid access token: Authorization: Bearer <token>'),
  // Every method's only authorization is the Cognito authorizer's scopes: a denial is a token without the method's scope.
  gatewayAnswer('ACCESS_DENIED', 'MissingScope', 'The token lacks the scope this operation needs'),
  gatewayAnswer('MISSING_AUTHENTICATION_TOKEN', 'NotFound', 'No such resource or method'),
  // The only required request parameter is Content-Type: its absence is an unsupported media type.
  gatewayAnswer('BAD_REQUEST_PARAMETERS', 'UnsupportedMediaType', 'Send the payment as Content-Type: application/json'),
  gatewayAnswer('UNSUPPORTED_MEDIA_TYPE', 'UnsupportedMediaType', 'Send the payment as Content-Type: application/json'),
  gatewayAnswer('BAD_REQUEST_BODY', 'InvalidJson', 'The body must be one JSON object'),
  gatewayAnswer('REQUEST_TOO_LARGE', 'PayloadTooLarge', payloadTooLargeDetail(maxBodyBytes)),
  gatewayAnswer('THROTTLED', 'Throttled', 'Too many requests; retry later'),
  gatewayAnswer(
    'INTEGRATION_TIMEOUT',
    'DependencyUnavailable',
    'The payment was not confirmed in time. Retry the same request.',
  ),
  gatewayAnswer(
    'INTEGRATION_FAILURE',
    'DependencyUnavailable',
    'The workflow service did not answer. Retry the same request.',
  ),
  gatewayAnswer('DEFAULT_5XX', 'InternalError', 'The request failed. Retrying the same request is safe.'),
];

/**
 * The answers the web ACL gives when it blocks (WAF custom responses are static: no request id,
 * and WAF serves them as `application/json`).
 */
const wafAnswer = (problem: ProblemName, detail: string): { statusCode: number; body: string } => {
  const { statusCode, body } = problemResponse(problem, REQUEST_ID_MARKER, detail);
  const { requestId: _requestId, ...fields } = JSON.parse(body) as Record<string, unknown>;
  return { statusCode, body: JSON.stringify(fields) };
};

export const WAF_ANSWERS = {
  bodyTooLarge: (maxBodyBytes: number) => wafAnswer('PayloadTooLarge', payloadTooLargeDetail(maxBodyBytes)),
  rateLimited: () => wafAnswer('Throttled', 'Too many requests from this address; retry later'),
  callerRateLimited: () => wafAnswer('Throttled', 'Too many requests with this access token; retry after a minute'),
} as const;
