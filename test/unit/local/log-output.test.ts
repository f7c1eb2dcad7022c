import { formatLogEntry, logOutputFor } from '#local/log-output';

const at = new Date('2026-10-05T09:30:07.123Z');
const request = {
  source: 'gateway',
  requestId: 'ce7db319-e6d0-4292-bef4-e67bc493bb31',
  method: 'POST',
  path: '/payments',
  status: 201,
  latencyMs: 42,
};

describe('the local stack log: readable lines in a terminal, JSON elsewhere', () => {
  test('a terminal gets text and, at the default level, only the handlers’ warnings; anything else gets JSON', () => {
    expect(logOutputFor(true, undefined)).toEqual({ format: 'text', handlerLogLevel: 'WARN' });
    expect(logOutputFor(true, '')).toEqual({ format: 'text', handlerLogLevel: 'WARN' });
    expect(logOutputFor(false, undefined)).toEqual({ format: 'json', handlerLogLevel: 'INFO' });
    // A level asked for is honoured in both.
    expect(logOutputFor(true, 'DEBUG')).toEqual({ format: 'text', handlerLogLevel: 'DEBUG' });
    expect(logOutputFor(false, 'WARN')).toEqual({ format: 'json', handlerLogLevel: 'WARN' });
  });

  test('JSON: the entry as one line of JSON, unchanged', () => {
    expect(JSON.parse(formatLogEntry('json', request, at)!)).toEqual(request);
    const execution = { source: 'gateway', executionArn: 'arn:…', executionStatus: 'SUCCEEDED' };
    expect(formatLogEntry('json', execution, at)).toBe(JSON.stringify(execution));
  });

  test('text: one line per request (time, method, path, status, latency, request id); the execution’s own entry none', () => {
    expect(formatLogEntry('text', request, at)).toBe(
      '09:30:07 POST /payments 201  42 ms  ce7db319-e6d0-4292-bef4-e67bc493bb31',
    );
    expect(
      formatLogEntry(
        'text',
        { source: 'gateway', executionArn: 'arn:…', executionStatus: 'SUCCEEDED', clientId: 'c' },
        at,
      ),
    ).toBeUndefined();
    expect(
      formatLogEntry(
        'text',
        { source: 'sfn-api', requestId: 'r', operation: 'ListExecutions', status: 400, error: 'InvalidArn' },
        at,
      ),
    ).toBe('09:30:07 sfn-api ListExecutions 400  InvalidArn');
    expect(
      formatLogEntry('text', { source: 'gateway', requestId: 'r', message: 'Gateway error', error: 'boom' }, at),
    ).toBe('09:30:07 gateway Gateway error requestId=r error=boom');
  });

  test('text: control characters are shown escaped, never sent to the terminal', () => {
    const line = formatLogEntry(
      'text',
      { source: 'oidc', message: 'Provider error', error: 'a\u001b]0;owned\u0007b\r\n' },
      at,
    )!;
    expect(line).toBe('09:30:07 oidc Provider error error=a\\u001b]0;owned\\u0007b\\u000d\\u000a');
    expect(line).not.toMatch(/\p{Cc}/u);
  });
});
