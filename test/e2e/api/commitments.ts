import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { problemType } from '#contract/problems';
import { SCOPES } from '#contract/scopes';
import { correctionPartition, userShard } from '#adapters/table-keys';
import { monthBefore } from '#domain/month';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { testDocumentClient } from '../../support/dynamodb';
import { type HttpAnswer, answerOf, apiFor, getRaw, parsedAnswer, postTo, submit } from '../../support/http';
import { expectPublishedAnswer } from '../../support/openapi-answers';
import { paymentSubmission } from '#devtools/submissions';
import { historyFrom, seedGymCustomer } from '../../support/commitments';
import { sharedApiStack } from '../../support/api-stack';

/**
 * GET /commitments and POST /commitments/corrections over HTTP against a started local stack. The
 * report is seeded in DynamoDB Local in the shape the report build writes (commitment ids, 24-month
 * histories), so that each case starts from a known listing; the build itself is tested in test/workflow.
 */
let stack: RunningLocalStack;

beforeAll(async () => {
  stack = await sharedApiStack();
});

const reportMonth = monthBefore(new Date());
const documentClient = testDocumentClient();

const listCommitments = async (token?: string): Promise<HttpAnswer> =>
  parsedAnswer(await getRaw(stack.url, '/commitments', { token }));

const correct = (token: string | undefined, body: unknown): Promise<HttpAnswer> =>
  postTo(stack.url, '/commitments/corrections', { token, body });

const fieldsOf = (answer: HttpAnswer): string[] =>
  ((answer.body.errors ?? []) as { field: string }[]).map((error) => error.field);

/** A customer with two payments to one gym under two narratives, and their report of last month. */
const customer = async () => {
  const userId = randomUUID();
  const token = await stack.token({ sub: userId });
  return { userId, token, ...(await seedGymCustomer(stack, userId, reportMonth)) };
};

describe('GET /commitments', () => {
  test("200 with the caller's own commitments and their histories; another user sees none of them", async () => {
    await customer();
    const own = await customer();
    const answer = await listCommitments(own.token);
    expect(answer.status).toBe(200);
    expectPublishedAnswer('GET /commitments', 200, answer.body);
    expect(answer.body).toMatchObject({ month: reportMonth, corrections: [], pendingCorrections: 0 });
    const commitments = answer.body.commitments as { commitmentId: string; history: unknown[] }[];
    expect(commitments.map((commitment) => commitment.commitmentId)).toEqual(['GBP#puregym', 'GBP#dd-puregym']);
    expect(commitments[0]?.history).toHaveLength(24);

    const stranger = await listCommitments(await stack.token({ sub: randomUUID() }));
    expect(stranger.status).toBe(200);
    expect(stranger.body).toMatchObject({ commitments: [], corrections: [] });
  });

  test('401 without a token; 403 without the read scope', async () => {
    expect((await listCommitments()).status).toBe(401);
    const writeOnly = await listCommitments(await stack.token({ sub: randomUUID(), scope: SCOPES.write }));
    expect(writeOnly.status).toBe(403);
    expect(writeOnly.body.type).toBe(problemType('MissingScope'));
  });
});

