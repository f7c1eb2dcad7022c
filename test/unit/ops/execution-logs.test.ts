import { type CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  ExecutionLogs,
  executionEventsQuery,
  executionFromEvents,
  executionEndsQuery,
  lifecycleQuery,
  paymentStartsQuery,
  parseExecutionLogEvent,
} from '#ops/execution-logs';
import { executionPath } from '#ops/execution-path';
import { toAttempt } from '#ops/trace';
import { EXECUTION_ARN, EXECUTION_LOG_MESSAGES, PAYMENT_ID } from './fixtures/express-execution-log';

/** A Logs client double: answers StartQuery with an id, then GetQueryResults Running once, then the rows. */
const logsClient = (messages: string[]) => {
  const sent: unknown[] = [];
  let polls = 0;
  const client = {
    send: jest.fn(async (command: unknown) => {
      sent.push(command);
      if (command instanceof StartQueryCommand) return { queryId: 'q-1' };
      if (command instanceof GetQueryResultsCommand) {
        polls += 1;
        if (polls === 1) return { status: 'Running' };
        return {
          status: 'Complete',
          results: messages.map((message) => [
            { field: '@timestamp', value: 'x' },
            { field: '@message', value: message },
          ]),
        };
      }
      throw new Error('unexpected command');
    }),
  };
  return { client: client as unknown as CloudWatchLogsClient, sent };
};

