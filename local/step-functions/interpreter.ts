/**
 * aws-local-stepfunctions ships CommonJS and ESM builds, but its types are declared ESM-only;
 * this module loads the CommonJS build and gives it the package's own types.
 */
type Interpreter = typeof import('aws-local-stepfunctions', { with: { 'resolution-mode': 'import' } });

// eslint-disable-next-line @typescript-eslint/no-require-imports
const interpreter = require('aws-local-stepfunctions') as Interpreter;

export const { StateMachine, ExecutionAbortedError, ExecutionError, ExecutionTimeoutError } = interpreter;
export type StateMachine = InstanceType<Interpreter['StateMachine']>;

type EventStream = ReturnType<StateMachine['run']>['eventLogs'];
/** One entry of an execution's event log (StateEntered, StateRetried, ExecutionFailed...). */
export type EventLog = EventStream extends AsyncGenerator<infer Event> ? Event : never;

/**
 * What AWS records for a Distributed Map in the parent's history, where the interpreter would log
 * each iteration: the map run's start and end (the items run as child executions, each with a
 * history of its own).
 */
export interface MapRunEvent {
  type: 'MapRunStarted' | 'MapRunSucceeded' | 'MapRunFailed';
  timestamp: number;
  /** The Distributed Map state. */
  parentState: { name: string; type: 'Map' };
  /** The map run's ARN (locally: the map state's child state machine and the parent's name). */
  mapRunArn: string;
}

/** One event of an execution as the local stack records it. */
export type RecordedEvent = EventLog | MapRunEvent;
