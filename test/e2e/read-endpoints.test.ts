import { randomUUID } from 'node:crypto';
import { PROBLEM_CONTENT_TYPE } from '#contract/workflow-io';
import { SCOPES } from '#contract/scopes';
import { buildMonthlyReport } from '#domain/report';
import { DynamoDbReportRepository } from '#adapters/report-repository';
import { testDocumentClient } from '../support/dynamodb';
import { postPayment } from '../support/http';
import { type RunningLocalStack, startLocalStack } from '../support/local-stack';
import { paymentBody } from '../support/submissions';
import { storedPayment } from '../support/reports';

/** GET /payments/{id} and GET /reports/{month} over HTTP against a started local stack. */
let stack: RunningLocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack?.stop();
});

const get = async (path: string, token?: string): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> => {
  const response = await fetch(`${stack.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
};

describe('GET /payments/{id}', () => {
  test("200 with the caller's own payment as stored; another user's token gets 404, as for an unknown id", async () => {
    const userId = randomUUID();
    const body = paymentBody({ userId, amount: '12.5' });
    expect((await postPayment(stack.url, { token: await stack.token({ sub: userId }), body })).status).toBe(201);

    const own = await get(`/payments/${body.id}`, await stack.token({ sub: userId }));
    const others = await get(`/payments/${body.id}`, await stack.token({ sub: randomUUID() }));
    const unknown = await get(`/payments/${randomUUID()}`, await stack.token({ sub: userId }));

    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: body.id, userId, amount: '12.50', currency: 'GBP', receivedAt: expect.any(String) });
    expect(own.body).not.toHaveProperty('amountMinor');
    for (const answer of [others, unknown]) {
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
      expect(answer.body.requestId).toBe(answer.headers.get('x-request-id'));
    }
  });

  test('401 without a token; 403 for a token without the read scope', async () => {
    expect((await get(`/payments/${randomUUID()}`)).status).toBe(401);
    const writeOnly = await get(`/payments/${randomUUID()}`, await stack.token({ sub: randomUUID(), scope: SCOPES.write }));
    expect(writeOnly.status).toBe(403);
  });
});

describe('GET /reports/{month}', () => {
  test("200 with the caller's own report; 404 for another user and for a month with no report", async () => {
    const userId = randomUUID();
    const month = '2026-10';
    const report = buildMonthlyReport(userId, month, [storedPayment({ userId, timestamp: `${month}-05T09:30:00.000Z` })], undefined);
    await new DynamoDbReportRepository(testDocumentClient(), stack.tableNames.payments).putReport(report);

    const own = await get(`/reports/${month}`, await stack.token({ sub: userId }));
    const others = await get(`/reports/${month}`, await stack.token({ sub: randomUUID() }));
    const otherMonth = await get('/reports/2026-09', await stack.token({ sub: userId }));
    const notAMonth = await get('/reports/october', await stack.token({ sub: userId }));

    expect(own.status).toBe(200);
    expect(own.body).toEqual(JSON.parse(JSON.stringify(report)));
    expect([others.status, otherMonth.status, notAMonth.status]).toEqual([404, 404, 404]);
  });

  test('403 for a token without the read scope', async () => {
    expect((await get('/reports/2026-10', await stack.token({ sub: randomUUID(), scope: SCOPES.write }))).status).toBe(403);
  });
});
