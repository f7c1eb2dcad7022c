import { problemResponse, toHttpResponse, toSubmissionInput } from '#contract/http-mapping';

describe('request -> workflow input', () => {
  test('keeps the raw body byte for byte and takes the caller from the verified token', () => {
    const body = '{"amount": 9.990000000000000000001}';
    expect(
      toSubmissionInput({
        requestId: 'r-1',
        receivedAtEpochMs: Date.UTC(2026, 9, 5, 9, 30),
        body,
        caller: { sub: 'u', clientId: 'c', scope: 'payments/write' },
      }),
    ).toEqual({
      requestId: 'r-1',
      receivedAt: '2026-10-05T09:30:00.000Z',
      body,
      caller: { sub: 'u', clientId: 'c', scope: 'payments/write' },
    });
  });
});

describe('workflow output -> HTTP response', () => {
  test('a succeeded execution answers with the status, headers and body its final state built', () => {
    const response = toHttpResponse(
      {
        status: 'SUCCEEDED',
        output: JSON.stringify({ statusCode: 201, headers: { Location: '/payments/p' }, body: { id: 'p' } }),
      },
      'r-1',
    );
    expect(response).toEqual({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', Location: '/payments/p', 'X-Request-Id': 'r-1' },
      body: '{"id":"p"}',
    });
  });

  test('the problem content type set by the workflow wins over the default', () => {
    const response = toHttpResponse(
      {
        status: 'SUCCEEDED',
        output: { statusCode: 409, headers: { 'Content-Type': 'application/problem+json' }, body: {} },
      },
      'r-1',
    );
    expect(response.headers['Content-Type']).toBe('application/problem+json');
  });

  test('a timed-out execution is a 503 with Retry-After; a failed one a 500; both problem+json', () => {
    const timedOut = toHttpResponse({ status: 'TIMED_OUT' }, 'r-1');
    expect(timedOut.statusCode).toBe(503);
    expect(timedOut.headers['Retry-After']).toMatch(/^\d+$/);
    const failed = toHttpResponse({ status: 'FAILED' }, 'r-2');
    expect(failed.statusCode).toBe(500);
    expect(JSON.parse(failed.body)).toMatchObject({ status: 500, requestId: 'r-2' });
    expect(failed.headers['Content-Type']).toBe('application/problem+json');
  });

  test('gateway problems are RFC 9457 documents with the request id', () => {
    const response = problemResponse('PayloadTooLarge', 'r-3', 'too big');
    expect(JSON.parse(response.body)).toEqual({
      type: 'https://payments-tracker.example/problems/payload-too-large',
      title: expect.any(String),
      status: 413,
      detail: 'too big',
      requestId: 'r-3',
    });
  });
});
