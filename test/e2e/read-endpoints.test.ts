import { randomUUID } from 'node:crypto';
import { PROBLEM_CONTENT_TYPE, problemType } from '#contract/problems';
import { SCOPES } from '#contract/scopes';
import { buildMonthlyReport } from '#domain/report';
import { DynamoDbReportRepository } from '#adapters/report-repository';
import { testDocumentClient } from '../support/dynamodb';
import { postPayment, submit } from '../support/http';
import { type RunningLocalStack, startLocalStack } from '#harness/local-stack-process';
import { paymentSubmission } from '../support/submissions';
import { storedPayment } from '../support/reports';
import { expectPublishedAnswer } from '../support/openapi-answers';

/** GET /payments/{id} and GET /reports/{month} over HTTP against a started local stack. */
let stack: RunningLocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack?.stop();
});

const get = async (
  path: string,
  token?: string,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> => {
  const response = await fetch(`${stack.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
};

describe('GET /payments/{id}', () => {
  test("200 with the caller's own payment as stored; another user's token gets 404, as for an unknown id", async () => {
    const userId = randomUUID();
    const body = paymentSubmission({ userId, amount: '12.5' });
    expect((await submit(stack.url, await stack.token({ sub: userId }), body)).status).toBe(201);

    const own = await get(`/payments/${body.id}`, await stack.token({ sub: userId }));
    const others = await get(`/payments/${body.id}`, await stack.token({ sub: randomUUID() }));
    const unknown = await get(`/payments/${randomUUID()}`, await stack.token({ sub: userId }));

    expect(own.status).toBe(200);
    expectPublishedAnswer('GET /payments/{id}', 200, own.body);
    expect(own.body).toMatchObject({
      id: body.id,
      userId,
      amount: '12.50',
      currency: 'GBP',
      receivedAt: expect.any(String),
    });
    expect(own.body).not.toHaveProperty('amountMinor');
    for (const answer of [others, unknown]) {
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
      expect(answer.body.requestId).toBe(answer.headers.get('x-request-id'));
    }
  });

  test('401 without a token; 403 for a token without the read scope', async () => {
    expect((await get(`/payments/${randomUUID()}`)).status).toBe(401);
    const writeOnly = await get(
      `/payments/${randomUUID()}`,
      await stack.token({ sub: randomUUID(), scope: SCOPES.write }),
    );
    expect(writeOnly.status).toBe(403);
    // The same answer as the workflow's for a token without the route's scope.
    expect(writeOnly.body.type).toBe(problemType('MissingScope'));
  });

  test('404 before any read for an id that cannot exist (3,000 characters, not a UUID v4), never a 500', async () => {
    const token = await stack.token({ sub: randomUUID() });
    for (const id of ['a'.repeat(3000), 'not-a-uuid', `${randomUUID()}0`, '00000000-0000-1000-8000-000000000000']) {
      const answer = await get(`/payments/${id}`, token);
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
      expect(JSON.stringify(answer.body)).not.toContain(id);
    }
    expect(stack.output()).not.toMatch(/"level":\s*"ERROR"/);
  });

  test('404, not a gateway failure, for a path with a malformed escape', async () => {
    const answer = await get('/payments/%E0%A4%A', await stack.token({ sub: randomUUID() }));
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
  });
});

describe('GET /payments?month=', () => {
  test("the caller's own payments of the month in time order, paged with an opaque cursor; nobody else's", async () => {
    const userId = randomUUID();
    const token = await stack.token({ sub: userId });
    const times = ['2026-09-20T10:00:00Z', '2026-09-03T10:00:00Z', '2026-09-11T10:00:00Z'];
    const bodies = times.map((timestamp) => paymentSubmission({ userId, timestamp }));
    for (const body of [...bodies, paymentSubmission({ userId, timestamp: '2026-10-01T10:00:00Z' })]) {
      expect((await submit(stack.url, token, body)).status).toBe(201);
    }
    // Another user's payment in the same month stays out of the list.
    const stranger = randomUUID();
    await postPayment(stack.url, {
      token: await stack.token({ sub: stranger }),
      body: paymentSubmission({ userId: stranger, timestamp: '2026-09-05T10:00:00Z' }),
    });

    const first = await get('/payments?month=2026-09&limit=2', token);
    const second = await get(
      `/payments?month=2026-09&limit=2&cursor=${encodeURIComponent(first.body.nextCursor as string)}`,
      token,
    );

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    for (const page of [first, second]) expectPublishedAnswer('GET /payments', 200, page.body);
    const listed = [
      ...(first.body.payments as Array<{ timestamp: string; userId: string }>),
      ...(second.body.payments as Array<{ timestamp: string; userId: string }>),
    ];
    expect(listed.map((payment) => payment.timestamp)).toEqual([
      '2026-09-03T10:00:00.000Z',
      '2026-09-11T10:00:00.000Z',
      '2026-09-20T10:00:00.000Z',
    ]);
    expect(listed.every((payment) => payment.userId === userId)).toBe(true);
    expect(second.body).not.toHaveProperty('nextCursor');
    expect((await get('/payments?month=2026-09', await stack.token({ sub: randomUUID() }))).body.payments).toEqual([]);
  });

  test('400 for a missing month, a bad limit or a cursor this API did not hand out; 403 without the read scope', async () => {
    const token = await stack.token({ sub: randomUUID() });
    for (const query of [
      '',
      '?month=2026-13',
      '?month=2026-09&limit=0',
      `?month=2026-09&cursor=${Buffer.from('USER#x').toString('base64url')}`,
    ]) {
      const answer = await get(`/payments${query}`, token);
      expect({ query, status: answer.status }).toEqual({ query, status: 400 });
      expect(answer.body.errors).toEqual([expect.objectContaining({ field: expect.any(String) })]);
    }
    expect(
      (await get('/payments?month=2026-09', await stack.token({ sub: randomUUID(), scope: SCOPES.write }))).status,
    ).toBe(403);
  });
});

describe('GET /reports/{month}', () => {
  test("200 with the caller's own report; 404 for another user and for a month with no report", async () => {
    const userId = randomUUID();
    const month = '2026-10';
    const report = buildMonthlyReport(
      userId,
      month,
      [storedPayment({ userId, timestamp: `${month}-05T09:30:00.000Z` })],
      undefined,
      new Date().toISOString(),
    );
    await new DynamoDbReportRepository(testDocumentClient(), stack.tableNames.payments).putReports([report]);

    const own = await get(`/reports/${month}`, await stack.token({ sub: userId }));
    const others = await get(`/reports/${month}`, await stack.token({ sub: randomUUID() }));
    const otherMonth = await get('/reports/2026-09', await stack.token({ sub: userId }));
    const notAMonth = await get('/reports/october', await stack.token({ sub: userId }));

    expect(own.status).toBe(200);
    expectPublishedAnswer('GET /reports/{month}', 200, own.body);
    expect(own.body).toEqual(JSON.parse(JSON.stringify(report)));
    expect([others.status, otherMonth.status, notAMonth.status]).toEqual([404, 404, 404]);
  });

  test('403 for a token without the read scope', async () => {
    expect((await get('/reports/2026-10', await stack.token({ sub: randomUUID(), scope: SCOPES.write }))).status).toBe(
      403,
    );
  });
});

describe('GET /reports/{month}/summary', () => {
  test('200 with the run summary for a reports-admin token; 403 for a user token; 404 for a month never run', async () => {
    const month = '2026-08';
    const summary = {
      month,
      users: 3,
      reported: 2,
      payments: 4,
      commitments: 3,
      failedUsers: 1,
      failures: [{ userId: randomUUID(), error: 'DependencyUnavailable' }],
      late: { payments: 0, users: 0, reports: 0, failedUsers: 0 },
      failedShards: [],
      startedAt: '2026-09-01T00:05:00.000Z',
      finishedAt: '2026-09-01T00:06:00.000Z',
      executionName: randomUUID(),
    };
    await new DynamoDbReportRepository(testDocumentClient(), stack.tableNames.payments).putSummary(summary);
    const admin = await stack.token({ sub: randomUUID(), scope: SCOPES.reportsAdmin });

    const answer = await get(`/reports/${month}/summary`, admin);
    const asUser = await get(`/reports/${month}/summary`, await stack.token({ sub: randomUUID() }));
    const never = await get('/reports/2026-07/summary', admin);

    expect(answer.status).toBe(200);
    expectPublishedAnswer('GET /reports/{month}/summary', 200, answer.body);
    expect(answer.body).toEqual(summary);
    expect(asUser.status).toBe(403);
    expect(asUser.body.type).toBe(problemType('MissingScope'));
    expect(never.status).toBe(404);
  });
});
