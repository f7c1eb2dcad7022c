import type { Context } from 'aws-lambda';
import { PROBLEMS, problemType } from '#contract/problems';
import type { ReadRequestEvent } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { readHandler } from '#adapters/read-handler';
import type { Observability } from '#adapters/workflow-handler';

const quiet = {
  logger: { addContext: () => undefined, warn: () => undefined, error: () => undefined },
} as unknown as Observability;
const CONTEXT = {} as Context;

const eventWithScope = (scope: string): ReadRequestEvent => ({
  pathParameters: null,
  queryStringParameters: null,
  requestContext: { requestId: 'r-1', authorizer: { claims: { sub: 'u', scope, client_id: 'c' } } },
});

describe('readHandler', () => {
  const read = jest.fn(async () => ({ statusCode: 200, headers: {}, body: '{}' }));

  beforeEach(() => read.mockClear());

  test("a token without the route's scope is refused as missing-scope, as the workflow refuses it, before any read", async () => {
    const answer = await readHandler(quiet, read, SCOPES.reportsAdmin)(eventWithScope(SCOPES.read), CONTEXT);
    expect(answer.statusCode).toBe(PROBLEMS.MissingScope.status);
    expect(JSON.parse((answer as { body: string }).body)).toMatchObject({
      type: problemType('MissingScope'),
      detail: expect.stringContaining(SCOPES.reportsAdmin),
      requestId: 'r-1',
    });
    expect(read).not.toHaveBeenCalled();
  });

  test('the read scope by default; with it the read runs', async () => {
    expect((await readHandler(quiet, read)(eventWithScope(SCOPES.write), CONTEXT)).statusCode).toBe(403);
    expect((await readHandler(quiet, read)(eventWithScope(SCOPES.read), CONTEXT)).statusCode).toBe(200);
    expect(read).toHaveBeenCalledTimes(1);
  });

  test('a transient store failure is dependency-unavailable with Retry-After; anything else internal-error', async () => {
    const unavailable = readHandler(quiet, async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    });
    const broken = readHandler(quiet, async () => {
      throw new TypeError('boom');
    });
    const down = await unavailable(eventWithScope(SCOPES.read), CONTEXT);
    expect(down).toMatchObject({
      statusCode: 503,
      headers: { 'Retry-After': PROBLEMS.DependencyUnavailable.headers?.['Retry-After'] },
    });
    expect(JSON.parse(((await broken(eventWithScope(SCOPES.read), CONTEXT)) as { body: string }).body).type).toBe(
      problemType('InternalError'),
    );
  });
});
