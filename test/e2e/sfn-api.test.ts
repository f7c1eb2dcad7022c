import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { promisify } from 'node:util';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  type SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineDoesNotExist,
  StateMachineTypeNotSupported,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { submit } from '../support/http';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { TEST_TABLE_PREFIX } from '../support/global-setup';
import { storePayments, storedPayment } from '../support/reports';
import { freshMonth } from '../support/fresh-months';
import { executionEnd, sfnClient, wholeHistory } from '../support/sfn';
import { paymentBody, paymentSubmission, submissionInput, userCaller } from '#devtools/submissions';
import { CREATED_PATH } from '../support/submissions';

const SUBMIT = 'arn:aws:states:local:000000000000:stateMachine:SubmitPayment';
const REPORT = 'arn:aws:states:local:000000000000:stateMachine:MonthlyReport';

const run = promisify(execFile);

/** Debian's AWS CLI v2 (not a v1 that may come first on PATH), with dummy keys and no profile, pointed at the stack. */
const awsCli = async (endpoint: string, args: string[]): Promise<Record<string, unknown>> => {
  const { stdout } = await run(
    '/usr/bin/aws',
    ['stepfunctions', '--endpoint-url', endpoint, '--output', 'json', ...args],
    {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_DEFAULT_REGION: 'eu-west-2',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_PAGER: '',
      },
    },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
};

