import { randomUUID } from 'node:crypto';
import { PROBLEM_CONTENT_TYPE } from '#contract/problems';
import { testDocumentClient } from '../support/dynamodb';
import { storedPayment, submit } from '../support/http';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { paymentSubmission } from '#devtools/submissions';
import { integrationToken } from '../support/tokens';

/**
 * The local gateway throttles per client, as the deployed API does, here with a small bucket
 * (3 at once, then one every 10 s) so that a short burst is enough to cross it.
 */
const documentClient = testDocumentClient();
const BURST = 3;
let stack: RunningLocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ env: { RATE_LIMIT_PER_SECOND: '0.1', RATE_LIMIT_BURST: String(BURST) } });
});

afterAll(async () => {
  await stack?.stop();
});

test('a burst beyond the limit gets 429 with Retry-After, nothing stored for those; another client is unaffected', async () => {
  expect(stack.output()).toContain('Rate limit      0.1/s, burst 3, per client; 3000/min per user');
  const userId = randomUUID();
  const token = await stack.token({ sub: userId });
  const bodies = Array.from({ length: BURST + 4 }, () => paymentSubmission({ userId }));
  const answers = await Promise.all(bodies.map((body) => submit(stack.url, token, body)));

  const created = bodies.filter((_, index) => answers[index]!.status === 201);
  const throttled = answers.flatMap((answer, index) =>
    answer.status === 429 ? [{ answer, body: bodies[index]! }] : [],
  );
  expect({ created: created.length, throttled: throttled.length }).toEqual({
    created: BURST,
    throttled: bodies.length - BURST,
  });
  for (const { answer, body } of throttled) {
    expect(answer.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    expect(answer.body).toMatchObject({ status: 429, type: expect.stringMatching(/\/throttled$/) });
    // One request every 10 s: the next is allowed within 10 s, never sooner than the header says.
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(answer.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    expect(await storedPayment(documentClient, stack.tableNames.payments, body.id)).toBeUndefined();
  }
  for (const body of created) {
    expect(await storedPayment(documentClient, stack.tableNames.payments, body.id)).toMatchObject({
      id: body.id,
    });
  }

  const integration = await integrationToken(stack);
  const other = paymentSubmission();
  expect((await submit(stack.url, integration, other)).status).toBe(201);
});

describe('per user as well as per client (all users of one app share its client id)', () => {
  const USER_SHARE = 3;
  let perUser: RunningLocalStack;
  beforeAll(async () => {
    // A client budget far above the test's traffic, and a small share per user (3 a minute).
    perUser = await startLocalStack({ env: { RATE_LIMIT_PER_USER_PER_MINUTE: String(USER_SHARE) } });
  });
  afterAll(async () => {
    await perUser?.stop();
  });

  test('one user beyond its share gets 429 naming the user, nothing stored; another user of the same client is unaffected', async () => {
    expect(perUser.output()).toContain(`${USER_SHARE}/min per user`);
    const noisy = randomUUID();
    const token = await perUser.token({ sub: noisy });
    const bodies = Array.from({ length: USER_SHARE + 3 }, () => paymentSubmission({ userId: noisy }));
    const answers = await Promise.all(bodies.map((body) => submit(perUser.url, token, body)));
    const throttled = answers.flatMap((answer, index) =>
      answer.status === 429 ? [{ answer, body: bodies[index]! }] : [],
    );
    expect({ created: answers.filter((answer) => answer.status === 201).length, throttled: throttled.length }).toEqual({
      created: USER_SHARE,
      throttled: 3,
    });
    for (const { answer, body } of throttled) {
      expect(answer.body).toMatchObject({ status: 429, detail: expect.stringContaining('this user') });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(answer.headers.get('retry-after'))).toBeLessThanOrEqual(20);
      expect(await storedPayment(documentClient, perUser.tableNames.payments, body.id)).toBeUndefined();
    }

    // Same client (local-user-app), another user: its own share is whole.
    const quiet = randomUUID();
    const quietToken = await perUser.token({ sub: quiet });
    for (const body of Array.from({ length: USER_SHARE }, () => paymentSubmission({ userId: quiet }))) {
      expect((await submit(perUser.url, quietToken, body)).status).toBe(201);
    }
  });
});