describe('POST /commitments/corrections', () => {
  test('a merge is kept, audited, shown at once, and marks the months from the first affected one for the next report run', async () => {
    const { userId, token } = await customer();
    const merged = await correct(token, { kind: 'merge', from: 'GBP#dd-puregym', into: 'GBP#puregym' });
    expect(merged.status).toBe(201);
    expectPublishedAnswer('POST /commitments/corrections', 201, merged.body);
    expect(merged.body).toMatchObject({
      correction: {
        kind: 'merge',
        from: 'GBP#dd-puregym',
        into: 'GBP#puregym',
        by: userId,
        clientId: 'local-user-app',
      },
      // The earliest month either commitment had a payment in: three months back.
      rebuildFrom: historyFrom(reportMonth, [])[2]!.month,
    });

    const listed = await listCommitments(token);
    expectPublishedAnswer('GET /commitments', 200, listed.body);
    expect(listed.body).toMatchObject({
      mergedInto: { 'GBP#dd-puregym': 'GBP#puregym' },
      corrections: [{ kind: 'merge', by: userId }],
      pendingCorrections: 1,
    });
    const [only, ...rest] = listed.body.commitments as {
      commitmentId: string;
      mergedFrom: string[];
      history: { status: string }[];
      payments: unknown[];
    }[];
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ commitmentId: 'GBP#puregym', mergedFrom: ['GBP#dd-puregym'] });
    expect(only?.history.slice(0, 3).map((entry) => entry.status)).toEqual(['kept', 'kept', 'kept']);
    expect(only?.payments).toHaveLength(2);

    // Kept in the user's shard partition, and marked in the late-arrivals index as a late payment is.
    const at = (merged.body.correction as { at: string }).at;
    const shard = String(userShard(userId)).padStart(2, '0');
    const item = await correctionItem(userId, at);
    expect(item).toMatchObject({
      pk: correctionPartition(userShard(userId)),
      gsi2pk: `LATE#${at.slice(0, 7)}#SHARD#${shard}`,
      gsi2sk: expect.stringContaining(`#MONTH#${merged.body.rebuildFrom as string}#CORRECTION#`),
      requestId: merged.headers.get('x-request-id'),
    });

    // Done already: merging it again conflicts.
    const again = await correct(token, { kind: 'merge', from: 'GBP#dd-puregym', into: 'GBP#puregym' });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe(problemType('CorrectionConflict'));
    expect(fieldsOf(again)).toEqual(['from']);
  });

  test('a move to a new commitment, and 409 for a move into the commitment that holds the payment', async () => {
    const { token, gym } = await customer();
    const into = await correct(token, { kind: 'move', paymentId: gym.id, into: 'GBP#puregym' });
    expect(into.status).toBe(409);
    expect(fieldsOf(into)).toEqual(['into']);

    const moved = await correct(token, { kind: 'move', paymentId: gym.id.toUpperCase(), into: 'new' });
    expect(moved.status).toBe(201);
    expect(moved.body).toMatchObject({ correction: { paymentId: gym.id, into: 'new' }, rebuildFrom: reportMonth });
    const listed = await listCommitments(token);
    const ids = (listed.body.commitments as { commitmentId: string }[]).map((commitment) => commitment.commitmentId);
    expect(ids).toEqual(['GBP#puregym', 'GBP#dd-puregym', `GBP#puregym#${gym.id}`]);
  });

  test("400 naming the field; 404 for what is not the caller's; 409 for a merge into itself", async () => {
    const { token, gym } = await customer();
    const other = await customer();
    const cases: [unknown, number, string[]][] = [
      [{ kind: 'merge', from: 'GBP#puregym' }, 400, ['into']],
      [{ kind: 'swap', from: 'a', into: 'b' }, 400, ['kind']],
      [{ kind: 'merge', from: 'GBP#puregym', into: 'GBP#dd-puregym', paymentId: gym.id }, 400, ['paymentId']],
      [{ kind: 'move', paymentId: 'not-a-uuid', into: 'new' }, 400, ['paymentId']],
      [{ kind: 'merge', from: ' GBP#puregym', into: 'GBP#puregym' }, 400, ['from']],
      [{ kind: 'merge', from: 'GBP#pure\u200bgym', into: 'GBP#puregym' }, 400, ['from']],
      [{ kind: 'merge', from: 'GBP#netflix', into: 'GBP#puregym' }, 404, ['from']],
      [{ kind: 'move', paymentId: other.gym.id, into: 'new' }, 404, []],
      [{ kind: 'move', paymentId: randomUUID(), into: 'new' }, 404, []],
      [{ kind: 'merge', from: 'GBP#puregym', into: 'GBP#puregym' }, 409, ['into']],
    ];
    for (const [body, status, fields] of cases) {
      const answer = await correct(token, body);
      expect([answer.status, fieldsOf(answer)]).toEqual([status, fields]);
    }
    expect((await correct(token, '{"kind":')).body.type).toBe(problemType('InvalidJson'));
    // Nothing was kept.
    expect((await listCommitments(token)).body.corrections).toEqual([]);
  });

  test("401 without a token; 403 without the write scope, and for an integration's token (not the customer's own)", async () => {
    const { gym } = await customer();
    const body = { kind: 'move', paymentId: gym.id, into: 'new' };
    expect((await correct(undefined, body)).status).toBe(401);
    const readOnly = await correct(await stack.token({ sub: gym.userId, scope: SCOPES.read }), body);
    expect([readOnly.status, readOnly.body.type]).toEqual([403, problemType('MissingScope')]);
    const integration = await correct(await stack.token({ sub: 'local-integration', scope: SCOPES.write }), body);
    expect([integration.status, integration.body.type]).toEqual([403, problemType('Forbidden')]);
  });
});

