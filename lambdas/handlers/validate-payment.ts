import type { Context } from 'aws-lambda';
import type { Payment } from '#domain/payment';
import { validatePaymentSubmission } from '#domain/validate-payment';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface ValidatePaymentInput {
  requestId: string;
  receivedAt: string;
  /** The raw request body. */
  body: string;
}

const observability = createObservability();

/** ValidatePayment: the raw body becomes a typed, normalised Payment, or InvalidJson/InvalidPayment. */
export const handler: (input: ValidatePaymentInput, context: Context) => Promise<Payment> = workflowHandler(
  observability,
  // The future-skew rule is measured from when the API received the request, not from when
  // this step happens to run: a retried step decides the same way.
  async (input) => validatePaymentSubmission(input.body, new Date(input.receivedAt)),
);
