import { randomUUID } from 'node:crypto';
import { type LoadResult, runHttpLoad } from '../../bench/load-client';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { paymentKey } from '#adapters/table-keys';
import { LOCAL_INTEGRATION_CLIENT_ID } from '#contract/oauth-clients';
import { INTEGRATION_SCOPES } from '#contract/scopes';
import { itemsOfUser, testDocumentClient } from '../support/dynamodb';

/**
 * The benchmark's load generator against a real local stack, for about a second a path: every answer it counts as 2xx
 * is a payment stored, and nothing else is (each request carries fresh payment ids, so 2xx here is always 201).
 */
const documentClient = testDocumentClient();
let stack: RunningLocalStack;

beforeAll(async () => {
  // The benchmark's settings: no throttle shapes the load.
  stack = await startLocalStack({
    env: { RATE_LIMIT_PER_SECOND: '1000000', RATE_LIMIT_BURST: '1000000', RATE_LIMIT_PER_USER_PER_MINUTE: '1000000' },
  });
});

afterAll(async () => {
  await stack?.stop();
});

/** A user app's token per user, or for batches an integration's (submit-on-behalf) under each user's subject. */
const tokensOfFreshUsers = async (count: number, integration = false): Promise<Record<string, string>> => {
  const tokens: Record<string, string> = {};
  const client = integration ? { clientId: LOCAL_INTEGRATION_CLIENT_ID, scope: INTEGRATION_SCOPES.join(' ') } : {};
  for (let i = 0; i < count; i += 1) {
    const userId = randomUUID();
    tokens[userId] = await stack.token({ sub: userId, ...client });
  }
  return tokens;
};

const paymentsStoredFor = async (userIds: string[]): Promise<number> => {
  let stored = 0;
  for (const userId of userIds) {
    const items = await itemsOfUser(documentClient, stack.tableNames.payments, userId);
    // The payment's own item (its month indexes are keys on it, not items of their own).
    stored += items.filter((item) => item.pk === paymentKey(String(item.id)).pk).length;
  }
  return stored;
};

const answered2xx = (result: LoadResult): number =>
  result.requests - Object.values(result.non2xx).reduce((sum, count) => sum + count, 0);

describe('the benchmark load client (bench/load-client.ts) against the local stack', () => {
  test('POST /payments for 1 s on 3 connections: every 2xx a payment stored, and no other', async () => {
    const tokens = await tokensOfFreshUsers(3);
    const result = await runHttpLoad({ url: stack.url, connections: 3, durationSeconds: 1, tokens });

    expect(result).toMatchObject({ non2xx: {}, errors: 0, timeouts: 0 });
    expect(result.requests).toBeGreaterThan(0);
    expect(await paymentsStoredFor(Object.keys(tokens))).toBe(answered2xx(result));
  });

  test('POST /payments/batch of 5 for 1 s on 2 connections: 5 payments stored per 2xx', async () => {
    const tokens = await tokensOfFreshUsers(2, true);
    const result = await runHttpLoad({ url: stack.url, connections: 2, durationSeconds: 1, tokens, batchSize: 5 });

    expect(result).toMatchObject({ non2xx: {}, errors: 0, timeouts: 0 });
    expect(result.requests).toBeGreaterThan(0);
    expect(await paymentsStoredFor(Object.keys(tokens))).toBe(5 * answered2xx(result));
  });
});