describe('the Step Functions API of the local stack, through @aws-sdk/client-sfn', () => {
  let stack: RunningLocalStack;
  let client: SFNClient;
  beforeAll(async () => {
    stack = await startLocalStack();
    client = sfnClient(stack.sfnUrl);
  });
  afterAll(async () => {
    client?.destroy();
    await stack?.stop();
  });

  test('npm start prints the API URL; ListStateMachines and DescribeStateMachine serve both workflows with their ASL', async () => {
    expect(stack.output()).toContain(`Step Functions  http://localhost:${new URL(stack.sfnUrl).port}`);
    const { stateMachines } = await client.send(new ListStateMachinesCommand({}));
    expect(stateMachines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          stateMachineArn: SUBMIT,
          name: 'SubmitPayment',
          type: 'EXPRESS',
          creationDate: expect.any(Date),
        }),
        expect.objectContaining({ stateMachineArn: REPORT, name: 'MonthlyReport', type: 'STANDARD' }),
      ]),
    );
    const onePage = await client.send(new ListStateMachinesCommand({ maxResults: 1 }));
    expect(onePage.stateMachines).toHaveLength(1);
    const secondPage = await client.send(new ListStateMachinesCommand({ maxResults: 1, nextToken: onePage.nextToken }));
    expect(secondPage.stateMachines?.[0]?.stateMachineArn).not.toBe(onePage.stateMachines?.[0]?.stateMachineArn);

    const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn: SUBMIT }));
    expect(described).toMatchObject({
      name: 'SubmitPayment',
      type: 'EXPRESS',
      status: 'ACTIVE',
      roleArn: expect.stringMatching(/^arn:aws:iam::/),
    });
    const definition = JSON.parse(described.definition ?? '{}') as {
      StartAt: string;
      States: Record<string, { Resource?: string }>;
    };
    expect(definition.StartAt).toBe('ValidatePayment');
    expect(definition.States.StorePayment?.Resource).toMatch(/^arn:aws:lambda:/);

    await expect(
      client.send(new DescribeStateMachineCommand({ stateMachineArn: `${REPORT}Nope` })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(
      client.send(new DescribeStateMachineCommand({ stateMachineArn: 'not-an-arn' })),
    ).rejects.toBeInstanceOf(InvalidArn);
  });

  test('a submission through the gateway is listed, described and has a Step Functions history', async () => {
    const userId = randomUUID();
    const token = await stack.token({ sub: userId });
    const created = await submit(stack.url, token, paymentSubmission({ userId }));
    expect(created.status).toBe(201);
    const requestId = created.headers.get('x-request-id') ?? '';

    const { executions } = await client.send(new ListExecutionsCommand({ stateMachineArn: SUBMIT, maxResults: 1000 }));
    const execution = executions?.find((candidate) => candidate.name === requestId);
    expect(execution).toMatchObject({
      stateMachineArn: SUBMIT,
      status: 'SUCCEEDED',
      startDate: expect.any(Date),
      stopDate: expect.any(Date),
    });
    const executionArn = execution?.executionArn ?? '';

    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(JSON.parse(described.input ?? '{}')).toMatchObject({ requestId, caller: { sub: userId } });
    expect(JSON.parse(described.output ?? '{}')).toMatchObject({ statusCode: 201 });

    const history = await wholeHistory(client, executionArn, 4);
    expect(history.map((event) => event.id)).toEqual(history.map((_, index) => index + 1));
    expect(history[0]).toMatchObject({ type: 'ExecutionStarted', previousEventId: 0, timestamp: expect.any(Date) });
    expect(history.at(-1)?.type).toBe('ExecutionSucceeded');
    const path = history.flatMap((event) =>
      event.type?.endsWith('StateEntered') ? [event.stateEnteredEventDetails?.name] : [],
    );
    expect(path).toEqual(CREATED_PATH);
    expect(history.find((event) => event.stateEnteredEventDetails?.name === 'IsReplay')?.type).toBe(
      'ChoiceStateEntered',
    );
    expect(history.map((event) => event.type)).toEqual(
      expect.arrayContaining([
        'TaskStateEntered',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionSucceeded',
        'TaskStateExited',
      ]),
    );
    const scheduled = history.find((event) => event.type === 'LambdaFunctionScheduled');
    expect(scheduled?.lambdaFunctionScheduledEventDetails?.resource).toMatch(/^arn:aws:lambda:.*ValidatePayment$/);

    const reversed = await client.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, includeExecutionData: false }),
    );
    expect(reversed.events?.map((event) => event.id)).toEqual(history.map((event) => event.id).reverse());
    expect(reversed.events?.at(-1)?.executionStartedEventDetails?.input).toBeUndefined();
    expect(history[0]?.executionStartedEventDetails?.input).toContain(requestId);
  });

  test('StartSyncExecution runs a submission with the real handlers; a rejected one is found by its request id', async () => {
    const userId = randomUUID();
    const input = submissionInput(paymentBody({ userId, amount: '-1' }), userCaller(userId));
    const answer = await client.send(
      new StartSyncExecutionCommand({ stateMachineArn: SUBMIT, name: input.requestId, input: JSON.stringify(input) }),
    );
    expect(answer).toMatchObject({ status: 'SUCCEEDED', name: input.requestId, stateMachineArn: SUBMIT });
    expect(JSON.parse(answer.output ?? '{}')).toMatchObject({ statusCode: 400 });
    const described = await client.send(new DescribeExecutionCommand({ executionArn: answer.executionArn }));
    expect(described.status).toBe('SUCCEEDED');

    await expect(
      client.send(new StartSyncExecutionCommand({ stateMachineArn: REPORT, input: '{}' })),
    ).rejects.toBeInstanceOf(StateMachineTypeNotSupported);
  });

  test('StartExecution of the report workflow runs in the background until SUCCEEDED; status filter and names', async () => {
    const month = freshMonth();
    const name = `report-${month}-${randomUUID()}`;
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn: REPORT, name, input: JSON.stringify({ month }) }),
    );
    expect(started.executionArn).toBe(`arn:aws:states:local:000000000000:execution:MonthlyReport:${name}`);
    expect(started.startDate).toEqual(expect.any(Date));

    const ended = await executionEnd(client, started.executionArn ?? '');
    expect(ended.status).toBe('SUCCEEDED');
    expect(JSON.parse(ended.output ?? '{}')).toMatchObject({ month, users: 0 });

    const succeeded = await client.send(
      new ListExecutionsCommand({ stateMachineArn: REPORT, statusFilter: 'SUCCEEDED', maxResults: 1000 }),
    );
    expect(succeeded.executions?.map((execution) => execution.executionArn)).toContain(started.executionArn);
    const failed = await client.send(new ListExecutionsCommand({ stateMachineArn: REPORT, statusFilter: 'FAILED' }));
    expect(failed.executions?.map((execution) => execution.executionArn)).not.toContain(started.executionArn);

    await expect(
      client.send(
        new StartExecutionCommand({ stateMachineArn: REPORT, name, input: JSON.stringify({ month: '2026-01' }) }),
      ),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: REPORT, name: 'has space', input: '{}' })),
    ).rejects.toBeInstanceOf(InvalidName);
    await expect(
      client.send(new StartExecutionCommand({ stateMachineArn: REPORT, input: '{not json' })),
    ).rejects.toBeInstanceOf(InvalidExecutionInput);
  });

  test('two StartExecution calls of one name at once start one execution (the same start twice is idempotent)', async () => {
    const month = freshMonth();
    const name = `report-${month}-${randomUUID()}`;
    const start = () =>
      client.send(new StartExecutionCommand({ stateMachineArn: REPORT, name, input: JSON.stringify({ month }) }));
    const answers = await Promise.all([start(), start(), start()]);
    expect(new Set(answers.map((answer) => answer.executionArn)).size).toBe(1);
    await executionEnd(client, answers[0]!.executionArn ?? '');
    const listed = await client.send(new ListExecutionsCommand({ stateMachineArn: REPORT, maxResults: 1000 }));
    expect(listed.executions?.filter((execution) => execution.name === name)).toHaveLength(1);
    const history = await client.send(
      new GetExecutionHistoryCommand({ executionArn: answers[0]!.executionArn ?? '', maxResults: 1000 }),
    );
    expect(history.events?.filter((event) => event.type === 'ExecutionStarted')).toHaveLength(1);
  });

  test('ListExecutions pages with nextToken, newest first, and refuses a token it did not give', async () => {
    const userId = randomUUID();
    const token = await stack.token({ sub: userId });
    for (let index = 0; index < 3; index += 1)
      expect((await submit(stack.url, token, paymentSubmission({ userId }))).status).toBe(201);

    const all =
      (await client.send(new ListExecutionsCommand({ stateMachineArn: SUBMIT, maxResults: 1000 }))).executions ?? [];
    expect(all.length).toBeGreaterThanOrEqual(3);
    const paged: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(new ListExecutionsCommand({ stateMachineArn: SUBMIT, maxResults: 2, nextToken }));
      expect(page.executions?.length).toBeLessThanOrEqual(2);
      paged.push(...(page.executions ?? []).map((execution) => execution.executionArn ?? ''));
      nextToken = page.nextToken;
    } while (nextToken && paged.length < all.length);
    expect(paged.slice(0, all.length)).toEqual(all.map((execution) => execution.executionArn));
    const startDates = all.map((execution) => execution.startDate?.getTime() ?? 0);
    expect(startDates).toEqual([...startDates].sort((a, b) => b - a));

    await expect(
      client.send(new ListExecutionsCommand({ stateMachineArn: SUBMIT, nextToken: 'bogus' })),
    ).rejects.toBeInstanceOf(InvalidToken);
  });

  test('unknown and malformed execution ARNs are typed errors', async () => {
    const missing = `arn:aws:states:local:000000000000:execution:MonthlyReport:${randomUUID()}`;
    const error = await client
      .send(new DescribeExecutionCommand({ executionArn: missing }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ExecutionDoesNotExist);
    expect((error as ExecutionDoesNotExist).$metadata.httpStatusCode).toBe(400);
    await expect(client.send(new GetExecutionHistoryCommand({ executionArn: missing }))).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
    await expect(client.send(new StopExecutionCommand({ executionArn: missing }))).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
    await expect(
      client.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:nope' })),
    ).rejects.toBeInstanceOf(InvalidArn);
  });

  test('the AWS CLI (Debian awscli) works unchanged with --endpoint-url: list, start, describe, list executions, history', async () => {
    const machines = await awsCli(stack.sfnUrl, ['list-state-machines']);
    expect(machines.stateMachines).toEqual(
      expect.arrayContaining([expect.objectContaining({ stateMachineArn: REPORT, type: 'STANDARD' })]),
    );

    const month = freshMonth();
    const started = await awsCli(stack.sfnUrl, [
      'start-execution',
      '--state-machine-arn',
      REPORT,
      '--input',
      JSON.stringify({ month }),
    ]);
    const executionArn = String(started.executionArn);
    expect(executionArn).toContain(':execution:MonthlyReport:');
    await executionEnd(client, executionArn);

    const described = await awsCli(stack.sfnUrl, ['describe-execution', '--execution-arn', executionArn]);
    expect(described).toMatchObject({ executionArn, status: 'SUCCEEDED', input: JSON.stringify({ month }) });
    const listed = await awsCli(stack.sfnUrl, [
      'list-executions',
      '--state-machine-arn',
      REPORT,
      '--status-filter',
      'SUCCEEDED',
    ]);
    expect((listed.executions as Array<{ executionArn: string }>).map((execution) => execution.executionArn)).toContain(
      executionArn,
    );
    const history = await awsCli(stack.sfnUrl, [
      'get-execution-history',
      '--execution-arn',
      executionArn,
      '--reverse-order',
    ]);
    const types = (history.events as Array<{ type: string }>).map((event) => event.type);
    expect(types[0]).toBe('ExecutionSucceeded');
    expect(types.at(-1)).toBe('ExecutionStarted');
    expect(types).toContain('MapStateEntered');
  });

  test('answers only requests addressed to this machine: a DNS-rebinding Host gets an AWS-shaped 403 and starts nothing', async () => {
    // What a page on rebind.attacker.example (resolved to 127.0.0.1) would send: a forged
    // integration caller, for a user of its choosing.
    const call = (host: string, target: string, body: unknown) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> }>(
        (resolve, reject) => {
          const request = httpRequest(
            `${stack.sfnUrl}/`,
            {
              method: 'POST',
              headers: {
                Host: host,
                'Content-Type': 'application/x-amz-json-1.0',
                'X-Amz-Target': `AWSStepFunctions.${target}`,
              },
            },
            (response) => {
              let text = '';
              response.setEncoding('utf8');
              response.on('data', (chunk: string) => (text += chunk));
              response.on('end', () =>
                resolve({
                  status: response.statusCode ?? 0,
                  headers: response.headers,
                  body: JSON.parse(text) as Record<string, unknown>,
                }),
              );
            },
          );
          request.on('error', reject);
          request.end(JSON.stringify(body));
        },
      );
    const port = new URL(stack.sfnUrl).port;
    const body = paymentBody();
    const input = submissionInput(body, {
      sub: 'forged-integration',
      clientId: 'forged-integration',
      scope: 'payments/write payments/submit-on-behalf',
    });
    const name = randomUUID();

    const refused = await call(`rebind.attacker.example:${port}`, 'StartSyncExecution', {
      stateMachineArn: SUBMIT,
      name,
      input: JSON.stringify(input),
    });
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(refused.body).toEqual({ __type: 'AccessDeniedException', message: expect.stringContaining('localhost') });
    expect((await call(`rebind.attacker.example:${port}`, 'ListStateMachines', {})).status).toBe(403);
    const { executions } = await client.send(new ListExecutionsCommand({ stateMachineArn: SUBMIT, maxResults: 1000 }));
    expect(executions?.map((execution) => execution.name)).not.toContain(name);

    // The same calls addressed to localhost (and with the SDK's sync- prefix) are served.
    expect((await call(`localhost:${port}`, 'ListStateMachines', {})).status).toBe(200);
    expect((await call(`sync-localhost:${port}`, 'ListStateMachines', {})).status).toBe(200);
  });
});

