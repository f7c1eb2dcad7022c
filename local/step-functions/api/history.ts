import type { RecordedEvent } from '#local/step-functions/interpreter';
import type { ExecutionRecord } from '#local/step-functions/execution-store';

/** One event as GetExecutionHistory returns it (JSON: timestamp in epoch seconds). */
export interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

interface MappingOptions {
  includeExecutionData: boolean;
  /** The ASL's Resource of each Task state, by state name (a Lambda ARN for ours). */
  taskResources: ReadonlyMap<string, string>;
  roleArn: string;
}

const STATE_TYPE_PREFIX: Record<string, string> = {
  Task: 'Task',
  Pass: 'Pass',
  Choice: 'Choice',
  Wait: 'Wait',
  Succeed: 'Succeed',
  Fail: 'Fail',
  Map: 'Map',
  Parallel: 'Parallel',
};

const json = (value: unknown): string => JSON.stringify(value ?? null);

const causeText = (cause: unknown): string => (typeof cause === 'string' ? cause : json(cause));

/**
 * Maps the interpreter's event log to Step Functions' HistoryEvent shapes, as AWS reports a
 * Standard execution whose Task states call Lambda functions directly: TaskStateEntered,
 * LambdaFunctionScheduled/Started, LambdaFunctionSucceeded or LambdaFunctionFailed (a Retry
 * schedules the function again, a Catch goes on to TaskStateExited), MapStateEntered with
 * MapIterationStarted/Succeeded/Failed (an inline Map) or MapStateStarted, MapRunStarted and
 * MapRunSucceeded/Failed (a Distributed Map, whose items are child executions with histories of
 * their own), ExecutionSucceeded/Failed/Aborted/TimedOut.
 * The interpreter does not report a task's raw result, so LambdaFunctionSucceeded carries no
 * output; the state's output is on TaskStateExited.
 */
export const toHistoryEvents = (record: ExecutionRecord, options: MappingOptions): HistoryEvent[] => {
  const events: HistoryEvent[] = [];
  const push = (event: RecordedEvent, type: string, details?: Record<string, unknown>): void => {
    const id = events.length + 1;
    events.push({ timestamp: event.timestamp / 1000, type, id, previousEventId: id - 1, ...details });
  };
  const withData = (field: string, value: unknown): Record<string, unknown> =>
    options.includeExecutionData ? { [field]: json(value), [`${field}Details`]: { truncated: false } } : {};
  // A Task failed and not (yet) retried: its exit (after a Catch) is not a LambdaFunctionSucceeded.
  const failedTasks = new Set<string>();
  const scheduleLambda = (event: RecordedEvent, name: string, input: unknown): void => {
    push(event, 'LambdaFunctionScheduled', {
      lambdaFunctionScheduledEventDetails: {
        resource: options.taskResources.get(name) ?? name,
        ...withData('input', input),
      },
    });
    push(event, 'LambdaFunctionStarted');
  };

  for (const event of record.events) {
    switch (event.type) {
      case 'ExecutionStarted':
        push(event, 'ExecutionStarted', {
          executionStartedEventDetails: { ...withData('input', event.input), roleArn: options.roleArn },
        });
        break;
      case 'ExecutionSucceeded':
        push(event, 'ExecutionSucceeded', { executionSucceededEventDetails: { ...withData('output', event.output) } });
        break;
      case 'ExecutionFailed':
        push(event, 'ExecutionFailed', {
          executionFailedEventDetails: { error: event.Error, cause: causeText(event.Cause) },
        });
        break;
      case 'ExecutionAborted':
        push(event, 'ExecutionAborted', { executionAbortedEventDetails: { error: record.error, cause: record.cause } });
        break;
      case 'ExecutionTimeout':
        push(event, 'ExecutionTimedOut', {
          executionTimedOutEventDetails: { error: 'States.Timeout', cause: record.cause },
        });
        break;
      case 'StateEntered': {
        const prefix = STATE_TYPE_PREFIX[event.state.type] ?? event.state.type;
        push(event, `${prefix}StateEntered`, {
          stateEnteredEventDetails: { name: event.state.name, ...withData('input', event.state.input) },
        });
        if (event.state.type === 'Task') scheduleLambda(event, event.state.name, event.state.input);
        break;
      }
      case 'StateExited': {
        const key = `${event.state.name}#${event.index ?? ''}`;
        if (event.state.type === 'Task' && !failedTasks.delete(key)) {
          push(event, 'LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: {} });
        }
        if (event.state.type === 'Map') push(event, 'MapStateSucceeded');
        const prefix = STATE_TYPE_PREFIX[event.state.type] ?? event.state.type;
        push(event, `${prefix}StateExited`, {
          stateExitedEventDetails: { name: event.state.name, ...withData('output', event.state.output) },
        });
        break;
      }
      case 'StateFailed':
        if (event.state.type === 'Task') {
          failedTasks.add(`${event.state.name}#${event.index ?? ''}`);
          push(event, 'LambdaFunctionFailed', {
            lambdaFunctionFailedEventDetails: { error: event.Error, cause: causeText(event.Cause) },
          });
        } else if (event.state.type === 'Map') {
          push(event, 'MapStateFailed');
        }
        break;
      case 'StateRetried':
        // In AWS a retry is the function scheduled again after its failure.
        failedTasks.delete(`${event.state.name}#${event.index ?? ''}`);
        if (event.state.type === 'Task') scheduleLambda(event, event.state.name, event.state.input);
        break;
      case 'StateCaught':
        // AWS records no event for a Catch: the failure, then the state's exit to the Catch's Next.
        break;
      case 'MapRunStarted':
        // AWS: the map state starts, then its map run (whose items are child executions).
        push(event, 'MapStateStarted');
        push(event, 'MapRunStarted', { mapRunStartedEventDetails: { mapRunArn: event.mapRunArn } });
        break;
      case 'MapRunSucceeded':
        push(event, 'MapRunSucceeded');
        break;
      case 'MapRunFailed':
        push(event, 'MapRunFailed', { mapRunFailedEventDetails: { error: 'States.ExceedToleratedFailureThreshold' } });
        break;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        push(event, event.type, { mapIterationEventDetails: { name: event.parentState.name, index: event.index } });
        break;
      default:
        // Parallel branch events have no counterpart of their own in AWS's history.
        break;
    }
  }
  return events;
};
