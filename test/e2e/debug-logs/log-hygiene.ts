import { randomUUID } from 'node:crypto';
import { sharedDebugStack } from '../../support/debug-stack';
import { submit } from '../../support/http';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { paymentSubmission } from '#devtools/submissions';
import { EXECUTION_DATA_PATTERNS } from '../../../infra/constructs/execution-log-protection';

/**
 * Logs are kept for a year and read by more people than the data: they may carry ids, never a
 * payment's description, its amount or a caller's token. Checked on everything a stack at
 * DEBUG prints while it creates, replays, refuses and conflicts.
 */
describe('what a stack at DEBUG logs and keeps', () => {
  let stack: RunningLocalStack;
  /** The first test's submissions and their executions (named by request id), for the execution-data test. */
  const executions: Array<{
    name: string;
    sent: { id: string; userId: string; description: string; amount: string | number };
  }> = [];

  beforeAll(async () => {
    stack = await sharedDebugStack();
  });

  test('at DEBUG, the stack logs ids but no description, amount or token', async () => {
    const userId = randomUUID();
    const token = await stack.token({ sub: userId });
    // Values that cannot appear in a log by chance: ten digits in minor units, where a shorter run could be part of an
    // id or a timestamp of the stack's (and of its neighbours' in debug-logs.test.ts).
    const secret = `Gym ${randomUUID()}`;
    const body = paymentSubmission({ userId, description: secret, amount: '97654321.31' });
    const conflict = { ...body, description: `${secret} changed`, amount: '98765432.42' };
    const invalid = paymentSubmission({ userId, description: `${secret} invalid\u0007`, amount: '96543210.219' });

    const statuses = [];
    for (const sent of [body, body, conflict, invalid]) {
      const answer = await submit(stack.url, token, sent);
      statuses.push(answer.status);
      executions.push({ name: answer.headers.get('x-request-id') as string, sent });
    }
    statuses.push((await submit(stack.url, `${token}x`, body)).status);
    expect(statuses).toEqual([201, 200, 409, 400, 401]);

    const output = stack.output();
    // The ids are there: the log is not simply empty.
    expect(output).toContain(body.id);
    const [header, claims, signature] = token.split('.');
    for (const forbidden of [
      secret,
      'Gym ',
      '97654321.31',
      '9765432131',
      '98765432.42',
      '9876543242',
      '96543210.219',
      header!,
      claims!,
      signature!,
      // The caller's identity: the user id (the token's sub) appears in no log line, in no case.
      userId,
      userId.toUpperCase(),
    ]) {
      expect({ forbidden, found: output.includes(forbidden) }).toEqual({ forbidden, found: false });
    }
  });

  test("execution data (what the deployed execution logs hold): no token ever; user ids, descriptions and amounts masked by the log groups' data protection policy", async () => {
    expect(executions).toHaveLength(4);
    const masked = (text: string): string =>
      EXECUTION_DATA_PATTERNS.reduce((out, { regex }) => out.replace(new RegExp(regex, 'g'), '****'), text);
    for (const { name, sent } of executions) {
      const listed = await fetch(`${stack.url}/console/api/executions?paymentId=${sent.id}`);
      const { executions: found } = (await listed.json()) as {
        executions: Array<{ name: string; executionArn: string }>;
      };
      const arn = found.find((execution) => execution.name === name)?.executionArn as string;
      const answer = await fetch(`${stack.url}/console/api/executions/${encodeURIComponent(arn)}`);
      expect(answer.status).toBe(200);
      // The record with its events' inputs and outputs, as JSON strings inside JSON, as the execution log writes them.
      const text = JSON.stringify(await answer.json());
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\./);
      // Before masking the execution data does carry them (so the check below can fail); after it none is left.
      for (const value of [sent.userId, String(sent.amount)])
        expect({ name, value, found: text.includes(value) }).toEqual({ name, value, found: true });
      const after = masked(text);
      for (const value of [
        sent.userId,
        sent.description.slice(0, 20),
        String(sent.amount),
        String(sent.amount).replace('.', ''),
      ]) {
        expect({ name, value, left: after.includes(value) }).toEqual({ name, value, left: false });
      }
    }
  });
});
