/**
 * Drives the submit-payment workflow in process, as the local stack runs it: the real ASL and
 * handlers, a caller as the gateway's authorizer would hand it over, a valid sample payment.
 * Shared by the tests and the benchmarks, so neither copies the other's setup.
 */
import type { PaymentSubmission } from '#client/payments-api';
import { randomUUID } from 'node:crypto';
import { SUBMIT_PAYMENT_BATCH_WORKFLOW, SUBMIT_PAYMENT_WORKFLOW, type WorkflowDefinition } from '#contract/workflows';
import { INTEGRATION_SCOPES, USER_APP_SCOPES } from '#contract/scopes';
import type { Caller, SubmissionInput, SubmissionOutput } from '#contract/workflow-io';
import type { LambdaHandler } from '#local/lambda/lambda-runtime';
import {
  type LocalWorkflow,
  type WorkflowWithHandlersOptions,
  workflowWithHandlers,
} from '#local/step-functions/workflow-runner';
import { type ExecutionRecord } from '#local/step-functions/execution-store';

export { failingFirst } from '#local/lambda/fault-injection';

export type FunctionName = 'ValidatePayment' | 'AuthorizeOwner' | 'CheckIdempotency' | 'StorePayment';
export type BatchFunctionName = FunctionName | 'ReadBatch' | 'AnswerBatch';

/** A workflow's ASL run locally with the real handlers, any of them wrapped to inject faults; retries do not wait. */
export const testWorkflow = <Name extends string>(
  workflow: WorkflowDefinition,
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

/** The batch ASL (its Map composed from the submit-payment ASL) run locally with the real handlers; retries do not wait. */
export const batchWorkflow = (
  wrap: Partial<Record<BatchFunctionName, (handler: LambdaHandler) => LambdaHandler>> = {},
  options: WorkflowWithHandlersOptions = {},
): LocalWorkflow => testWorkflow(SUBMIT_PAYMENT_BATCH_WORKFLOW, wrap, options);

/**
 * A batch body of these payments: objects are serialized, strings are put in as they are (an item's exact text,
 * which may be anything, JSON or not).
 */
export const batchBody = (payments: ReadonlyArray<Record<string, unknown> | string>): string =>
  `{"payments":[${payments.map((payment) => (typeof payment === 'string' ? payment : JSON.stringify(payment))).join(',')}]}`;

/** A valid submission with fresh ids, typed as the published contract has it; override any field. */
export const paymentSubmission = (overrides: Partial<PaymentSubmission> = {}): PaymentSubmission => ({
  id: randomUUID(),
  userId: randomUUID(),
  timestamp: '2026-10-05T09:30:00Z',
  description: 'Netflix',
  currency: 'GBP',
  amount: '9.99',
  ...overrides,
});

/** A submission body with any fields changed, added or broken (what tests of bad input send raw). */
export const paymentBody = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...paymentSubmission(),
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

/**
 * Runs one submission: a prepared input, or a body and its caller (by default the user the body names,
 * with the user app's token), received now under a fresh request id.
 */
export const runSubmission = async (
  workflow: LocalWorkflow,
  body: SubmissionInput | Record<string, unknown> | string,
  caller?: Caller,
): Promise<ExecutionRecord> => {
  const input = isSubmissionInput(body)
    ? body
    : submissionInput(body, caller ?? userCaller((body as Record<string, unknown>).userId as string));
  return workflow.run(input.requestId, input);
};

const isSubmissionInput = (value: unknown): value is SubmissionInput =>
  typeof value === 'object' && value !== null && 'requestId' in value && 'caller' in value && 'body' in value;

export const outputOf = (execution: ExecutionRecord): SubmissionOutput => {
  if (execution.status !== 'SUCCEEDED') {
    throw new Error(`Execution ${execution.status}: ${execution.error} ${execution.cause}`);
  }
  return execution.output as SubmissionOutput;
};
