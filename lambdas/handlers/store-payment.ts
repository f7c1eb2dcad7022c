import type { Context } from 'aws-lambda';
import type { Caller } from '#contract/workflow-io';
import type { Payment } from '#domain/payment';
import { type StoreOutcome, storePayment } from '#domain/payment-record';
import { lazyPaymentRepository } from '#adapters/payment-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface StorePaymentInput {
  requestId: string;
  receivedAt: string;
  caller: Caller;
  payment: Payment;
  /** `$$.Execution.Id`: kept on the item, so a stored payment leads to its execution. */
  executionArn: string;
}

const observability = createObservability();
const paymentRepository = lazyPaymentRepository(observability);

/** StorePayment: one conditional put; an existing id replays (same content) or conflicts. */
export const handler: (input: StorePaymentInput, context: Context) => Promise<StoreOutcome> = workflowHandler(
  observability,
  async ({ requestId, receivedAt, caller, payment, executionArn }) => {
    const result = await storePayment(
      { ...payment, receivedAt, requestId, clientId: caller.clientId, submittedBy: caller.sub, executionArn },
      paymentRepository(),
    );
    observability.logger.info('Payment stored', { paymentId: payment.id, outcome: result.outcome });
    return result;
  },
);
