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
