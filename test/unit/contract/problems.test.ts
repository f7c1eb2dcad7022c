import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gatewayAnswers, WAF_ANSWERS } from '#contract/api-gateway-templates';
import { problemResponse, toHttpResponse } from '#contract/http-mapping';
import {
  PROBLEMS,
  PROBLEM_CONTENT_TYPE,
  PROBLEM_NAMES,
  PROBLEM_TYPE_BASE,
  type ProblemName,
  problemType,
  toProblem,
} from '#contract/problems';
import { invalidParameterAnswer, notFoundAnswer } from '#contract/read-api';
import { MAX_BODY_BYTES } from '#contract/workflow-io';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import {
  DependencyUnavailableError,
  InvalidJsonError,
  InvalidPaymentError,
  MissingScopeError,
  NotPaymentOwnerError,
  PaymentConflictError,
  SubmissionInProgressError,
  WORKFLOW_ERROR_NAMES,
} from '#domain/errors';
import { type AslDefinition, type AslState, allStates } from '#local/step-functions/asl';

const isProblemName = (name: string): name is ProblemName => (PROBLEM_NAMES as readonly string[]).includes(name);

/** The catalogue entry whose type URL this is. */
const problemOfType = (type: unknown): ProblemName | undefined =>
  PROBLEM_NAMES.find((name) => problemType(name) === type);

/** The headers an answer of this problem carries, as a workflow state or the gateway writes them (no request id). */
const expectedHeaders = (name: ProblemName): Record<string, string> => ({
  'Content-Type': PROBLEM_CONTENT_TYPE,
  ...PROBLEMS[name].headers,
});

describe('the problem catalogue', () => {
  test('names each problem once: one type per name, every status an error status', () => {
    const slugs = PROBLEM_NAMES.map((name) => PROBLEMS[name].slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const name of PROBLEM_NAMES) {
      const { status, slug, title } = PROBLEMS[name];
      expect({ name, status, slug, title }).toEqual({
        name,
        status: expect.any(Number),
        slug: expect.stringMatching(/^[a-z]+(-[a-z]+)*$/),
        title: expect.stringMatching(/\S/),
      });
      expect(status >= 400 && status <= 599).toBe(true);
      expect(new URL(problemType(name)).href).toBe(`${PROBLEM_TYPE_BASE}${slug}`);
    }
  });

  test('has an entry for every error name the workflow routes on', () => {
    for (const name of WORKFLOW_ERROR_NAMES) expect(isProblemName(name)).toBe(true);
  });

  test('Retry-After where a retry is the answer: 429, 503 and a submission still in progress', () => {
    const withRetryAfter = PROBLEM_NAMES.filter((name) => PROBLEMS[name].headers?.['Retry-After'] !== undefined);
    expect(withRetryAfter.sort()).toEqual(['DependencyUnavailable', 'SubmissionInProgress', 'Throttled']);
    for (const name of withRetryAfter) expect(PROBLEMS[name].headers?.['Retry-After']).toMatch(/^[1-9][0-9]*$/);
  });
});

describe('toProblem: a typed workflow error as the fields of its Lambda error message', () => {
  test.each([
    [new InvalidJsonError('not JSON at position 3'), 'InvalidJson'],
    [new MissingScopeError('needs payments/write'), 'MissingScope'],
    [new NotPaymentOwnerError('another user'), 'NotPaymentOwner'],
    [new PaymentConflictError('taken'), 'PaymentConflict'],
    [new SubmissionInProgressError('in flight'), 'SubmissionInProgress'],
    [new DependencyUnavailableError('down'), 'DependencyUnavailable'],
  ] as const)('%p is the catalogue entry of its name, its message the detail', (error, name) => {
    expect(toProblem(error)).toEqual({ type: problemType(name), title: PROBLEMS[name].title, detail: error.message });
  });

  test('an invalid payment lists its field errors', () => {
    const error = new InvalidPaymentError([{ field: 'amount', message: 'must be positive' }]);
    expect(toProblem(error)).toEqual({
      type: problemType('InvalidPayment'),
      title: PROBLEMS.InvalidPayment.title,
      detail: 'Invalid field(s): amount',
      errors: [{ field: 'amount', message: 'must be positive' }],
    });
  });
});

