import { randomUUID } from 'node:crypto';
import { SUBMIT_PAYMENT_WORKFLOW } from '#contract/functions';
import { INTEGRATION_SCOPES, USER_APP_SCOPES } from '#contract/scopes';
import type { Caller, SubmissionInput, SubmissionOutput } from '#contract/workflow-io';
import type { LambdaHandler } from '#local/lambda-runtime';
import { type ExecutionRecord, type LocalWorkflow, type WorkflowContract, type WorkflowWithHandlersOptions, workflowWithHandlers } from '#local/workflow-runner';

export { failingFirst } from '#local/fault-injection';

export type FunctionName = 'ValidatePayment' | 'AuthorizeOwner' | 'CheckIdempotency' | 'StorePayment';


/** A workflow's ASL run locally with the real handlers, any of them wrapped to inject faults; retries do not wait. */
export const testWorkflow = <Name extends string>(
  workflow: WorkflowContract,
  wrap: Partial<Record<Name, (handler: LambdaHandler) => LambdaHandler>> = {},
  options: WorkflowWithHandlersOptions = {},
): LocalWorkflow =>
  workflowWithHandlers(workflow, {
    wrap: (definition, handler) => wrap[definition.name as Name]?.(handler) ?? handler,
    retryIntervalMs: 0,
    ...options,
  });

/** The submit-payment ASL run locally with the real handlers; retries do not wait. */
export const submissionWorkflow = (
  wrap: Partial<Record<FunctionName, (handler: LambdaHandler) => LambdaHandler>> = {},
): LocalWorkflow => testWorkflow(SUBMIT_PAYMENT_WORKFLOW, wrap);

/** A valid submission body with fresh ids; override any field. */
export const paymentBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: randomUUID(),
  userId: randomUUID(),
  timestamp: '2026-10-05T09:30:00Z',
  description: 'Netflix',
  currency: 'GBP',
  amount: '9.99',
  ...overrides,
});

export const userCaller = (userId: string): Caller => ({
  sub: userId,
  clientId: 'local-user-app',
  scope: USER_APP_SCOPES.join(' '),
});

export const integrationCaller = (): Caller => ({
  sub: 'local-integration',
  clientId: 'local-integration',
  scope: INTEGRATION_SCOPES.join(' '),
});

export const submissionInput = (body: Record<string, unknown> | string, caller: Caller): SubmissionInput => ({
  requestId: randomUUID(),
  receivedAt: new Date().toISOString(),
  body: typeof body === 'string' ? body : JSON.stringify(body),
  caller,
});

export const runSubmission = async (workflow: LocalWorkflow, input: SubmissionInput): Promise<ExecutionRecord> =>
  workflow.run(input.requestId, input);

export const outputOf = (execution: ExecutionRecord): SubmissionOutput => {
  if (execution.status !== 'SUCCEEDED') {
    throw new Error(`Execution ${execution.status}: ${execution.error} ${execution.cause}`);
  }
  return execution.output as SubmissionOutput;
};

/** The states a new payment's submission passes through, in order (the happy path). */
export const CREATED_PATH = ['ValidatePayment', 'AuthorizeOwner', 'CheckIdempotency', 'IsReplay', 'StorePayment', 'WasCreated', 'RespondCreated'];

/** The path an execution took: the names of the states it entered, in order. */
export const statesEntered = (execution: ExecutionRecord): string[] =>
  execution.events.flatMap((event) => (event.type === 'StateEntered' ? [event.state.name] : []));

export const retriedStates = (execution: ExecutionRecord): string[] =>
  execution.events.flatMap((event) => (event.type === 'StateRetried' ? [event.state.name] : []));

/** Each state failure as `State:ErrorName`, in order (retried and caught ones alike). */
export const stateFailures = (execution: ExecutionRecord): string[] =>
  execution.events.flatMap((event) => (event.type === 'StateFailed' ? [`${event.state.name}:${event.Error}`] : []));