describe('StopExecution of a report run the stack is running', () => {
  let stack: RunningLocalStack;
  let client: SFNClient;
  beforeAll(async () => {
    // BuildReports always fails (and is retried with backoff): a month with a user runs for seconds, long enough to be
    // stopped. A stack of its own: the report runs of the other tests end in a second, not after that backoff. The
    // run's shared tables let the test store payments of a fresh month directly.
    stack = await startLocalStack({
      tablePrefix: TEST_TABLE_PREFIX,
      env: { LOCAL_INJECT_FAULTS: 'BuildReports:Lambda.ServiceException' },
    });
    client = sfnClient(stack.sfnUrl);
  });
  afterAll(async () => {
    client?.destroy();
    await stack?.stop();
  });

  test('StopExecution aborts a running report run: ABORTED, with the error and cause given, and ExecutionAborted last in its history', async () => {
    const month = freshMonth();
    await storePayments([storedPayment({ userId: randomUUID(), timestamp: `${month}-02T10:00:00.000Z` })]);
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn: REPORT, input: JSON.stringify({ month }) }),
    );

    const stopped = await client.send(
      new StopExecutionCommand({ executionArn: started.executionArn, error: 'Operator', cause: 'stopped by the test' }),
    );
    expect(stopped.stopDate).toEqual(expect.any(Date));

    const described = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(described).toMatchObject({
      status: 'ABORTED',
      error: 'Operator',
      cause: 'stopped by the test',
      stopDate: expect.any(Date),
    });
    const history = await wholeHistory(client, started.executionArn ?? '', 100);
    expect(history.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Operator' },
    });
    const aborted = await client.send(new ListExecutionsCommand({ stateMachineArn: REPORT, statusFilter: 'ABORTED' }));
    expect(aborted.executions?.map((execution) => execution.executionArn)).toContain(started.executionArn);
  });
});
