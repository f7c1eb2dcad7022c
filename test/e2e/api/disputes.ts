import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { LOCAL_INTEGRATION_CLIENT_ID, LOCAL_OPERATIONS_CLIENT_ID } from '#contract/oauth-clients';
import { type ProblemName, problemType } from '#contract/problems';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { OPERATIONS_SCOPES, SCOPES } from '#contract/scopes';
import { DynamoDbDisputeRepository } from '#adapters/dispute-repository';
import { fileDispute } from '#domain/dispute';
import { monthBefore } from '#domain/month';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { sharedApiStack } from '../../support/api-stack';
import { testDocumentClient } from '../../support/dynamodb';
import { type HttpAnswer, getRaw, parsedAnswer, postTo } from '../../support/http';
import { expectPublishedAnswer } from '../../support/openapi-answers';
import { seedGymCustomer } from '../../support/commitments';
import { typeScriptProcess } from '#devtools/typescript-process';

/**
 * Every dispute route's statuses over HTTP with real tokens against a started local stack, then operations'
 * `npm run ops -- disputes` as a process with the stack's settings: the dispute listed with its age, an overdue one
 * warned of, one resolved, and the customer seeing the outcome.
 */
const run = promisify(execFile);
const DAY_MS = 86_400_000;

let stack: RunningLocalStack;
const reportMonth = monthBefore(new Date());
const customerId = randomUUID();
const strangerId = randomUUID();
let customer: string;
let stranger: string;
let operations: string;

beforeAll(async () => {
  stack = await sharedApiStack();
  await seedGymCustomer(stack, customerId, reportMonth);
  customer = await stack.token({ sub: customerId });
  stranger = await stack.token({ sub: strangerId });
  operations = await stack.token({
    sub: LOCAL_OPERATIONS_CLIENT_ID,
    clientId: LOCAL_OPERATIONS_CLIENT_ID,
    // The operations client's own scopes (disputes-admin among them).
    scope: OPERATIONS_SCOPES.join(' '),
  });
});

const get = async (route: string, token?: string): Promise<HttpAnswer> =>
  parsedAnswer(await getRaw(stack.url, route, { token }));
const post = (route: string, token: string | undefined, body: unknown): Promise<HttpAnswer> =>
  postTo(stack.url, route, { token, body });

const DISPUTE = { commitmentId: 'GBP#puregym', month: reportMonth, reason: 'paid-on-time', text: 'I paid on the 5th' };

const expectProblemNamed = (answer: HttpAnswer, status: number, name: ProblemName, fields: string[] = []): void => {
  expect({ status: answer.status, type: answer.body.type }).toEqual({ status, type: problemType(name) });
  if (fields.length > 0)
    expect(((answer.body.errors ?? []) as { field: string }[]).map((error) => error.field).sort()).toEqual(fields);
};

