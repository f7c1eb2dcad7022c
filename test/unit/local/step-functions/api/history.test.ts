import { toHistoryEvents } from '#local/step-functions/api/history';
import { decodeToken, encodeToken, page } from '#local/step-functions/api/pagination';
import type { ExecutionRecord } from '#local/step-functions/execution-store';

const task = (name: string, input: unknown) => ({ name, type: 'Task', input });

/** A submission whose CheckIdempotency failed once (retried), then failed again and was caught. */
const record: ExecutionRecord = {
  executionArn: 'arn:aws:states:local:000000000000:express:SubmitPayment:r:1',
  stateMachineArn: 'arn:aws:states:local:000000000000:stateMachine:SubmitPayment',
  name: 'r',
  status: 'SUCCEEDED',
  startDate: '2026-11-01T10:00:00.000Z',
  input: { a: 1 },
  events: [
    { type: 'ExecutionStarted', timestamp: 1000, input: { a: 1 } },
    { type: 'StateEntered', timestamp: 1001, state: task('CheckIdempotency', { a: 1 }) },
    {
      type: 'StateFailed',
      timestamp: 1002,
      state: task('CheckIdempotency', { a: 1 }),
      Error: 'DependencyUnavailable',
      Cause: 'down',
    },
    {
      type: 'StateRetried',
      timestamp: 1003,
      state: task('CheckIdempotency', { a: 1 }),
      retry: { retrier: { ErrorEquals: ['DependencyUnavailable'] }, attempt: 1 },
    },
    {
      type: 'StateFailed',
      timestamp: 1004,
      state: task('CheckIdempotency', { a: 1 }),
      Error: 'PaymentConflict',
      Cause: { message: 'other content' },
    },
    {
      type: 'StateCaught',
      timestamp: 1005,
      state: task('CheckIdempotency', { a: 1 }),
      catch: { catcher: { ErrorEquals: ['PaymentConflict'], Next: 'Conflict' } },
    },
    { type: 'StateExited', timestamp: 1006, state: { ...task('CheckIdempotency', { a: 1 }), output: { error: {} } } },
    { type: 'StateEntered', timestamp: 1007, state: { name: 'Conflict', type: 'Pass', input: {} } },
    {
      type: 'StateExited',
      timestamp: 1008,
      state: { name: 'Conflict', type: 'Pass', input: {}, output: { statusCode: 409 } },
    },
    { type: 'ExecutionSucceeded', timestamp: 1009, output: { statusCode: 409 } },
  ] as never,
};

const options = {
  includeExecutionData: true,
  taskResources: new Map([['CheckIdempotency', 'arn:aws:lambda:local:000000000000:function:x-CheckIdempotency']]),
  roleArn: 'arn:aws:iam::000000000000:role/r',
};

describe('toHistoryEvents', () => {
  test('a retry is the function scheduled again after its failure; a catch is the failure, then the exit', () => {
    const events = toHistoryEvents(record, options);
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((event) => [event.id, event.previousEventId])).toEqual(
      events.map((_, index) => [index + 1, index]),
    );
    expect(events[0]).toMatchObject({
      timestamp: 1,
      executionStartedEventDetails: { input: '{"a":1}', roleArn: options.roleArn },
    });
    expect(events[2]).toMatchObject({
      lambdaFunctionScheduledEventDetails: {
        resource: 'arn:aws:lambda:local:000000000000:function:x-CheckIdempotency',
      },
    });
    expect(events[7]).toMatchObject({
      lambdaFunctionFailedEventDetails: { error: 'PaymentConflict', cause: '{"message":"other content"}' },
    });
    expect(events[10]).toMatchObject({ stateExitedEventDetails: { name: 'Conflict', output: '{"statusCode":409}' } });
  });

  test('without execution data, inputs and outputs are left out and errors kept', () => {
    const events = toHistoryEvents(record, { ...options, includeExecutionData: false });
    expect(JSON.stringify(events)).not.toContain('"input"');
    expect(JSON.stringify(events)).not.toContain('"output"');
    expect(events[4]).toMatchObject({
      lambdaFunctionFailedEventDetails: { error: 'DependencyUnavailable', cause: 'down' },
    });
  });
});

describe('pagination', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];
  test('pages follow each other with the token and the last has none', () => {
    const first = page(items, (item) => item, { scope: 's', nextToken: undefined, maxResults: 2 });
    const second = page(items, (item) => item, { scope: 's', nextToken: first.nextToken, maxResults: 2 });
    const third = page(items, (item) => item, { scope: 's', nextToken: second.nextToken, maxResults: 2 });
    expect([first.items, second.items, third.items]).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(third.nextToken).toBeUndefined();
  });

  test("a listing that lost the token's item since (it left a status filter) goes on after where it was", () => {
    const comesAfter = (item: string, key: string) => item > key;
    const first = page(items, (item) => item, { scope: 's', nextToken: undefined, maxResults: 2, comesAfter });
    const withoutB = items.filter((item) => item !== 'b');
    const second = page(withoutB, (item) => item, {
      scope: 's',
      nextToken: first.nextToken,
      maxResults: 2,
      comesAfter,
    });
    expect(first.items).toEqual(['a', 'b']);
    expect(second.items).toEqual(['c', 'd']);
    // Without an order to go by, a vanished item makes the token invalid.
    expect(() => page(withoutB, (item) => item, { scope: 's', nextToken: first.nextToken, maxResults: 2 })).toThrow(
      expect.objectContaining({ errorName: 'InvalidToken' }),
    );
  });

  test('a token of another listing, a made-up one and a bad maxResults are refused with the AWS error names', () => {
    expect(() => decodeToken(encodeToken('other', 'a'), 's')).toThrow(
      expect.objectContaining({ errorName: 'InvalidToken' }),
    );
    expect(() => decodeToken('garbage', 's')).toThrow(expect.objectContaining({ errorName: 'InvalidToken' }));
    expect(() => page(items, (item) => item, { scope: 's', nextToken: undefined, maxResults: 1001 })).toThrow(
      expect.objectContaining({ errorName: 'ValidationException' }),
    );
  });
});