describe('Express executions from their CloudWatch log events', () => {
  test('a log event parses to its execution and a history event; other lines are skipped', () => {
    expect(parseExecutionLogEvent(EXECUTION_LOG_MESSAGES[9]!)).toEqual({
      executionArn: EXECUTION_ARN,
      event: {
        id: 10,
        type: 'LambdaFunctionFailed',
        timestamp: new Date(1_793_527_200_050),
        details: { error: 'NotPaymentOwner', cause: '{"errorMessage":"u-2 may not submit for u-1"}' },
      },
    });
    expect(parseExecutionLogEvent('START RequestId: 1')).toBeUndefined();
    expect(parseExecutionLogEvent('{"level":"INFO"}')).toBeUndefined();
  });

  test('the events make the execution: ids, input, output, and the path with its decisions', () => {
    const events = EXECUTION_LOG_MESSAGES.map((message) => parseExecutionLogEvent(message)!.event).reverse();
    const execution = executionFromEvents(EXECUTION_ARN, events);
    expect(execution).toMatchObject({
      executionArn: EXECUTION_ARN,
      stateMachineArn:
        'arn:aws:states:eu-west-2:123456789012:stateMachine:SubmitPaymentWorkflowStateMachine0A1B2C3D-abc',
      workflow: 'submit',
      name: '9f2c1e7a-1111-4222-8333-444455556666',
      status: 'SUCCEEDED',
      paymentId: PAYMENT_ID,
      requestId: '9f2c1e7a-1111-4222-8333-444455556666',
      startDate: new Date(1_793_527_200_000),
      stopDate: new Date(1_793_527_200_054),
      output: { statusCode: 403 },
    });
    expect(execution.events.map((event) => event.id)).toEqual(EXECUTION_LOG_MESSAGES.map((_, index) => index + 1));
    expect(executionPath(execution.events)).toEqual([
      expect.objectContaining({
        state: 'ValidatePayment',
        type: 'Task',
        durationMs: 30,
        decision: '-> AuthorizeOwner',
      }),
      expect.objectContaining({
        state: 'AuthorizeOwner',
        durationMs: 19,
        decision: 'caught NotPaymentOwner -> Forbidden',
        error: 'NotPaymentOwner',
      }),
      expect.objectContaining({ state: 'Forbidden', type: 'Pass', decision: '-> RespondWithProblem' }),
      expect.objectContaining({ state: 'RespondWithProblem', decision: 'end' }),
    ]);
    expect(toAttempt(execution)).toMatchObject({
      user: 'u-2',
      clientId: 'web-app',
      httpStatus: 403,
      outcome: 'not-payment-owner',
    });
  });

  test('listing a payment finds its start events, then their ends by ARN, over the window, and pairs them', async () => {
    const lifecycle = EXECUTION_LOG_MESSAGES.filter((message) => /"type":"Execution/.test(message));
    const { client, sent } = logsClient(lifecycle);
    const logs = new ExecutionLogs(client, {
      logGroupNames: ['/aws/vendedlogs/states/submit'],
      pollMs: 0,
      until: new Date(1_793_600_000_000),
    });

    const listed = await logs.executions({ paymentId: PAYMENT_ID, since: new Date(1_793_500_000_000) });

    expect(listed).toEqual([
      expect.objectContaining({ executionArn: EXECUTION_ARN, status: 'SUCCEEDED', paymentId: PAYMENT_ID }),
    ]);
    expect(sent[0]).toBeInstanceOf(StartQueryCommand);
    expect((sent[0] as StartQueryCommand).input).toMatchObject({
      logGroupNames: ['/aws/vendedlogs/states/submit'],
      startTime: 1_793_500_000,
      endTime: 1_793_600_000,
      queryString: paymentStartsQuery(PAYMENT_ID),
    });
    expect(paymentStartsQuery(PAYMENT_ID)).toContain(
      `type = "ExecutionStarted" and details.input like "${PAYMENT_ID}"`,
    );
    const queries = sent
      .filter((command) => command instanceof StartQueryCommand)
      .map((command) => (command as StartQueryCommand).input.queryString);
    expect(queries).toEqual([paymentStartsQuery(PAYMENT_ID), executionEndsQuery([EXECUTION_ARN])]);
    expect(executionEndsQuery([EXECUTION_ARN])).toContain(`execution_arn in ["${EXECUTION_ARN}"]`);
  });

  test("a listing carries each submission's HTTP answer (a refusal SUCCEEDS) and filters by it", async () => {
    const lifecycle = EXECUTION_LOG_MESSAGES.filter((message) => /"type":"Execution/.test(message));
    const listed = (answer?: string) =>
      new ExecutionLogs(logsClient(lifecycle).client, { logGroupNames: ['g'], pollMs: 0 }).executions({
        since: new Date(0),
        ...(answer ? { answer } : {}),
      });
    expect(await listed()).toEqual([
      expect.objectContaining({ executionArn: EXECUTION_ARN, status: 'SUCCEEDED', httpStatus: 403 }),
    ]);
    expect((await listed('4xx')).map((listing) => listing.httpStatus)).toEqual([403]);
    expect((await listed('403')).map((listing) => listing.httpStatus)).toEqual([403]);
    expect(await listed('409')).toEqual([]);
    expect(await listed('2xx')).toEqual([]);
  });

  test('a listing cut at the 10,000-row limit says so', async () => {
    const start = EXECUTION_LOG_MESSAGES.find((message) => message.includes('"type":"ExecutionStarted"'))!;
    const warnings: string[] = [];
    const logs = new ExecutionLogs(logsClient(Array.from({ length: 10_000 }, () => start)).client, {
      logGroupNames: ['g'],
      pollMs: 0,
      warn: (message) => warnings.push(message),
    });
    await logs.executions({ since: new Date(0) });
    expect(warnings).toEqual([expect.stringContaining('--since')]);
    const quiet: string[] = [];
    await new ExecutionLogs(logsClient([start]).client, {
      logGroupNames: ['g'],
      pollMs: 0,
      warn: (message) => quiet.push(message),
    }).executions({ since: new Date(0) });
    expect(quiet).toEqual([]);
  });

  test('one execution: the events query by ARN; a status filter and an unquotable id are handled', async () => {
    const { client, sent } = logsClient(EXECUTION_LOG_MESSAGES);
    const logs = new ExecutionLogs(client, { logGroupNames: ['g'], pollMs: 0 });
    expect((await logs.execution(EXECUTION_ARN, new Date(0))).events).toHaveLength(16);
    expect((sent[0] as StartQueryCommand).input.queryString).toBe(executionEventsQuery(EXECUTION_ARN));
    expect(executionEventsQuery(EXECUTION_ARN)).toContain(`filter execution_arn = "${EXECUTION_ARN}"`);

    const failedOnly = new ExecutionLogs(logsClient(EXECUTION_LOG_MESSAGES).client, {
      logGroupNames: ['g'],
      pollMs: 0,
    });
    expect(await failedOnly.executions({ status: 'FAILED', since: new Date(0) })).toEqual([]);
    expect(() => paymentStartsQuery('x" | display @message')).toThrow('Not an id or ARN');
    expect(lifecycleQuery()).not.toContain('details.input');
  });
});