describe("GET /payments?month= uses the customer's calendar", () => {
  test('23:30 at -01:00 on 31 October 2026 is listed in October, not November', async () => {
    const userId = randomUUID();
    const token = await stack.token({ sub: userId });
    const body = paymentSubmission({ userId, timestamp: '2026-10-31T23:30:00-01:00' });
    const stored = await submit(stack.url, token, body);
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({
      timestamp: '2026-11-01T00:30:00.000Z',
      localDate: '2026-10-31',
      utcOffset: '-01:00',
    });
    const month = async (value: string) =>
      answerOf(await apiFor(stack.url, token).GET('/payments', { params: { query: { month: value } } })).body
        .payments as { id: string }[];
    expect((await month('2026-10')).map((payment) => payment.id)).toEqual([body.id]);
    expect(await month('2026-11')).toEqual([]);
  });
});

const correctionItem = async (userId: string, at: string) => {
  const { Items } = await documentClient.send(
    new QueryCommand({
      TableName: stack.tableNames.payments,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': correctionPartition(userShard(userId)), ':sk': `USER#${userId}#${at}#` },
    }),
  );
  return Items?.[0];
};

describe('PUT and GET /commitments/{id}/consent', () => {
  const consentPath = (commitmentId: string) => `/commitments/${encodeURIComponent(commitmentId)}/consent`;
  const putConsent = (token: string | undefined, commitmentId: string, body: unknown) =>
    postTo(stack.url, consentPath(commitmentId), { token, body, method: 'PUT' });

  test('200 with the new state, kept with who, when and which app; GET /commitments shows it at once', async () => {
    const { userId, token } = await customer();
    const before = parsedAnswer(await getRaw(stack.url, consentPath('GBP#puregym'), { token }));
    expect(before).toMatchObject({ status: 200, body: { consent: { report: false, changedAt: null }, changes: [] } });
    const answer = await putConsent(token, 'GBP#puregym', { report: true });
    expect(answer.status).toBe(200);
    expectPublishedAnswer('PUT /commitments/{id}/consent', 200, answer.body);
    expect(answer.body).toMatchObject({
      commitmentId: 'GBP#puregym',
      consent: { report: true },
      changes: [{ from: false, to: true, by: userId }],
    });
    const listed = (await listCommitments(token)).body.commitments as { commitmentId: string; consent: unknown }[];
    expect(listed.map(({ commitmentId, consent }) => [commitmentId, (consent as { report: boolean }).report])).toEqual([
      ['GBP#puregym', true],
      ['GBP#dd-puregym', false],
    ]);
  });

  test("401 without a token; 403 without the write scope and for an integration's token; 404 for another's; 400 naming the field", async () => {
    const own = await customer();
    const other = await customer();
    expect((await putConsent(undefined, 'GBP#puregym', { report: true })).status).toBe(401);
    const readOnly = await putConsent(await stack.token({ sub: own.userId, scope: SCOPES.read }), 'GBP#puregym', {
      report: true,
    });
    expect([readOnly.status, readOnly.body.type]).toEqual([403, problemType('MissingScope')]);
    const integration = await putConsent(
      await stack.token({ sub: 'local-integration', scope: SCOPES.write }),
      'GBP#puregym',
      {
        report: true,
      },
    );
    expect([integration.status, integration.body.type]).toEqual([403, problemType('Forbidden')]);
    const stranger = await putConsent(await stack.token({ sub: randomUUID() }), 'GBP#puregym', { report: true });
    expect(stranger.status).toBe(404);
    expect((await putConsent(own.token, 'GBP#no-such', { report: true })).status).toBe(404);
    const bad = await putConsent(own.token, 'GBP#puregym', { report: 'yes' });
    expect([bad.status, bad.body.type, fieldsOf(bad)]).toEqual([400, problemType('InvalidConsent'), ['report']]);
    // Nothing was kept for either customer.
    for (const { token } of [own, other]) {
      const read = parsedAnswer(await getRaw(stack.url, consentPath('GBP#puregym'), { token }));
      expect(read.body.changes).toEqual([]);
    }
  });
});
