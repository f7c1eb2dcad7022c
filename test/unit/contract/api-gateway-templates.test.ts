import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  START_CLIENT_ERROR_TEMPLATE,
  START_SERVER_ERROR_TEMPLATE,
  SUBMISSION_RESPONSE_TEMPLATE,
  WAF_ANSWERS,
  WORKFLOW_RESPONSE_HEADERS,
  gatewayAnswers,
  submissionRequestTemplate,
} from '#contract/api-gateway-templates';
import { requestBodyText, toHttpResponse, toSubmissionInput } from '#contract/http-mapping';
import { PROBLEMS, PROBLEM_CONTENT_TYPE } from '#contract/problems';
import { InvalidJsonError } from '#domain/errors';
import { validatePaymentSubmission } from '#domain/validate-payment';
import { MAX_BODY_BYTES, type SubmissionOutput } from '#contract/workflow-io';
import { type AslDefinition, allStates } from '#local/step-functions/asl';
import { renderRequestTemplate, renderResponseTemplate } from '../../infra/support/api-gateway-vtl';
import { REPOSITORY_ROOT } from '#contract/repository-root';

/**
 * The deployed API's mapping templates against the local gateway's mapping functions: for the
 * same request and the same execution result, both must give the same workflow input and the
 * same HTTP answer. The templates run in a VTL emulator (test/infra/support/api-gateway-vtl.ts).
 */
const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-2:123456789012:stateMachine:SubmitPayment';
const REQUEST_ID = '7c4b1d9e-1f7a-4a43-9a51-3f0d2b6f8e21';
const USER = 'b0a6e0f2-3c1d-4e5f-8a9b-0c1d2e3f4a5b';
const CLAIMS = { sub: USER, client_id: 'user-app-client', scope: 'payments/read payments/write' };
const CALLER = { sub: CLAIMS.sub, clientId: CLAIMS.client_id, scope: CLAIMS.scope };

describe('request template: the same workflow input as toSubmissionInput', () => {
  const template = submissionRequestTemplate(STATE_MACHINE_ARN);

  const startRequest = (body: string, epochMs: number, claims = CLAIMS) =>
    JSON.parse(renderRequestTemplate(template, { requestId: REQUEST_ID, requestTimeEpoch: epochMs, body, claims })) as {
      stateMachineArn: string;
      name: string;
      input: string;
    };

  test.each([
    ['a plain payment', '{"id":"p","userId":"u","description":"Netflix","currency":"GBP","amount":"9.99"}'],
    ['exact numbers and whitespace kept byte for byte', '{ "amount": 9.990000000000000000001,\n  "n": 1e400 }'],
    ['quotes, backslashes and single quotes', `{"description":"O'Brien's \\"gym\\" C:\\\\path"}`],
    ['non-ASCII, astral characters and slashes', '{"description":"Café 😀 </script> €"}'],
    ['control characters', '{"description":"a\tb\u0001c\u007f"}\r\n'],
    ['VTL syntax is data, not template', '{"description":"$context.requestId #set($x = 1) ${util}"}'],
    ['not JSON at all', "it's not json"],
    ['an empty body', ''],
  ])('%s', (_name, body) => {
    const epochMs = Date.UTC(2026, 9, 5, 9, 30, 0, 42);
    const request = startRequest(body, epochMs);
    expect(request.stateMachineArn).toBe(STATE_MACHINE_ARN);
    expect(request.name).toBe(REQUEST_ID);
    expect(JSON.parse(request.input)).toEqual(
      toSubmissionInput({ requestId: REQUEST_ID, receivedAtEpochMs: epochMs, body, caller: CALLER }),
    );
  });

  test('a leading UTF-8 byte order mark: both paths hand it to ValidatePayment, which refuses it as InvalidJson', () => {
    const payment =
      '{"id":"3f0c9a52-8d4e-4b7a-9c1f-2e5d6a7b8c9d","userId":"b0a6e0f2-3c1d-4e5f-8a9b-0c1d2e3f4a5b","timestamp":"2026-10-05T09:30:00Z","description":"Netflix","currency":"GBP","amount":"9.99"}';
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(payment)]);
    const epochMs = Date.UTC(2026, 9, 5, 9, 31, 0, 0);
    // API Gateway gives the template the body as text, the BOM included; the local gateway decodes the same bytes.
    const deployed = JSON.parse(startRequest(bytes.toString('utf8'), epochMs).input) as { body: string };
    const local = toSubmissionInput({
      requestId: REQUEST_ID,
      receivedAtEpochMs: epochMs,
      body: requestBodyText(bytes),
      caller: CALLER,
    });
    expect(deployed).toEqual(local);
    expect(local.body.charCodeAt(0)).toBe(0xfeff);
    for (const body of [deployed.body, local.body]) {
      expect(() => validatePaymentSubmission(body, new Date(epochMs))).toThrow(InvalidJsonError);
      expect(() => validatePaymentSubmission(body, new Date(epochMs))).toThrow(/byte order mark/);
    }
    // The same payment without the mark is accepted, so the refusal is the mark's alone.
    expect(validatePaymentSubmission(requestBodyText(Buffer.from(payment)), new Date(epochMs))).toMatchObject({
      amount: '9.99',
    });
  });

  test.each([
    Date.UTC(2026, 0, 1, 0, 0, 0, 0),
    Date.UTC(2028, 1, 29, 23, 59, 59, 999),
    Date.UTC(2026, 11, 31, 12, 5, 9, 100),
    Date.UTC(2027, 5, 15, 7, 8, 9, 5),
  ])('receivedAt is the UTC RFC 3339 time with milliseconds of epoch %p', (epochMs) => {
    expect(JSON.parse(startRequest('{}', epochMs).input).receivedAt).toBe(new Date(epochMs).toISOString());
  });

  test('a client-credentials caller (sub is the client id) travels as the token says', () => {
    const claims = {
      sub: 'integration-client',
      client_id: 'integration-client',
      scope: 'payments/write payments/submit-on-behalf',
    };
    expect(JSON.parse(startRequest('{}', 0, claims).input).caller).toEqual({
      sub: 'integration-client',
      clientId: 'integration-client',
      scope: 'payments/write payments/submit-on-behalf',
    });
  });
});

