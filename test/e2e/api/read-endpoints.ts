import { randomUUID } from 'node:crypto';
import { PROBLEM_CONTENT_TYPE, problemType } from '#contract/problems';
import { SCOPES } from '#contract/scopes';
import { buildMonthlyReport } from '#domain/report';
import { DynamoDbReportRepository } from '#adapters/report-repository';
import { testDocumentClient } from '../../support/dynamodb';
import { answerOf, apiFor, getRaw as rawGet, parsedAnswer, submit } from '../../support/http';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { paymentSubmission } from '#devtools/submissions';
import { storedPayment } from '../../support/reports';
import { expectPublishedAnswer } from '../../support/openapi-answers';
import { outputFromNow, sharedApiStack } from '../../support/api-stack';

/** GET /payments/{id} and GET /reports/{month} over HTTP against a started local stack. */
let stack: RunningLocalStack;
/** What the shared stack printed since this module's tests began (its neighbours' requests are theirs to check). */
let printed: () => string;

beforeAll(async () => {
  stack = await sharedApiStack();
  printed = outputFromNow(stack);
});

/** The typed client of a caller holding `token` (none: no Authorization header). */
const api = (token?: string) => apiFor(stack.url, token);

/** A path the typed client cannot send (a malformed escape, a missing required parameter), sent raw. */
const getRaw = async (path: string, token?: string) => parsedAnswer(await rawGet(stack.url, path, { token }));

const paymentById = async (id: string, token?: string) =>
  answerOf(await api(token).GET('/payments/{id}', { params: { path: { id } } }));

const monthOfPayments = (query: { month: string; limit?: number; cursor?: string }, token?: string) =>
  api(token).GET('/payments', { params: { query } });

const reportOf = (month: string, token?: string) => api(token).GET('/reports/{month}', { params: { path: { month } } });

const summaryOf = (month: string, token?: string) =>
  api(token).GET('/reports/{month}/summary', { params: { path: { month } } });

describe('GET /payments/{id}', () => {
  test("200 with the caller's own payment as stored; another user's token gets 404, as for an unknown id", async () => {
    const userId = randomUUID();
    const body = paymentSubmission({ userId, amount: '12.5' });
    expect((await submit(stack.url, await stack.token({ sub: userId }), body)).status).toBe(201);

    const own = await paymentById(body.id, await stack.token({ sub: userId }));
    const others = await paymentById(body.id, await stack.token({ sub: randomUUID() }));
    const unknown = await paymentById(randomUUID(), await stack.token({ sub: userId }));

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
    expect((await paymentById(randomUUID())).status).toBe(401);
    const writeOnly = await paymentById(randomUUID(), await stack.token({ sub: randomUUID(), scope: SCOPES.write }));
    expect(writeOnly.status).toBe(403);
    // The same answer as the workflow's for a token without the route's scope.
    expect(writeOnly.body.type).toBe(problemType('MissingScope'));
  });

  test('404 before any read for an id that cannot exist (3,000 characters, not a UUID v4), never a 500', async () => {
    const token = await stack.token({ sub: randomUUID() });
    for (const id of ['a'.repeat(3000), 'not-a-uuid', `${randomUUID()}0`, '00000000-0000-1000-8000-000000000000']) {
      const answer = await paymentById(id, token);
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
      expect(JSON.stringify(answer.body)).not.toContain(id);
    }
    expect(printed()).not.toMatch(/"level":\s*"ERROR"/);
  });

  test('404, not a gateway failure, for a path with a malformed escape', async () => {
    const answer = await getRaw('/payments/%E0%A4%A', await stack.token({ sub: randomUUID() }));
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
    const strangers = paymentSubmission({ userId: stranger, timestamp: '2026-09-05T10:00:00Z' });
    expect((await submit(stack.url, await stack.token({ sub: stranger }), strangers)).status).toBe(201);

    const first = await monthOfPayments({ month: '2026-09', limit: 2 }, token);
    const second = await monthOfPayments({ month: '2026-09', limit: 2, cursor: first.data?.nextCursor }, token);

    expect(first.response.status).toBe(200);
    expect(second.response.status).toBe(200);
    for (const page of [first, second]) expectPublishedAnswer('GET /payments', 200, page.data);
    const listed = [...(first.data?.payments ?? []), ...(second.data?.payments ?? [])];
    expect(listed.map((payment) => payment.timestamp)).toEqual([
      '2026-09-03T10:00:00.000Z',
      '2026-09-11T10:00:00.000Z',
      '2026-09-20T10:00:00.000Z',
    ]);
    expect(listed.every((payment) => payment.userId === userId)).toBe(true);
    expect(second.data).not.toHaveProperty('nextCursor');
    expect(
      (await monthOfPayments({ month: '2026-09' }, await stack.token({ sub: randomUUID() }))).data?.payments,
    ).toEqual([]);
  });

  test('400 for a missing month, a bad limit or a cursor this API did not hand out; 403 without the read scope', async () => {
    const token = await stack.token({ sub: randomUUID() });
    const refused = [
      // No month at all: the typed client cannot leave out a required parameter.
      { query: 'none', answer: await getRaw('/payments', token) },
      ...(await Promise.all(
        [
          { month: '2026-13' },
          { month: '2026-09', limit: 0 },
          { month: '2026-09', cursor: Buffer.from('USER#x').toString('base64url') },
        ].map(async (query) => ({
          query: JSON.stringify(query),
          answer: answerOf(await monthOfPayments(query, token)),
        })),
      )),
    ];
    for (const { query, answer } of refused) {
      expect({ query, status: answer.status }).toEqual({ query, status: 400 });
      expect(answer.body.errors).toEqual([expect.objectContaining({ field: expect.any(String) })]);
    }
    expect(
      (await monthOfPayments({ month: '2026-09' }, await stack.token({ sub: randomUUID(), scope: SCOPES.write })))
        .response.status,
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

    const own = await reportOf(month, await stack.token({ sub: userId }));
    const others = await reportOf(month, await stack.token({ sub: randomUUID() }));
    const otherMonth = await reportOf('2026-09', await stack.token({ sub: userId }));
    const notAMonth = await reportOf('october', await stack.token({ sub: userId }));

    expect(own.response.status).toBe(200);
    expectPublishedAnswer('GET /reports/{month}', 200, own.data);
    expect(own.data).toEqual(JSON.parse(JSON.stringify(report)));
    expect([others, otherMonth, notAMonth].map(({ response }) => response.status)).toEqual([404, 404, 404]);
  });

  test('403 for a token without the read scope', async () => {
    const writeOnly = await reportOf('2026-10', await stack.token({ sub: randomUUID(), scope: SCOPES.write }));
    expect(writeOnly.response.status).toBe(403);
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

    const answer = await summaryOf(month, admin);
    const asUser = await summaryOf(month, await stack.token({ sub: randomUUID() }));
    const never = await summaryOf('2026-07', admin);

    expect(answer.response.status).toBe(200);
    expectPublishedAnswer('GET /reports/{month}/summary', 200, answer.data);
    expect(answer.data).toEqual(summary);
    expect(asUser.response.status).toBe(403);
    expect(asUser.error?.type).toBe(problemType('MissingScope'));
    expect(never.response.status).toBe(404);
  });
});