describe('answers built from the catalogue', () => {
  test('a problem answer has its status, type, title and headers; an answer may set a header to another value', () => {
    const answer = problemResponse('Throttled', 'r-1', 'slow down', { 'Retry-After': '7' });
    expect(answer.statusCode).toBe(429);
    expect(answer.headers).toEqual({ 'Content-Type': PROBLEM_CONTENT_TYPE, 'X-Request-Id': 'r-1', 'Retry-After': '7' });
    expect(JSON.parse(answer.body)).toEqual({
      type: problemType('Throttled'),
      title: PROBLEMS.Throttled.title,
      status: 429,
      detail: 'slow down',
      requestId: 'r-1',
    });
    expect(problemResponse('Unauthorized', 'r-2', 'no token').headers['WWW-Authenticate']).toBe('Bearer');
    expect(problemResponse('DependencyUnavailable', 'r-3', 'down').headers['Retry-After']).toBe('2');
  });

  test("the read endpoints' answers: a parameter names its field, a missing resource is not-found", () => {
    expect(JSON.parse(invalidParameterAnswer('r-1', 'month', 'Give YYYY-MM').body)).toEqual({
      type: problemType('InvalidParameter'),
      title: PROBLEMS.InvalidParameter.title,
      status: 400,
      detail: 'Give YYYY-MM',
      errors: [{ field: 'month', message: 'Give YYYY-MM' }],
      requestId: 'r-1',
    });
    expect(notFoundAnswer('r-2', 'payment').statusCode).toBe(PROBLEMS.NotFound.status);
  });

  test('every gateway response, WAF block and failed execution is a catalogue problem, status and headers included', () => {
    for (const answer of gatewayAnswers(MAX_BODY_BYTES)) {
      const body = JSON.parse(answer.template.replaceAll('$context.requestId', 'r')) as Record<string, unknown>;
      const name = problemOfType(body.type);
      expect({ type: answer.type, name }).toEqual({ type: answer.type, name: expect.any(String) });
      const { status, title } = PROBLEMS[name!];
      expect({ statusCode: answer.statusCode, status: body.status, title: body.title }).toEqual({
        statusCode: status,
        status,
        title,
      });
      expect({ 'Content-Type': answer.contentType, ...answer.headers }).toEqual(
        expect.objectContaining(expectedHeaders(name!)),
      );
    }
    for (const waf of [
      WAF_ANSWERS.bodyTooLarge(MAX_BODY_BYTES),
      WAF_ANSWERS.rateLimited(),
      WAF_ANSWERS.callerRateLimited(),
    ]) {
      const body = JSON.parse(waf.body) as Record<string, unknown>;
      expect(PROBLEMS[problemOfType(body.type)!]).toMatchObject({ status: waf.statusCode, title: body.title });
    }
    for (const status of ['FAILED', 'TIMED_OUT']) {
      const answer = toHttpResponse({ status }, 'r');
      const name = problemOfType(JSON.parse(answer.body).type)!;
      expect(answer.statusCode).toBe(PROBLEMS[name].status);
      expect(answer.headers).toEqual({ ...expectedHeaders(name), 'X-Request-Id': 'r' });
    }
  });

  test("a token without the route's scope is missing-scope wherever it is refused (the gateway's ACCESS_DENIED too)", () => {
    const accessDenied = gatewayAnswers(MAX_BODY_BYTES).find((answer) => answer.type === 'ACCESS_DENIED')!;
    expect(JSON.parse(accessDenied.template.replaceAll('$context.requestId', 'r')).type).toBe(
      problemType('MissingScope'),
    );
  });
});

/**
 * The ASL cannot import the catalogue, so each state that writes a status or a problem is held to
 * it here: a problem state (`meta.status`, its body from the Lambda error message) must carry the
 * status and headers of every error name routed to it; a state with a literal problem body must be
 * a catalogue problem, status, title and headers included.
 */
