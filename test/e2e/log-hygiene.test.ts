import { randomUUID } from 'node:crypto';
import { submit } from '../support/http';
import { type RunningLocalStack, startLocalStack } from '#harness/local-stack-process';
import { paymentSubmission } from '../support/submissions';

/**
 * Logs are kept for a year and read by more people than the data: they may carry ids, never a
 * payment's description, its amount or a caller's token. Checked on everything a stack at
 * DEBUG prints while it creates, replays, refuses and conflicts.
 */
let stack: RunningLocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ env: { LOG_LEVEL: 'DEBUG' } });
});

afterAll(async () => {
  await stack?.stop();
});

test('at DEBUG, the stack logs ids but no description, amount or token', async () => {
  const userId = randomUUID();
  const token = await stack.token({ sub: userId });
  // Values that cannot appear in a log by chance.
  const secret = `Gym ${randomUUID()}`;
  const body = paymentSubmission({ userId, description: secret, amount: '7654.31' });
  const conflict = { ...body, description: `${secret} changed`, amount: '8765.42' };
  const invalid = paymentSubmission({ userId, description: `${secret} invalid\u0007`, amount: '6543.219' });

  const statuses = [];
  for (const sent of [body, body, conflict, invalid]) statuses.push((await submit(stack.url, token, sent)).status);
  statuses.push((await submit(stack.url, `${token}x`, body)).status);
  expect(statuses).toEqual([201, 200, 409, 400, 401]);

  const output = stack.output();
  // The ids are there: the log is not simply empty.
  expect(output).toContain(body.id);
  const [header, claims, signature] = token.split('.');
  for (const forbidden of [
    secret,
    'Gym ',
    '7654.31',
    '765431',
    '8765.42',
    '876542',
    '6543.219',
    header!,
    claims!,
    signature!,
  ]) {
    expect({ forbidden, found: output.includes(forbidden) }).toEqual({ forbidden, found: false });
  }
});