const stored = {
  id: '3f0c9a52-8d4e-4b7a-9c1f-2e5d6a7b8c9d',
  userId: USER,
  timestamp: '2026-10-05T09:30:00.000Z',
  description: 'Netflix "premium" – £ plan',
  currency: 'GBP',
  amount: '9.99',
  receivedAt: '2026-10-05T09:31:02.117Z',
};
const problem = (status: number, slug: string, extra: Record<string, unknown> = {}) => ({
  type: `https://payments-tracker.example/problems/${slug}`,
  title: 'A title',
  detail: 'A detail with "quotes", a \\ backslash and the text "body": {}',
  ...extra,
  status,
  requestId: REQUEST_ID,
});

/** Outputs shaped as the terminal states of statemachines/submit-payment.asl.json build them. */
const WORKFLOW_OUTPUTS: Array<[string, SubmissionOutput]> = [
  [
    '201 created',
    {
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', Location: `/payments/${stored.id}` },
      body: stored,
    },
  ],
  [
    '200 replayed',
    {
      statusCode: 200,
      headers: {
        'Content-Type': 'application/json',
        Location: `/payments/${stored.id}`,
        'Idempotent-Replayed': 'true',
      },
      body: stored,
    },
  ],
  [
    '400 with field errors',
    {
      statusCode: 400,
      headers: { 'Content-Type': PROBLEM_CONTENT_TYPE },
      body: problem(400, 'invalid-payment', { errors: [{ field: 'amount', message: 'at most 2 fraction digits' }] }),
    },
  ],
  [
    '403 not the owner',
    { statusCode: 403, headers: { 'Content-Type': PROBLEM_CONTENT_TYPE }, body: problem(403, 'not-payment-owner') },
  ],
  [
    '409 conflict',
    { statusCode: 409, headers: { 'Content-Type': PROBLEM_CONTENT_TYPE }, body: problem(409, 'payment-conflict') },
  ],
  [
    '503 dependency down',
    {
      statusCode: 503,
      headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Retry-After': '2' },
      body: problem(503, 'dependency-unavailable'),
    },
  ],
  [
    '500 internal error',
    { statusCode: 500, headers: { 'Content-Type': PROBLEM_CONTENT_TYPE }, body: problem(500, 'internal-error') },
  ],
];

