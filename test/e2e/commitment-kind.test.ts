import { randomUUID } from 'node:crypto';
import { problemType } from '#contract/problems';
import { SCOPES } from '#contract/scopes';
import { monthBefore } from '#domain/month';
import { DynamoDbKindRepository } from '#adapters/kind-repository';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { testDocumentClient } from '../support/dynamodb';
import { type HttpAnswer, postTo } from '../support/http';
import { expectPublishedAnswer } from '../support/openapi-answers';
import { historyFrom, reportedCommitment, seedReport } from '../support/commitments';

/**
 * PUT /commitments/{id}/kind over HTTP against a started local stack, with real RS256 tokens: every status of the
 * route. The report is seeded in DynamoDB Local as the build writes it: one commitment no integration named (kind
 * null), one an integration named (subscription); that the choice reaches the report is tested in test/workflow.
 */
let stack: RunningLocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack?.stop();
});

const reportMonth = monthBefore(new Date());
const UNNAMED = 'GBP#acme lettings';
const NAMED = 'GBP#netflix';

const customer = async () => {
  const userId = randomUUID();
  const history = historyFrom(reportMonth, ['kept', 'kept']);
  const paid = [
    { id: randomUUID(), timestamp: `${reportMonth}-01T08:00:00Z`, localDate: `${reportMonth}-01`, amount: '9.99' },
  ];
  await seedReport(testDocumentClient(), stack.tableNames.payments, userId, reportMonth, [
    { ...reportedCommitment(UNNAMED, 'ACME LETTINGS', history, paid), kind: null },
    reportedCommitment(NAMED, 'NETFLIX', history, paid),
  ]);
  return { userId, token: await stack.token({ sub: userId }) };
};

const putKind = (token: string | undefined, commitmentId: string, body: unknown): Promise<HttpAnswer> =>
  postTo(stack.url, `/commitments/${encodeURIComponent(commitmentId)}/kind`, { token, body, method: 'PUT' });

const kept = (userId: string) =>
  new DynamoDbKindRepository(testDocumentClient(), stack.tableNames.payments).ofUser(userId);

describe('PUT /commitments/{id}/kind', () => {
  test('200 with the kind and its source, kept with who, when and which app; the same kind again keeps nothing', async () => {
    const { userId, token } = await customer();
    const answer = await putKind(token, UNNAMED, { kind: 'rent' });
    expect(answer.status).toBe(200);
    expectPublishedAnswer('PUT /commitments/{id}/kind', 200, answer.body);
    expect(answer.body).toEqual({ commitmentId: UNNAMED, kind: 'rent', kindSource: 'customer' });
    expect(await kept(userId)).toEqual([
      expect.objectContaining({ commitmentId: UNNAMED, kind: 'rent', by: userId, clientId: expect.any(String) }),
    ]);
    const again = await putKind(token, UNNAMED, { kind: 'rent' });
    expect([again.status, again.body.kind]).toEqual([200, 'rent']);
    const changed = await putKind(token, UNNAMED, { kind: 'utility' });
    expect([changed.status, changed.body.kind]).toEqual([200, 'utility']);
    expect((await kept(userId)).map(({ kind }) => kind)).toEqual(['rent', 'utility']);
  });

  test('409 when an integration names the kind; 401, 403, 404, 400 naming the field, 413: nothing kept', async () => {
    const { userId, token } = await customer();
    const named = await putKind(token, NAMED, { kind: 'telecom' });
    expect([named.status, named.body.type]).toEqual([409, problemType('KindSetByIntegration')]);
    expect((await putKind(undefined, UNNAMED, { kind: 'rent' })).status).toBe(401);
    const readOnly = await putKind(await stack.token({ sub: userId, scope: SCOPES.read }), UNNAMED, { kind: 'rent' });
    expect([readOnly.status, readOnly.body.type]).toEqual([403, problemType('MissingScope')]);
    const integration = await putKind(await stack.token({ sub: 'local-integration', scope: SCOPES.write }), UNNAMED, {
      kind: 'rent',
    });
    expect([integration.status, integration.body.type]).toEqual([403, problemType('Forbidden')]);
    expect((await putKind(await stack.token({ sub: randomUUID() }), UNNAMED, { kind: 'rent' })).status).toBe(404);
    expect((await putKind(token, 'GBP#no-such', { kind: 'rent' })).status).toBe(404);
    const bad = await putKind(token, UNNAMED, { kind: 'mortgage' });
    const fields = ((bad.body.errors ?? []) as { field: string }[]).map(({ field }) => field);
    expect([bad.status, bad.body.type, fields]).toEqual([400, problemType('InvalidKind'), ['kind']]);
    const notJson = await putKind(token, UNNAMED, '{"kind":');
    expect([notJson.status, notJson.body.type]).toEqual([400, problemType('InvalidJson')]);
    const huge = await putKind(token, UNNAMED, { kind: 'rent', pad: 'x'.repeat(64 * 1024) });
    expect(huge.status).toBe(413);
    expect(await kept(userId)).toEqual([]);
  });
});
