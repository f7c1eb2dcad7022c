import type { ExecutionEvent } from '#ops/execution';
import { executionPath } from '#ops/execution-path';

const at = (ms: number): Date => new Date(Date.UTC(2026, 0, 1) + ms);
let nextId = 0;
const event = (ms: number, type: string, details: Record<string, unknown> = {}): ExecutionEvent => ({
  id: (nextId += 1),
  timestamp: at(ms),
  type,
  details,
});

/**
 * A Map whose iteration's task fails uncaught: the iteration ends there (the task never exits), the Map's
 * Catch goes on to Fallback. The task's time is from its entry to its failure.
 */
const caughtMapFailure = (end: ExecutionEvent[]): ExecutionEvent[] => [
  event(0, 'ExecutionStarted'),
  event(0, 'MapStateEntered', { name: 'Shards' }),
  event(10, 'TaskStateEntered', { name: 'BuildShard' }),
  event(10, 'LambdaFunctionScheduled'),
  event(30, 'LambdaFunctionFailed', { error: 'ShardFailed', cause: 'boom' }),
  event(40, 'MapStateFailed'),
  event(40, 'MapStateExited', { name: 'Shards' }),
  event(40, 'TaskStateEntered', { name: 'Fallback' }),
  event(40, 'LambdaFunctionScheduled'),
  ...end,
];

const stepOf = (events: ExecutionEvent[], state: string) => executionPath(events).find((step) => step.state === state);

describe('the path through an execution', () => {
  test('a failed iteration’s task counts to its failure when the execution then succeeds', () => {
    const events = caughtMapFailure([
      event(45, 'TaskStateExited', { name: 'Fallback' }),
      event(100, 'ExecutionSucceeded'),
    ]);

    expect(stepOf(events, 'BuildShard')).toMatchObject({ durationMs: 20, decision: 'failed: ShardFailed' });
    expect(stepOf(events, 'Fallback')).toMatchObject({ durationMs: 5, decision: 'end' });
  });

  test('a failed iteration’s task is not charged the time to a later failure of the execution', () => {
    const events = caughtMapFailure([
      event(60, 'LambdaFunctionFailed', { error: 'Unavailable' }),
      event(100, 'ExecutionFailed', { error: 'Unavailable' }),
    ]);

    expect(stepOf(events, 'BuildShard')).toMatchObject({ durationMs: 20, decision: 'failed: ShardFailed' });
    expect(stepOf(events, 'Fallback')).toMatchObject({ durationMs: 20, decision: 'failed: Unavailable' });
  });

  test('a state that exited before the execution failed keeps its own decision and time', () => {
    const events = [
      event(0, 'TaskStateEntered', { name: 'Store' }),
      event(5, 'LambdaFunctionFailed', { error: 'Throttled' }),
      event(6, 'LambdaFunctionScheduled'),
      event(9, 'TaskStateExited', { name: 'Store' }),
      event(9, 'TaskStateEntered', { name: 'Notify' }),
      event(12, 'LambdaFunctionFailed', { error: 'Unavailable' }),
      event(20, 'ExecutionFailed', { error: 'Unavailable' }),
    ];

    expect(stepOf(events, 'Store')).toMatchObject({ durationMs: 9, decision: '-> Notify; retried 1x', retries: 1 });
    expect(stepOf(events, 'Notify')).toMatchObject({ durationMs: 3, decision: 'failed: Unavailable' });
  });
});