const answerOf = (template: string, integrationBody: unknown) => {
  const rendered = renderResponseTemplate(
    template,
    { requestId: REQUEST_ID, requestTimeEpoch: 0 },
    JSON.stringify(integrationBody),
  );
  return { statusCode: rendered.statusCode, headers: rendered.headers, body: rendered.body };
};

describe('response template: the same HTTP answer as toHttpResponse', () => {
  test.each(WORKFLOW_OUTPUTS)('a succeeded execution: %s', (_name, output) => {
    const execution = { status: 'SUCCEEDED', output: JSON.stringify(output) };
    const answer = answerOf(SUBMISSION_RESPONSE_TEMPLATE, { executionArn: 'arn:x', ...execution });
    expect(answer).toEqual(toHttpResponse(execution, REQUEST_ID));
  });

  test.each([
    ['body first', (o: SubmissionOutput) => ({ body: o.body, statusCode: o.statusCode, headers: o.headers })],
    ['body in the middle', (o: SubmissionOutput) => ({ statusCode: o.statusCode, body: o.body, headers: o.headers })],
    ['body last', (o: SubmissionOutput) => ({ headers: o.headers, statusCode: o.statusCode, body: o.body })],
  ])('the body is found whatever the key order of the output (%s)', (_name, reorder) => {
    for (const [, output] of WORKFLOW_OUTPUTS) {
      const execution = { status: 'SUCCEEDED', output: JSON.stringify(reorder(output)) };
      expect(answerOf(SUBMISSION_RESPONSE_TEMPLATE, execution)).toEqual(toHttpResponse(execution, REQUEST_ID));
    }
  });

  test('without a Content-Type from the workflow, the answer is application/json', () => {
    const execution = {
      status: 'SUCCEEDED',
      output: JSON.stringify({ statusCode: 201, headers: {}, body: { id: 'p' } }),
    };
    const answer = answerOf(SUBMISSION_RESPONSE_TEMPLATE, execution);
    expect(answer).toEqual(toHttpResponse(execution, REQUEST_ID));
    expect(answer.headers['Content-Type']).toBe('application/json');
  });

  test.each(['FAILED', 'TIMED_OUT', 'ABORTED'])('an execution that ended %s', (status) => {
    const execution = { status, error: 'States.Runtime', cause: 'An error occurred' };
    expect(answerOf(SUBMISSION_RESPONSE_TEMPLATE, execution)).toEqual(toHttpResponse(execution, REQUEST_ID));
  });

  test('a timed-out execution is a 503 with Retry-After; a failed one a 500', () => {
    expect(answerOf(SUBMISSION_RESPONSE_TEMPLATE, { status: 'TIMED_OUT' })).toMatchObject({
      statusCode: 503,
      headers: { 'Retry-After': '2' },
    });
    expect(answerOf(SUBMISSION_RESPONSE_TEMPLATE, { status: 'FAILED' }).statusCode).toBe(500);
  });
});

describe('StartSyncExecution refused: no execution ran, nothing was stored', () => {
  test('throttled (4xx ThrottlingException) is a 503 problem with Retry-After', () => {
    const answer = answerOf(START_CLIENT_ERROR_TEMPLATE, {
      __type: 'com.amazonaws.swf.service.v2.model#ThrottlingException',
      message: 'Rate exceeded',
    });
    expect(answer.statusCode).toBe(503);
    expect(answer.headers).toEqual({
      'Content-Type': PROBLEM_CONTENT_TYPE,
      'X-Request-Id': REQUEST_ID,
      'Retry-After': '1',
    });
    expect(JSON.parse(answer.body)).toMatchObject({ status: 503, requestId: REQUEST_ID });
  });

  test('any other 4xx is our fault: a 500 problem', () => {
    const answer = answerOf(START_CLIENT_ERROR_TEMPLATE, { __type: 'InvalidExecutionInput', message: 'bad input' });
    expect(answer.statusCode).toBe(500);
    expect(JSON.parse(answer.body)).toMatchObject({
      status: 500,
      requestId: REQUEST_ID,
      type: expect.stringContaining('internal-error'),
    });
  });

  test('a 5xx is a 503 problem with Retry-After', () => {
    const answer = answerOf(START_SERVER_ERROR_TEMPLATE, { message: 'Internal Failure' });
    expect(answer).toMatchObject({ statusCode: 503, headers: { 'Retry-After': '2', 'X-Request-Id': REQUEST_ID } });
    expect(JSON.parse(answer.body)).toMatchObject({ status: 503, requestId: REQUEST_ID });
  });
});

