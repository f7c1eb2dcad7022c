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

/** The history being written: numbered events, and the Tasks failed and not (yet) retried. */
interface HistoryWriter {
  record: ExecutionRecord;
  options: MappingOptions;
  events: HistoryEvent[];
  // A Task failed and not (yet) retried: its exit (after a Catch) is not a LambdaFunctionSucceeded.
  failedTasks: Set<string>;
}

const push = (writer: HistoryWriter, event: RecordedEvent, type: string, details?: Record<string, unknown>): void => {
  const id = writer.events.length + 1;
  writer.events.push({ timestamp: event.timestamp / 1000, type, id, previousEventId: id - 1, ...details });
};

const withData = (writer: HistoryWriter, field: string, value: unknown): Record<string, unknown> =>
  writer.options.includeExecutionData ? { [field]: json(value), [`${field}Details`]: { truncated: false } } : {};

const scheduleLambda = (writer: HistoryWriter, event: RecordedEvent, name: string, input: unknown): void => {
  push(writer, event, 'LambdaFunctionScheduled', {
    lambdaFunctionScheduledEventDetails: {
      resource: writer.options.taskResources.get(name) ?? name,
      ...withData(writer, 'input', input),
    },
  });
  push(writer, event, 'LambdaFunctionStarted');
};

type EventOf<T extends RecordedEvent['type']> = Extract<RecordedEvent, { type: T }>;

const taskKey = (event: EventOf<'StateExited' | 'StateFailed' | 'StateRetried'>): string =>
  `${event.state.name}#${event.index ?? ''}`;

/** The execution's own start and end; false for any other event. */
const writeExecutionEvent = (writer: HistoryWriter, event: RecordedEvent): boolean => {
  const { record } = writer;
  switch (event.type) {
    case 'ExecutionStarted':
      push(writer, event, 'ExecutionStarted', {
        executionStartedEventDetails: { ...withData(writer, 'input', event.input), roleArn: writer.options.roleArn },
      });
      return true;
    case 'ExecutionSucceeded':
      push(writer, event, 'ExecutionSucceeded', {
        executionSucceededEventDetails: { ...withData(writer, 'output', event.output) },
      });
      return true;
    case 'ExecutionFailed':
      push(writer, event, 'ExecutionFailed', {
        executionFailedEventDetails: { error: event.Error, cause: causeText(event.Cause) },
      });
      return true;
    case 'ExecutionAborted':
      push(writer, event, 'ExecutionAborted', {
        executionAbortedEventDetails: { error: record.error, cause: record.cause },
      });
      return true;
    case 'ExecutionTimeout':
      push(writer, event, 'ExecutionTimedOut', {
        executionTimedOutEventDetails: { error: 'States.Timeout', cause: record.cause },
      });
      return true;
    default:
      return false;
  }
};

const writeStateEntered = (writer: HistoryWriter, event: EventOf<'StateEntered'>): void => {
  const prefix = STATE_TYPE_PREFIX[event.state.type] ?? event.state.type;
  push(writer, event, `${prefix}StateEntered`, {
    stateEnteredEventDetails: { name: event.state.name, ...withData(writer, 'input', event.state.input) },
  });
  if (event.state.type === 'Task') scheduleLambda(writer, event, event.state.name, event.state.input);
};

const writeStateExited = (writer: HistoryWriter, event: EventOf<'StateExited'>): void => {
  if (event.state.type === 'Task' && !writer.failedTasks.delete(taskKey(event))) {
    push(writer, event, 'LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: {} });
  }
  if (event.state.type === 'Map') push(writer, event, 'MapStateSucceeded');
  const prefix = STATE_TYPE_PREFIX[event.state.type] ?? event.state.type;
  push(writer, event, `${prefix}StateExited`, {
    stateExitedEventDetails: { name: event.state.name, ...withData(writer, 'output', event.state.output) },
  });
};

const writeStateFailed = (writer: HistoryWriter, event: EventOf<'StateFailed'>): void => {
  if (event.state.type === 'Task') {
    writer.failedTasks.add(taskKey(event));
    push(writer, event, 'LambdaFunctionFailed', {
      lambdaFunctionFailedEventDetails: { error: event.Error, cause: causeText(event.Cause) },
    });
  } else if (event.state.type === 'Map') {
    push(writer, event, 'MapStateFailed');
  }
};

/** A state's entry, exit, failure, retry or catch; false for any other event. */
const writeStateEvent = (writer: HistoryWriter, event: RecordedEvent): boolean => {
  switch (event.type) {
    case 'StateEntered':
      writeStateEntered(writer, event);
      return true;
    case 'StateExited':
      writeStateExited(writer, event);
      return true;
    case 'StateFailed':
      writeStateFailed(writer, event);
      return true;
    case 'StateRetried':
      // In AWS a retry is the function scheduled again after its failure.
      writer.failedTasks.delete(taskKey(event));
      if (event.state.type === 'Task') scheduleLambda(writer, event, event.state.name, event.state.input);
      return true;
    case 'StateCaught':
      // AWS records no event for a Catch: the failure, then the state's exit to the Catch's Next.
      return true;
    default:
      return false;
  }
};

/** A Distributed Map's run and an inline Map's iterations. */
const writeMapEvent = (writer: HistoryWriter, event: RecordedEvent): void => {
  switch (event.type) {
    case 'MapRunStarted':
      // AWS: the map state starts, then its map run (whose items are child executions).
      push(writer, event, 'MapStateStarted');
      push(writer, event, 'MapRunStarted', { mapRunStartedEventDetails: { mapRunArn: event.mapRunArn } });
      break;
    case 'MapRunSucceeded':
      push(writer, event, 'MapRunSucceeded');
      break;
    case 'MapRunFailed':
      push(writer, event, 'MapRunFailed', {
        mapRunFailedEventDetails: { error: 'States.ExceedToleratedFailureThreshold' },
      });
      break;
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
      push(writer, event, event.type, {
        mapIterationEventDetails: { name: event.parentState.name, index: event.index },
      });
      break;
    default:
      // Parallel branch events have no counterpart of their own in AWS's history.
      break;
  }
};

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
  const writer: HistoryWriter = { record, options, events: [], failedTasks: new Set() };
  for (const event of record.events) {
    if (!writeExecutionEvent(writer, event) && !writeStateEvent(writer, event)) writeMapEvent(writer, event);
  }
  return writer.events;
};