/** `npm run ops -- <args>` as a process, found as npm start's stack is: by the stack's settings, no flags. */
const opsProcess = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await run(...typeScriptProcess('ops/cli.ts', args), {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, ...stack.settingsEnv, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

describe('the dispute routes over HTTP', () => {
  let disputeId: string;

  test("POST /disputes: 401, 403 (scope; not a customer token), 400 naming each field, 404 (another's commitment), 201, 409", async () => {
    expectProblemNamed(await post('/disputes', undefined, DISPUTE), 401, 'Unauthorized');
    const readOnly = await stack.token({ sub: customerId, scope: SCOPES.read });
    expectProblemNamed(await post('/disputes', readOnly, DISPUTE), 403, 'MissingScope');
    const integration = await stack.token({
      sub: LOCAL_INTEGRATION_CLIENT_ID,
      clientId: LOCAL_INTEGRATION_CLIENT_ID,
      scope: SCOPES.write,
    });
    expectProblemNamed(await post('/disputes', integration, DISPUTE), 403, 'Forbidden');
    const bad = await post('/disputes', customer, { ...DISPUTE, month: '2026-13', reason: 'angry', text: '' });
    expectProblemNamed(bad, 400, 'InvalidDispute', ['month', 'reason', 'text']);
    expectProblemNamed(await post('/disputes', customer, { ...DISPUTE, colour: 'red' }), 400, 'InvalidDispute', [
      'colour',
    ]);
    expectProblemNamed(await post('/disputes', stranger, DISPUTE), 404, 'NotFound');
    // Nothing was filed by any refusal.
    expect((await get('/disputes', customer)).body).toEqual({ disputes: [] });

    const filed = await post('/disputes', customer, DISPUTE);
    expect(filed.status).toBe(201);
    expectPublishedAnswer('POST /disputes', 201, filed.body);
    expect(filed.body).toMatchObject({ ...DISPUTE, userId: customerId, state: 'open', resolution: null });
    disputeId = filed.body.disputeId as string;

    const again = await post('/disputes', customer, DISPUTE);
    expectProblemNamed(again, 409, 'DisputeConflict', ['month']);
  });

  test("GET /disputes: 401, 403 without the read scope; the customer's own only; operations every open one with its age", async () => {
    expectProblemNamed(await get('/disputes'), 401, 'Unauthorized');
    const writeOnly = await stack.token({ sub: customerId, scope: SCOPES.write });
    expectProblemNamed(await get('/disputes', writeOnly), 403, 'MissingScope');
    const own = await get('/disputes', customer);
    expect(own.status).toBe(200);
    expectPublishedAnswer('GET /disputes', 200, own.body);
    expect((own.body.disputes as { disputeId: string }[]).map((d) => d.disputeId)).toEqual([disputeId]);
    expect((await get('/disputes', stranger)).body).toEqual({ disputes: [] });
    const all = await get('/disputes', operations);
    expect(all.status).toBe(200);
    expect(all.body.disputes).toEqual(expect.arrayContaining([expect.objectContaining({ disputeId, ageDays: 0 })]));
    expectProblemNamed(await get('/disputes?state=closed', operations), 400, 'InvalidParameter');
  });

  test("GET /disputes/{id}: 401, 403 without the read scope, 404 for another's and an unknown one, 200 for the owner", async () => {
    expectProblemNamed(await get(`/disputes/${disputeId}`), 401, 'Unauthorized');
    const writeOnly = await stack.token({ sub: customerId, scope: SCOPES.write });
    expectProblemNamed(await get(`/disputes/${disputeId}`, writeOnly), 403, 'MissingScope');
    expectProblemNamed(await get(`/disputes/${disputeId}`, stranger), 404, 'NotFound');
    expectProblemNamed(await get(`/disputes/${randomUUID()}`, customer), 404, 'NotFound');
    const own = await get(`/disputes/${disputeId}`, customer);
    expect([own.status, own.body.state]).toEqual([200, 'open']);
    expectPublishedAnswer('GET /disputes/{id}', 200, own.body);
  });

  test('POST /disputes/{id}/resolution: 401, 403 for the customer (no disputes-admin), 400 naming each field, 404', async () => {
    const resolution = { outcome: 'verified', note: 'Checked the bank statement' };
    const route = `/disputes/${disputeId}/resolution`;
    expectProblemNamed(await post(route, undefined, resolution), 401, 'Unauthorized');
    expectProblemNamed(await post(route, customer, resolution), 403, 'MissingScope');
    const bad = await post(route, operations, { outcome: 'reopened', note: '' });
    expectProblemNamed(bad, 400, 'InvalidDispute', ['note', 'outcome']);
    expectProblemNamed(await post(`/disputes/${randomUUID()}/resolution`, operations, resolution), 404, 'NotFound');
    // None of these resolved it.
    expect((await get(`/disputes/${disputeId}`, customer)).body.state).toBe('open');
  });

  describe('npm run ops -- disputes (a process, the stack found by its settings)', () => {
    const overdueId = randomUUID();

    beforeAll(async () => {
      // A dispute filed 31 days ago (the API cannot backdate one): stored as the FileDispute handler stores it.
      const filedAt = new Date(Date.now() - 31 * DAY_MS - 60_000).toISOString();
      const request = { ...DISPUTE, month: monthBefore(new Date(filedAt)), paymentId: null, reason: 'other' as const };
      await new DynamoDbDisputeRepository(testDocumentClient(), stack.tableNames.payments).file(
        fileDispute(overdueId, customerId, request, { at: filedAt, by: customerId, clientId: 'local-user-app' }),
      );
    });

    test('lists the open disputes oldest first with their age, and a WARNING line for the one open over 30 days', async () => {
      const { code, stdout } = await opsProcess(['disputes']);
      expect(code).toBe(0);
      const lines = stdout.split('\n');
      expect(lines.filter((line) => line.startsWith('WARNING'))).toEqual([
        expect.stringMatching(new RegExp(`^WARNING: dispute ${overdueId} open 31 days, past the 30-day deadline`)),
      ]);
      const rows = lines.filter((line) => line.includes(overdueId) || line.includes(disputeId));
      const tableRows = rows.filter((line) => !line.startsWith('WARNING'));
      expect(tableRows).toEqual([
        expect.stringMatching(new RegExp(`31 d\\s+open\\s+${overdueId}\\s+${customerId}\\s+GBP#puregym`)),
        expect.stringMatching(
          new RegExp(`0 d\\s+open\\s+${disputeId}\\s+${customerId}\\s+GBP#puregym\\s+${reportMonth}`),
        ),
      ]);
    });

    test('resolves one: the customer sees the outcome and the note; a second resolution (ops or API) is refused', async () => {
      const note = 'Bank statement shows the payment on the 5th';
      const resolved = await opsProcess(['disputes', 'resolve', disputeId, '--outcome', 'verified', '--note', note]);
      expect(resolved.code).toBe(0);
      expect(resolved.stdout).toMatch(/state\s+verified/);

      const seen = await get(`/disputes/${disputeId}`, customer);
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({
        state: 'verified',
        resolution: { outcome: 'verified', note, clientId: 'npm-run-ops', by: expect.any(String) },
      });

      const viaApi = await post(`/disputes/${disputeId}/resolution`, operations, { outcome: 'deleted', note: 'again' });
      expectProblemNamed(viaApi, 409, 'DisputeConflict', ['outcome']);
      const viaOps = await opsProcess(['disputes', 'resolve', disputeId, '--outcome', 'deleted', '--note', 'again']);
      expect(viaOps.code).toBe(1);
      expect(viaOps.stderr).toContain('already resolved');
      expect((await get(`/disputes/${disputeId}`, customer)).body.state).toBe('verified');

      // Listed no more as open; with --all, resolved.
      const open = await opsProcess(['disputes', '--json']);
      expect((JSON.parse(open.stdout) as { disputeId: string }[]).map((d) => d.disputeId)).toEqual([overdueId]);
    });

    test('a bad outcome is a usage error naming it (exit 2), and nothing is resolved', async () => {
      const bad = await opsProcess(['disputes', 'resolve', overdueId, '--outcome', 'fixed', '--note', 'x']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--outcome must be one of verified, corrected, deleted');
      expect((await get(`/disputes/${overdueId}`, customer)).body.state).toBe('open');
    });
  });
});