describe.each(readdirSync(path.join(REPOSITORY_ROOT, 'statemachines')).filter((file) => file.endsWith('.asl.json')))(
  'statemachines/%s writes only catalogue problems',
  (file) => {
    const asl = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'statemachines', file), 'utf8')) as AslDefinition;
    const states = allStates(asl);

    interface Written {
      meta?: { status?: unknown };
      statusCode?: unknown;
      'statusCode.$'?: string;
      headers?: Record<string, unknown>;
      'headers.$'?: string;
      body?: Record<string, unknown>;
    }
    const written = (state: AslState): Written => (state.Parameters ?? {}) as Written;
    const writesStatus = (state: AslState): boolean => {
      const parameters = written(state);
      return (
        state.Type === 'Pass' &&
        (parameters.meta?.status !== undefined || 'statusCode' in parameters || 'statusCode.$' in parameters)
      );
    };
    /** Error names each state is the Catch target of. */
    const caughtBy = new Map<string, string[]>();
    for (const [, state] of states) {
      for (const rule of (state.Catch as Array<{ ErrorEquals: string[]; Next: string }> | undefined) ?? []) {
        caughtBy.set(rule.Next, [...(caughtBy.get(rule.Next) ?? []), ...rule.ErrorEquals]);
      }
    }
    const statusStates = states.filter(([, state]) => writesStatus(state));

    test('a problem state has the status and headers of each error name routed to it', () => {
      const problemStates = statusStates.filter(([, state]) => written(state).meta?.status !== undefined);
      // The submission workflows write problems from their typed errors; the report run answers no one.
      if (!file.startsWith('submit-payment')) return expect(problemStates).toEqual([]);
      expect(problemStates.length).toBeGreaterThan(0);
      for (const [name, state] of problemStates) {
        const { meta, headers } = written(state);
        const caught = caughtBy.get(name) ?? [];
        expect({ name, caught: caught.length > 0 }).toEqual({ name, caught: true });
        for (const error of caught) {
          expect({ state: name, error, known: isProblemName(error) }).toEqual({ state: name, error, known: true });
          const problem = error as ProblemName;
          expect({ state: name, error, status: meta?.status, headers }).toEqual({
            state: name,
            error,
            status: PROBLEMS[problem].status,
            headers: expectedHeaders(problem),
          });
        }
      }
    });

    test('a state with a literal problem body is a catalogue problem, as are the error names routed to it', () => {
      const isProblemStatus = (status: unknown): boolean => typeof status === 'number' && status >= 400;
      const literal = statusStates.filter(([, state]) => isProblemStatus(written(state).statusCode));
      for (const [name, state] of literal) {
        const { statusCode, headers, body } = written(state);
        const problem = problemOfType(body?.type);
        expect({ state: name, problem }).toEqual({ state: name, problem: expect.any(String) });
        const { status, title } = PROBLEMS[problem!];
        expect({ state: name, statusCode, status: body?.status, title: body?.title, headers }).toEqual({
          state: name,
          statusCode: status,
          status,
          title,
          headers: expectedHeaders(problem!),
        });
        expect(body).toHaveProperty(['requestId.$']);
        for (const error of (caughtBy.get(name) ?? []).filter(isProblemName)) {
          expect({ state: name, error }).toEqual({ state: name, error: problem });
        }
      }
    });

    test('every other status it writes is a success, or the status a problem state chose', () => {
      for (const [name, state] of statusStates) {
        const parameters = written(state);
        if (
          parameters.meta?.status !== undefined ||
          (typeof parameters.statusCode === 'number' && parameters.statusCode >= 400)
        )
          continue;
        if (typeof parameters.statusCode === 'number') {
          expect({
            state: name,
            statusCode: parameters.statusCode,
            contentType: parameters.headers?.['Content-Type'],
          }).toEqual({
            state: name,
            statusCode: expect.any(Number),
            contentType: 'application/json',
          });
          expect(parameters.statusCode < 300).toBe(true);
        } else {
          // RespondWithProblem: the status and headers of the problem state that led here.
          expect({ state: name, status: parameters['statusCode.$'], headers: parameters['headers.$'] }).toEqual({
            state: name,
            status: '$.meta.status',
            headers: '$.headers',
          });
        }
      }
    });
  },
);
