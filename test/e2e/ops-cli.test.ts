import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { runOps } from '#ops/cli';
import { UsageError } from '#devtools/cli-runner';
import { postPayment, submit } from '../support/http';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { executionEnd, sfnClient, submitPastTheGateway } from '../support/sfn';
import { paymentSubmission } from '#devtools/submissions';
import { CREATED_PATH } from '../support/submissions';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { MONTH_SHARDS } from '#contract/tables';
import { typeScriptProcess } from '#devtools/typescript-process';

/** A client id that retitles the terminal (OSC), clears it (CSI), starts a C1 CSI and reverses the text (bidi). */
const FORGED = '\u001b]0;owned\u0007\u001b[2J\u009b31m\u202eapp';
/** Any control character but the line breaks of the output itself. */
const TERMINAL_CONTROL = /(?!\n)[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;
const REPORT = 'arn:aws:states:local:000000000000:stateMachine:MonthlyReport';
const run = promisify(execFile);

const targetOf = (stack: RunningLocalStack): string[] => [
  '--endpoint',
  stack.sfnUrl,
  '--dynamodb-endpoint',
  stack.dynamoDbEndpoint,
  '--payments-table',
  stack.tableNames.payments,
];

/** `npm run ops -- <args>` as a process (the command behind the script) against the stack: its API, DynamoDB and tables. */
const opsProcess = async (stack: RunningLocalStack, args: string[]): Promise<string> => {
  const { stdout } = await run(...typeScriptProcess('ops/cli.ts', [...args, ...targetOf(stack)]), {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return stdout;
};

/** The same command in this process (a process start costs seconds on a busy machine): what it prints. */
const ops = async (stack: RunningLocalStack, args: string[]): Promise<string> => {
  const printed: string[] = [];
  expect(await runOps([...args, ...targetOf(stack)], (text) => printed.push(text))).toBe(0);
  return `${printed.join('\n')}\n`;
};

const opsJson = async <Result>(stack: RunningLocalStack, args: string[]): Promise<Result> =>
  JSON.parse(await ops(stack, [...args, '--json'])) as Result;

/** The column a header starts at, and the cell of a row that starts there. */
const cellUnder = (header: string, row: string, column: string): string =>
  row.slice(header.indexOf(column)).split(/\s{2,}/)[0] ?? '';

interface Listing {
  executionArn: string;
  workflow: string;
  status: string;
  paymentId?: string;
}

interface Trace {
  attempts: Array<{
    executionArn: string;
    requestId: string;
    user: string;
    clientId: string;
    httpStatus: number;
    outcome: string;
    steps: Array<{ state: string; decision: string }>;
  }>;
  stored?: Record<string, unknown>;
  reports: Array<{ month: string; userId: string; commitment: string; streak: number }>;
}

/** One stack for both describes: each writes payments of its own users, and the second runs after the first. */
let stack: RunningLocalStack;
beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('npm run ops against the local stack', () => {
  const userId = randomUUID();
  const body = paymentSubmission({ userId, timestamp: '2026-10-05T09:30:00Z', description: 'Gym' });
  const paymentId = body.id;
  const requestIds: string[] = [];

  beforeAll(async () => {
    // Rejected twice (a body that is not JSON but names the id: 400; another user's token: 403),
    // then accepted (201), then replayed (200).
    const intruder = randomUUID();
    const answers = [
      // Raw: not JSON, which the typed client cannot send.
      await postPayment(stack.url, {
        token: await stack.token({ sub: userId }),
        body: `{"id": "${paymentId}", "userId": `,
      }),
      await submit(stack.url, await stack.token({ sub: intruder }), body),
      await submit(stack.url, await stack.token({ sub: userId }), body),
      await submit(stack.url, await stack.token({ sub: userId }), body),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([400, 403, 201, 200]);
    requestIds.push(...answers.map((answer) => answer.headers.get('x-request-id') ?? ''));
  });

  test('trace: the rejected (400, 403), accepted and replayed attempts in order, with the caller and outcome, and the stored item', async () => {
    const trace = await opsJson<Trace>(stack, ['trace', paymentId]);
    expect(trace.attempts.map(({ requestId, httpStatus, outcome }) => ({ requestId, httpStatus, outcome }))).toEqual([
      { requestId: requestIds[0], httpStatus: 400, outcome: 'invalid-json' },
      { requestId: requestIds[1], httpStatus: 403, outcome: 'not-payment-owner' },
      { requestId: requestIds[2], httpStatus: 201, outcome: 'created' },
      { requestId: requestIds[3], httpStatus: 200, outcome: 'replayed' },
    ]);
    expect(trace.attempts[1]?.user).not.toBe(userId);
    expect([0, 2, 3].map((index) => trace.attempts[index]?.user)).toEqual([userId, userId, userId]);
    expect(trace.attempts.every((attempt) => attempt.clientId === 'local-user-app')).toBe(true);
    expect(trace.attempts[0]?.steps.find((step) => step.state === 'ValidatePayment')?.decision).toBe(
      'caught InvalidJson -> BadRequest',
    );
    expect(trace.attempts[1]?.steps.find((step) => step.state === 'AuthorizeOwner')?.decision).toBe(
      'caught NotPaymentOwner -> Forbidden',
    );
    expect(trace.attempts[2]?.steps.map((step) => step.state)).toEqual(CREATED_PATH);
    expect(trace.attempts[3]?.steps.find((step) => step.state === 'IsReplay')?.decision).toBe('-> RespondReplayed');
    expect(trace.stored).toMatchObject({
      id: paymentId,
      userId,
      requestId: requestIds[2],
      executionArn: trace.attempts[2]?.executionArn,
      clientId: 'local-user-app',
    });
    expect(trace.reports).toEqual([]);

    // As an auditor runs it: npm run ops, its own process, aligned tables.
    const text = await opsProcess(stack, ['trace', paymentId]);
    const lines = text.split('\n');
    const header = lines.find((line) => line.startsWith('#  STARTED')) ?? '';
    const rows = lines.slice(lines.indexOf(header) + 1, lines.indexOf(header) + 5);
    expect(rows.map((row) => cellUnder(header, row, 'OUTCOME'))).toEqual([
      'invalid-json',
      'not-payment-owner',
      'created',
      'replayed',
    ]);
    expect(rows.map((row) => cellUnder(header, row, 'HTTP'))).toEqual(['400', '403', '201', '200']);
    expect(rows.map((row) => cellUnder(header, row, 'REQUEST ID'))).toEqual(requestIds);
    expect(text).toContain('Stored payment:');
    expect(text).toMatch(/executionArn\s+arn:aws:states:local:000000000000:express:SubmitPayment:/);
  });

  test('trace after the month is reported: the report that includes the payment', async () => {
    const client = sfnClient(stack.sfnUrl);
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn: REPORT, input: JSON.stringify({ month: '2026-10' }) }),
    );
    expect((await executionEnd(client, started.executionArn ?? '')).status).toBe('SUCCEEDED');
    client.destroy();

    const trace = await opsJson<Trace>(stack, ['trace', paymentId]);
    expect(trace.reports).toEqual([{ month: '2026-10', userId, commitment: 'Gym', streak: 1 }]);
    expect(await ops(stack, ['trace', paymentId])).toMatch(/2026-10\s+\S+\s+Gym\s+1/);

    const reports = await opsJson<Listing[]>(stack, ['executions', '--workflow', 'report']);
    expect(reports.map((listing) => listing.executionArn)).toContain(started.executionArn);
    expect(reports.every((listing) => listing.workflow === 'report')).toBe(true);
    // The run's 64 shard executions belong to its map run: as in AWS, they are not listed beside it.
    const everything = await opsJson<Listing[]>(stack, ['executions']);
    expect(everything.filter((listing) => listing.executionArn.includes(':MonthlyReport/'))).toEqual([]);
    expect(everything.map((listing) => listing.executionArn)).toContain(started.executionArn);

    // They are under the run's map run instead (ListMapRuns, then ListExecutions by its mapRunArn, as in AWS).
    const described = await opsJson<{ mapRuns: Array<{ mapRunArn: string; executions: Listing[] }> }>(stack, [
      'execution',
      started.executionArn ?? '',
    ]);
    // Two map runs: the report shards, then their furnishing parts; each a child per shard, all SUCCEEDED.
    const mapOf = (arn: string) => /:mapRun:MonthlyReport\/(\w+):/.exec(arn)?.[1];
    expect(described.mapRuns.map((run) => mapOf(run.mapRunArn)).sort()).toEqual(['FurnishShard', 'ReportShard']);
    for (const run of described.mapRuns) {
      expect(run.executions).toHaveLength(MONTH_SHARDS);
      expect(run.executions.every((child) => child.status === 'SUCCEEDED')).toBe(true);
    }
    expect(await ops(stack, ['execution', started.executionArn ?? ''])).toMatch(
      new RegExp(`Map run \\S+: ${MONTH_SHARDS} child executions \\(${MONTH_SHARDS} SUCCEEDED\\)`),
    );
  });

  test('executions: refusals by their HTTP answer (a refused submission SUCCEEDS), as a column and with --answer', async () => {
    const owner = randomUUID();
    const token = await stack.token({ sub: owner });
    const payment = paymentSubmission({ userId: owner, timestamp: '2026-10-07T09:30:00Z', description: 'Rent' });
    const answers = [
      await postPayment(stack.url, { token, body: JSON.stringify({ ...payment, amount: 'abc' }) }),
      await submit(stack.url, token, payment),
      await submit(stack.url, token, { ...payment, description: 'Not rent' }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([400, 201, 409]);
    const listed = (args: string[]) => opsJson<Array<Listing & { httpStatus: number }>>(stack, ['executions', ...args]);
    const mine = ['--payment', payment.id];

    expect((await listed(mine)).map((listing) => [listing.status, listing.httpStatus])).toEqual([
      ['SUCCEEDED', 409],
      ['SUCCEEDED', 201],
      ['SUCCEEDED', 400],
    ]);
    expect((await listed([...mine, '--answer', '4xx'])).map((listing) => listing.httpStatus)).toEqual([409, 400]);
    expect((await listed([...mine, '--answer', '409'])).map((listing) => listing.httpStatus)).toEqual([409]);
    expect(await listed([...mine, '--answer', '5xx'])).toEqual([]);
    // Without a payment: every refusal of the stack, and nothing else (report runs have no answer).
    const refusals = await listed(['--answer', '4xx']);
    expect(refusals.length).toBeGreaterThanOrEqual(4);
    expect(refusals.every((listing) => listing.workflow === 'submit' && listing.httpStatus >= 400)).toBe(true);

    const text = await opsProcess(stack, ['executions', ...mine, '--answer', '409']);
    const [header = '', ...rows] = text.trim().split('\n');
    expect(rows.map((row) => [cellUnder(header, row, 'STATUS'), cellUnder(header, row, 'HTTP')])).toEqual([
      ['SUCCEEDED', '409'],
    ]);
    await expect(ops(stack, ['executions', '--answer', '4x'])).rejects.toBeInstanceOf(UsageError);
  });

  test('a forged client id and a payment id carrying terminal escapes print as visible escapes; JSON keeps them exact', async () => {
    const owner = randomUUID();
    const payment = paymentSubmission({ userId: owner, description: 'Gym' });
    // The client id past the gateway (which admits only registered clients), the payment id through it (refused, listed).
    const client = sfnClient(stack.sfnUrl);
    await submitPastTheGateway(client, JSON.stringify(payment), { sub: owner, clientId: FORGED, scope: '' });
    client.destroy();
    const refused = await postPayment(stack.url, {
      token: await stack.token({ sub: owner }),
      body: JSON.stringify({ ...payment, id: FORGED }),
    });
    expect(refused.status).toBe(400);

    for (const args of [
      ['trace', payment.id],
      ['execution', payment.id],
      ['executions', '--answer', '400'],
    ]) {
      const text = await opsProcess(stack, args);
      expect(TERMINAL_CONTROL.exec(text)).toBeNull();
      // `execution` shows no caller; the others show the client id, or the refused body's payment id.
      if (args[0] !== 'execution') expect(text).toContain('\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202e');
    }
    const trace = JSON.parse(await opsProcess(stack, ['trace', payment.id, '--json'])) as Trace;
    expect(trace.attempts.map((attempt) => attempt.clientId)).toEqual([FORGED]);
  });

  test('executions: filtered by payment, status, workflow and time, as a table and as JSON', async () => {
    const byPayment = await opsJson<Listing[]>(stack, [
      'executions',
      '--payment',
      paymentId,
      '--status',
      'SUCCEEDED',
      '--since',
      '1h',
    ]);
    expect(byPayment.map((listing) => listing.paymentId)).toEqual([paymentId, paymentId, paymentId, paymentId]);
    expect(await opsJson<Listing[]>(stack, ['executions', '--payment', paymentId, '--status', 'FAILED'])).toEqual([]);
    expect(
      await opsJson<Listing[]>(stack, ['executions', '--payment', paymentId, '--since', '2999-01-01T00:00:00Z']),
    ).toEqual([]);

    const text = await ops(stack, ['executions', '--workflow', 'submit', '--payment', paymentId]);
    const [header = '', ...rows] = text.trim().split('\n');
    expect(header).toMatch(/^STARTED\s+WORKFLOW\s+STATUS\s+HTTP\s+DURATION\s+PAYMENT\s+ERROR\s+EXECUTION$/);
    expect(rows).toHaveLength(4);
    expect(rows.map((row) => cellUnder(header, row, 'HTTP'))).toEqual(['200', '201', '403', '400']);
    for (const row of rows) {
      expect(cellUnder(header, row, 'STATUS')).toBe('SUCCEEDED');
      expect(cellUnder(header, row, 'PAYMENT')).toBe(paymentId);
      expect(cellUnder(header, row, 'EXECUTION')).toMatch(/^arn:aws:states:local:000000000000:express:SubmitPayment:/);
    }
  });

  test('execution: by ARN, the path with each decision; by payment id, the execution that stored it', async () => {
    const rejectedArn = (await opsJson<Trace>(stack, ['trace', paymentId])).attempts[1]?.executionArn ?? '';
    const text = await ops(stack, ['execution', rejectedArn]);
    const lines = text.split('\n');
    const header = lines.find((line) => line.startsWith('STATE')) ?? '';
    const authorize = lines.find((line) => line.startsWith('AuthorizeOwner')) ?? '';
    expect(cellUnder(header, authorize, 'DECISION')).toBe('caught NotPaymentOwner -> Forbidden');
    expect(cellUnder(header, authorize, 'ERROR')).toMatch(/^NotPaymentOwner/);
    expect(cellUnder(header, authorize, 'DURATION')).toMatch(/^\d+(\.\d)? (ms|s)$/);
    expect(text).toContain(`Payment    ${paymentId}`);

    const stored = await opsJson<{ executionArn: string; requestId: string; path: Array<{ state: string }> }>(stack, [
      'execution',
      paymentId,
    ]);
    expect(stored.requestId).toBe(requestIds[2]);
    expect(stored.path.map((step) => step.state)).toContain('StorePayment');
  });

  test('a bad option is a usage error (exit 2); an unknown payment says so (exit 1)', async () => {
    await expect(ops(stack, ['executions', '--status', 'BROKEN'])).rejects.toBeInstanceOf(UsageError);
    await expect(opsProcess(stack, ['trace', randomUUID()])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Nothing known about payment'),
    });
  });
});

describe('npm run ops finds the stack by the settings npm start and npm run report use', () => {
  // The stack is on the run's shared DynamoDB Local (a JVM of its own would cost seconds of CPU and prove nothing more
  // here): the CLIs below are given its port as DYNAMODB_PORT, not DYNAMODB_ENDPOINT, as npm start's own would be named.
  test('with only PORT, SFN_PORT, DYNAMODB_PORT, TABLE_PREFIX and DATA_DIR set (no --endpoint options), report and trace reach the same stack', async () => {
    expect(stack.settingsEnv).toMatchObject({ SFN_PORT: expect.any(String), TABLE_PREFIX: expect.any(String) });
    const dynamoDbPort = new URL(stack.dynamoDbEndpoint).port;
    expect(stack.settingsEnv.SFN_PORT).not.toBe('8083');
    expect(dynamoDbPort).not.toBe('8000');
    const userId = randomUUID();
    const body = paymentSubmission({ userId, description: 'Climbing wall' });
    expect((await submit(stack.url, await stack.token({ sub: userId }), body)).status).toBe(201);

    // The variables only, as a shell that started the stack would have them: nothing else that could name a stack.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...stack.settingsEnv,
      DYNAMODB_PORT: dynamoDbPort,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    for (const name of [
      'DYNAMODB_ENDPOINT',
      'AWS_ENDPOINT_URL_DYNAMODB',
      'PAYMENTS_TABLE_NAME',
      'IDEMPOTENCY_TABLE_NAME',
    ])
      delete env[name];
    await run('npm', ['run', '--silent', 'report', '--', '--month', '2026-10'], { cwd: REPOSITORY_ROOT, env });
    const { stdout } = await run('npm', ['run', '--silent', 'ops', '--', 'trace', body.id, '--json'], {
      cwd: REPOSITORY_ROOT,
      env,
    });

    const trace = JSON.parse(stdout) as Trace;
    expect(trace.attempts.map((attempt) => attempt.httpStatus)).toEqual([201]);
    expect(trace.stored).toMatchObject({ id: body.id, userId, description: 'Climbing wall' });
    expect(trace.reports).toEqual([{ month: '2026-10', userId, commitment: 'Climbing wall', streak: 1 }]);
  });

  test('a port that is not a port number is a usage error naming the variable (exit 2)', async () => {
    const failure = await run('npm', ['run', '--silent', 'ops', '--', 'executions'], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, SFN_PORT: '80a' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining('SFN_PORT must be a port number') });
  });
});
