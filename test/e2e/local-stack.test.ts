import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { paymentIdsOf } from '#devtools/submission-ids';
import { ExecutionStore, executionsDir } from '#local/step-functions/execution-store';
import { ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { submit, storedPayment } from '../support/http';
import { sfnClient } from '../support/sfn';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { paymentSubmission } from '#devtools/submissions';
import { REPOSITORY_ROOT } from '#contract/repository-root';

const run = promisify(execFile);

/** `npm run token`, as a newcomer runs it: the token alone on stdout. */
const npmToken = async (stack: RunningLocalStack, userId: string): Promise<string> => {
  const { stdout } = await run('npm', ['run', '--silent', 'token', '--', '--user', userId], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, PORT: String(stack.port), DATA_DIR: stack.dataDir },
  });
  return stdout;
};

/** A client of the stack's own DynamoDB Local, as any AWS SDK user would make one. */
const sdkClient = (stack: RunningLocalStack): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.dynamoDbEndpoint,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    }),
  );

describe('npm start: the local stack on its own disk DynamoDB', () => {
  const stacks: RunningLocalStack[] = [];
  /** The first test's restarted stack, left running: the second runs a stack beside it (a JVM and a start fewer). */
  let stillRunning: RunningLocalStack | undefined;
  afterAll(async () => {
    await Promise.all(stacks.map((stack) => stack.stop()));
  });

  test('a POST with a token from `npm run token` is stored, replayed, readable with the SDK, and kept across a restart', async () => {
    const stack = await startLocalStack({ viaNpmStart: true, dynamoDbEndpoint: null, tablePrefix: '' });
    stacks.push(stack);
    expect(stack.output()).toContain(`http://localhost:${stack.port}`);
    expect(stack.output()).toContain(stack.dynamoDbEndpoint);
    expect(stack.output()).toContain(`${stack.tableNames.payments}, ${stack.tableNames.idempotency}`);

    const userId = randomUUID();
    const stdout = await npmToken(stack, userId);
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n?$/);
    const token = stdout.trim();
    const body = paymentSubmission({ userId });

    const created = await submit(stack.url, token, body);
    expect(created.status).toBe(201);
    const replayed = await submit(stack.url, token, body);
    expect(replayed.status).toBe(200);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(await storedPayment(sdkClient(stack), stack.tableNames.payments, body.id as string)).toMatchObject({
      id: body.id,
      amount: '9.99',
      amountMinor: 999,
    });

    // Ctrl-C: the stack finishes what is in flight, stops DynamoDB Local, and says so.
    await stack.stop('SIGINT');
    expect(stack.output()).toContain('Stopped.');
    // Both executions are on disk under the data dir, found by payment id and by request id.
    const executions = await ExecutionStore.open(executionsDir(stack.dataDir), { index: paymentIdsOf });
    expect(await executions.list({ indexKey: body.id as string })).toEqual([
      expect.objectContaining({ status: 'SUCCEEDED', requestId: replayed.headers.get('x-request-id') }),
      expect.objectContaining({ status: 'SUCCEEDED', requestId: created.headers.get('x-request-id') }),
    ]);
    // They hold whole bodies and callers: the owner's only, as the signing key is.
    const modeOf = (file: string): number => statSync(file).mode & 0o777;
    const recordsDir = path.join(executionsDir(stack.dataDir), 'records');
    expect([modeOf(executionsDir(stack.dataDir)), modeOf(recordsDir)]).toEqual([0o700, 0o700]);
    const files = [
      path.join(executionsDir(stack.dataDir), 'index.jsonl'),
      ...readdirSync(recordsDir).map((name) => path.join(recordsDir, name)),
    ];
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(files.filter((file) => modeOf(file) !== 0o600)).toEqual([]);
    const restarted = await startLocalStack({
      viaNpmStart: true,
      dynamoDbEndpoint: null,
      tablePrefix: '',
      dataDir: stack.dataDir,
      port: stack.port,
    });
    stacks.push(restarted);
    expect(await storedPayment(sdkClient(restarted), restarted.tableNames.payments, body.id as string)).toMatchObject({
      id: body.id,
    });
    // The restarted stack's Step Functions API lists the executions of before the restart.
    const listed = await sfnClient(restarted.sfnUrl).send(
      new ListExecutionsCommand({ stateMachineArn: 'arn:aws:states:local:000000000000:stateMachine:SubmitPayment' }),
    );
    expect(listed.executions?.map((execution) => execution.name)).toEqual(
      expect.arrayContaining([created.headers.get('x-request-id'), replayed.headers.get('x-request-id')]),
    );
    // The same signing key survives too: the token issued before the restart is still good.
    const again = await submit(restarted.url, token, body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created.body);
    stillRunning = restarted;
  });

  test('two stacks with different ports and data dirs run side by side, each with its own data', async () => {
    // Run alone (jest -t), it starts both.
    const [first, second] = await Promise.all([
      stillRunning ?? startLocalStack({ dynamoDbEndpoint: null, tablePrefix: '' }),
      startLocalStack({ dynamoDbEndpoint: null, tablePrefix: '' }),
    ]);
    stacks.push(...[first, second].filter((stack) => stack !== stillRunning));
    const userId = randomUUID();
    const body = paymentSubmission({ userId });

    const answer = await submit(first!.url, await first!.token({ sub: userId }), body);
    expect(answer.status).toBe(201);
    expect(await storedPayment(sdkClient(first!), first!.tableNames.payments, body.id as string)).toBeDefined();
    expect(await storedPayment(sdkClient(second!), second!.tableNames.payments, body.id as string)).toBeUndefined();

    // Each stack trusts only its own issuer key.
    const foreign = await submit(second!.url, await first!.token({ sub: userId }), body);
    expect(foreign.status).toBe(401);
  });
});
