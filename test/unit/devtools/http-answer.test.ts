import { answerMatches, httpAnswerOf, parseAnswerFilter } from '#devtools/http-answer';

const submissionInput = { requestId: 'r', receivedAt: '2026-11-01T00:00:00.000Z', body: '{}', caller: { sub: 'u' } };

describe('httpAnswerOf: what a submission answered', () => {
  test('a SUCCEEDED submission answered its output, refusals included; a JSON text output too', () => {
    expect(httpAnswerOf({ status: 'SUCCEEDED', input: submissionInput, output: { statusCode: 409 } })).toBe(409);
    expect(httpAnswerOf({ status: 'SUCCEEDED', input: submissionInput, output: '{"statusCode":201}' })).toBe(201);
  });

  test('a failed or timed-out submission answered what the gateway maps its end to', () => {
    expect(httpAnswerOf({ status: 'FAILED', input: submissionInput })).toBe(500);
    expect(httpAnswerOf({ status: 'TIMED_OUT', input: submissionInput })).toBe(503);
  });

  test('a running submission, a report run and a shard have none', () => {
    expect(httpAnswerOf({ status: 'RUNNING', input: submissionInput })).toBeUndefined();
    expect(httpAnswerOf({ status: 'SUCCEEDED', input: { month: '2026-10' }, output: { statusCode: 200 } })).toBe(
      undefined,
    );
    expect(httpAnswerOf({ status: 'FAILED', input: { month: '2026-13' } })).toBeUndefined();
  });
});

describe('answer filters', () => {
  test.each([
    ['4xx', 400, true],
    ['4XX', 409, true],
    [' 4xx ', 500, false],
    ['409', 409, true],
    ['409', 403, false],
    ['2xx', 201, true],
  ])('%s matches %d: %s', (text, status, expected) => {
    expect(answerMatches(parseAnswerFilter(text) ?? 'none', status)).toBe(expected);
  });

  test('no answer never matches; anything but a status or class is refused', () => {
    expect(answerMatches('4xx', undefined)).toBe(false);
    for (const bad of ['', '4', '4x', '40x', '600', '4xxx', 'abc', '0xx', '4009']) {
      expect(parseAnswerFilter(bad)).toBeUndefined();
    }
  });
});
