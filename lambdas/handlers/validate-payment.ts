import type { Context } from 'aws-lambda';
import type { Caller } from '#contract/workflow-io';
import type { Payment } from '#domain/payment';
import { validatePaymentSubmission } from '#domain/validate-payment';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface ValidatePaymentInput {
  requestId: string;
  receivedAt: string;
  /** The raw request body (in a batch: one payment's exact text). */
  body: string;
  caller: Caller;
}

/** The submission with its body read: what the steps after ValidatePayment work on. */
export interface ValidatedSubmission {
  requestId: string;
  receivedAt: string;
  caller: Caller;
  payment: Payment;
}

const observability = createObservability();

/**
 * ValidatePayment: the raw body becomes a typed, normalised Payment, or InvalidJson/InvalidPayment. The request's
 * other fields are handed on from this step's own input, not the execution's: in a batch, each payment is one Map
 * iteration of the same states, with its own request id (statemachines/submit-payment-batch.asl.json).
 */
export const handler: (input: ValidatePaymentInput, context: Context) => Promise<ValidatedSubmission> = workflowHandler(
  observability,
  async ({ requestId, receivedAt, caller, body }) => ({
    requestId,
    receivedAt,
    caller,
    // The future-skew rule is measured from when the API received the request, not from when
    // this step happens to run: a retried step decides the same way.
    payment: validatePaymentSubmission(body, new Date(receivedAt)),
  }),
);
