import { parseKindRequest } from '#domain/commitment-kind';
import { parseReversalRequest } from '#domain/payment-reversal';
import { parsedOrProblem } from '#adapters/request-body';

const problemOf = (answer: unknown) => {
  const { statusCode, body } = answer as { statusCode: number; body: string };
  return { statusCode, ...(JSON.parse(body) as { type: string; detail: string; errors?: unknown[] }) };
};

describe('parsedOrProblem', () => {
  test('a valid body is the parsed request', () => {
    expect(parsedOrProblem('r-1', 'InvalidKind', () => parseKindRequest('{"kind":"rent"}'))).toEqual({ kind: 'rent' });
  });

  test("the route's InvalidRequestError is its 400, naming each field", () => {
    const problem = problemOf(parsedOrProblem('r-1', 'InvalidKind', () => parseKindRequest('{"kind":"x","y":1}')));
    expect(problem.statusCode).toBe(400);
    expect(problem.type).toMatch(/invalid-kind$/u);
    expect(problem.detail).toBe('The kind is not valid: y, kind');
    expect(problem.errors).toEqual([
      { field: 'y', message: 'is not an allowed field' },
      { field: 'kind', message: expect.stringMatching(/^must be one of /u) },
    ]);
  });

  test('a body that is not JSON is InvalidJson', () => {
    const problem = problemOf(parsedOrProblem('r-1', 'InvalidKind', () => parseKindRequest('{')));
    expect(problem.statusCode).toBe(400);
    expect(problem.type).toMatch(/invalid-json$/u);
  });

  test("another route's request error, or any other error, is rethrown", () => {
    expect(() => parsedOrProblem('r-1', 'InvalidKind', () => parseReversalRequest('{}'))).toThrow(
      expect.objectContaining({ name: 'InvalidReversal' }),
    );
    expect(() =>
      parsedOrProblem('r-1', 'InvalidKind', () => {
        throw new RangeError('boom');
      }),
    ).toThrow(RangeError);
  });
});