describe('the templates and the workflow agree', () => {
  const asl = JSON.parse(
    readFileSync(path.join(REPOSITORY_ROOT, 'statemachines/submit-payment.asl.json'), 'utf8'),
  ) as AslDefinition;
  const terminal = allStates(asl).filter(([, state]) => state.End === true);

  test('every terminal state answers with exactly statusCode, headers and body', () => {
    expect(terminal.length).toBeGreaterThan(0);
    for (const [, state] of terminal) {
      const keys = Object.keys(state.Parameters as object).map((key) => key.replace(/\.\$$/, ''));
      expect(keys.sort()).toEqual(['body', 'headers', 'statusCode']);
    }
  });

  test('every header a state sets for the answer is one the response template copies', () => {
    // Terminal states set headers themselves, or take them (`headers.$`) from the state that
    // chose the problem: every literal `headers` object is a candidate answer's headers.
    const literalHeaders = allStates(asl).flatMap(([, state]) => {
      const headers = (state.Parameters as { headers?: Record<string, unknown> } | undefined)?.headers;
      return headers ? Object.keys(headers).map((key) => key.replace(/\.\$$/, '')) : [];
    });
    expect(literalHeaders).toEqual(
      expect.arrayContaining(['Content-Type', 'Location', 'Idempotent-Replayed', 'Retry-After']),
    );
    for (const header of literalHeaders) expect(WORKFLOW_RESPONSE_HEADERS).toContain(header);
  });
});

describe('gateway responses: problems API Gateway answers by itself', () => {
  const answers = gatewayAnswers(MAX_BODY_BYTES);

  test('each is an RFC 9457 problem whose status is the HTTP status, with the request id', () => {
    for (const answer of answers) {
      const body = JSON.parse(answer.template.replaceAll('$context.requestId', REQUEST_ID)) as Record<string, unknown>;
      expect(body).toMatchObject({
        status: answer.statusCode,
        requestId: REQUEST_ID,
        type: expect.any(String),
        title: expect.any(String),
      });
      expect(answer.contentType).toBe(PROBLEM_CONTENT_TYPE);
      expect(answer.template.replaceAll('$context.requestId', '')).not.toMatch(/[$#]/);
    }
  });

  test('the contract statuses: 401 with WWW-Authenticate, 415 for a missing or other content type, 429 with Retry-After', () => {
    const byType = Object.fromEntries(answers.map((answer) => [answer.type, answer]));
    expect(byType.UNAUTHORIZED).toMatchObject({ statusCode: 401, headers: { 'WWW-Authenticate': 'Bearer' } });
    expect(byType.BAD_REQUEST_PARAMETERS?.statusCode).toBe(415);
    expect(byType.UNSUPPORTED_MEDIA_TYPE?.statusCode).toBe(415);
    expect(byType.REQUEST_TOO_LARGE?.statusCode).toBe(413);
    expect(byType.THROTTLED).toMatchObject({ statusCode: 429, headers: { 'Retry-After': '1' } });
    expect(new Set(answers.map((answer) => answer.type)).size).toBe(answers.length);
  });

  test('WAF block bodies are problems too (413 and 429), without a request id', () => {
    const tooLarge = WAF_ANSWERS.bodyTooLarge(MAX_BODY_BYTES);
    expect(tooLarge.statusCode).toBe(413);
    expect(JSON.parse(tooLarge.body)).toMatchObject({ status: 413, title: PROBLEMS.PayloadTooLarge.title });
    expect(JSON.parse(WAF_ANSWERS.rateLimited().body)).toMatchObject({ status: 429 });
  });
});
