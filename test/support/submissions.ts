import type { ExecutionRecord } from '#local/step-functions/execution-store';

/** The states a new payment's submission passes through, in order (the happy path). */
export const CREATED_PATH = [
  'ValidatePayment',
  'AuthorizeOwner',
  'CheckIdempotency',
  'IsReplay',
  'StorePayment',
  'WasCreated',
  'RespondCreated',
];

/** The path an execution took: the names of the states it entered, in order. */
export const statesEntered = (execution: ExecutionRecord): string[] =>
  execution.events.flatMap((event) => (event.type === 'StateEntered' ? [event.state.name] : []));

export const retriedStates = (execution: ExecutionRecord): string[] =>
  execution.events.flatMap((event) => (event.type === 'StateRetried' ? [event.state.name] : []));

/** Each state failure as `State:ErrorName`, in order (retried and caught ones alike). */
export const stateFailures = (execution: ExecutionRecord): string[] =>
  execution.events.flatMap((event) => (event.type === 'StateFailed' ? [`${event.state.name}:${event.Error}`] : []));
