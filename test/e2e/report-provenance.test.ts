import { randomUUID } from 'node:crypto';
import { SCOPES } from '#contract/scopes';
import { LOCAL_INTEGRATION_CLIENT_ID, LOCAL_USER_APP_CLIENT_ID } from '#contract/oauth-clients';
import { parseCsv } from '../support/csv';
import { apiFor, submit } from '../support/http';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { paymentSubmission } from '#devtools/submissions';
import { npmRunReport } from '../support/report-cli';
import { integrationToken } from '../support/tokens';

/**
 * The whole path a credit bureau's figure takes: payments submitted over HTTP (one with the user's
 * own token, one by a bank-feed integration on the user's behalf), `npm run report` over them as an
 * operator runs it, then the export. The stack has tables of its own, so the month holds only these.
 */
let stack: RunningLocalStack;
const tablePrefix = `provenance-${randomUUID().slice(0, 8)}-`;

beforeAll(async () => {
  stack = await startLocalStack({ tablePrefix });
});

afterAll(async () => {
  await stack?.stop();
});

test('the export says who reported each figure: self-reported, on behalf, or both (clientIds, selfReported)', async () => {
  const userId = randomUUID();
  const month = new Date().toISOString().slice(0, 7);
  const now = Date.now();
  const at = (minutesAgo: number): string => new Date(now - minutesAgo * 60_000).toISOString();
  const own = await stack.token({ sub: userId });
  const feed = await integrationToken(stack);
  // Netflix by the user's app and by the bank feed (one commitment, both clients: amounts within 7.5 %); Rent by the feed alone.
  const submissions = [
    { token: own, body: paymentSubmission({ userId, timestamp: at(3), description: 'Netflix', amount: '9.99' }) },
    { token: feed, body: paymentSubmission({ userId, timestamp: at(2), description: 'netflix', amount: '9.50' }) },
    { token: feed, body: paymentSubmission({ userId, timestamp: at(1), description: 'Rent', amount: '750.00' }) },
  ];
  // Early in a month (UTC) the minutes above may fall in the month before: report the month they are in.
  const months = new Set(submissions.map(({ body }) => String(body.timestamp).slice(0, 7)));
  for (const { token, body } of submissions) expect((await submit(stack.url, token, body)).status).toBe(201);

  for (const m of months) {
    const run = await npmRunReport(stack, m);
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 0,
      stderr: expect.stringContaining('SUCCEEDED'),
    });
  }

  const admin = await stack.token({ sub: randomUUID(), scope: SCOPES.reportsAdmin });
  const rows = [];
  for (const m of months) {
    const { data, response } = await apiFor(stack.url, admin).GET('/reports/{month}/export', {
      params: { path: { month: m }, query: { format: 'csv' } },
      parseAs: 'text',
    });
    expect(response.status).toBe(200);
    const [header, ...lines] = parseCsv(data ?? '');
    rows.push(...lines.map((cells) => Object.fromEntries(header!.map((column, i) => [column, cells[i]]))));
  }
  const byKey = Object.fromEntries(rows.filter((row) => row.userId === userId).map((row) => [row.commitmentId, row]));
  if (months.size === 1) {
    expect(byKey['GBP#netflix']).toMatchObject({
      month,
      amount: '19.49',
      clientIds: `${LOCAL_INTEGRATION_CLIENT_ID} ${LOCAL_USER_APP_CLIENT_ID}`,
      selfReported: 'true',
    });
  }
  expect(byKey['GBP#rent']).toMatchObject({
    amount: '750.00',
    clientIds: LOCAL_INTEGRATION_CLIENT_ID,
    selfReported: 'false',
  });

  // The user's own view of the same report names the same provenance, payment by payment.
  const report = await apiFor(stack.url, own).GET('/reports/{month}', {
    params: { path: { month: String(submissions[2]!.body.timestamp).slice(0, 7) } },
  });
  expect(report.response.status).toBe(200);
  expect(report.data?.commitments.find((c) => c.commitmentId === 'GBP#rent')).toMatchObject({
    selfReported: false,
    payments: [{ clientId: LOCAL_INTEGRATION_CLIENT_ID, onBehalf: true }],
  });
}, 120_000);
