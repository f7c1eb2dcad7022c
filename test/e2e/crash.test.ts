import { randomUUID } from 'node:crypto';
import { testDocumentClient } from '../support/dynamodb';
import { postPayment, storedPayment } from '../support/http';
import { type RunningLocalStack, startLocalStack } from '../support/local-stack';
import { IN_PROGRESS_HOLD_MS, retryUntilConfirmed } from '../support/retries';
import { paymentBody } from '../support/submissions';

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
  body: Record<string, unknown>;
  status?: number;
}

test('SIGKILL during a load: every payment answered 201/200 is stored after a restart; retries of the rest are stored once the in-progress records expire', async () => {
  const tablePrefix = `crash-${randomUUID().slice(0, 8)}-`;
  const first = await startLocalStack({ tablePrefix });
  stacks.push(first);
  const userId = randomUUID();
  const token = await first.token({ sub: userId });

  const sent: Sent[] = [];
  let killed = false;
  const worker = async (): Promise<void> => {
    while (!killed) {
      const entry: Sent = { body: paymentBody({ userId }) };
      sent.push(entry);
      try {
        entry.status = (await postPayment(first.url, { token, body: entry.body })).status;
      } catch {
        return; // the connection died with the stack: this one has no answer
      }
    }
  };
  const load = Array.from({ length: WORKERS }, () => worker());
  // Kill once the load is well under way, so requests are in flight at every step.
  while (sent.filter((entry) => entry.status !== undefined).length < 40) await new Promise((resolve) => setTimeout(resolve, 20));
  killed = true;
  await first.stop('SIGKILL');
  const killedAt = Date.now();
  await Promise.all(load);

  const answered = sent.filter((entry) => entry.status !== undefined);
  const unanswered = sent.filter((entry) => entry.status === undefined);
  expect(answered.map((entry) => entry.status).filter((status) => status !== 201)).toEqual([]);
  expect(unanswered.length).toBeGreaterThan(0);

  const second = await startLocalStack({ tablePrefix });
  stacks.push(second);
  for (const { body } of answered) {
    expect(await storedPayment(documentClient, second.tableNames.payments, body.id as string)).toMatchObject({
      id: body.id,
      userId,
      amount: body.amount,
      description: body.description,
    });
  }
  // A client that got no answer retries the same submission. One the killed stack had begun is
  // held IN_PROGRESS by its idempotency record until that record's expiry (the CheckIdempotency
  // timeout): until then 409 submission-in-progress, after it 201 or 200, never anything else.
  await retryUntilConfirmed(second.url, await second.token({ sub: userId }), unanswered.map((entry) => entry.body), killedAt + IN_PROGRESS_HOLD_MS);
  for (const { body } of unanswered) {
    expect(await storedPayment(documentClient, second.tableNames.payments, body.id as string)).toMatchObject({ id: body.id, userId });
  }
});
