import type { Context } from 'aws-lambda';
import type { Caller } from '#contract/workflow-io';
import { SCOPES, parseScopeClaim } from '#contract/scopes';
import type { Payment } from '#domain/payment';
import { type Authorization, authorizeSubmission } from '#domain/ownership';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface AuthorizeOwnerInput {
  requestId: string;
  caller: Caller;
  payment: Payment;
}

const observability = createObservability();

/** AuthorizeOwner: the token's subject and scopes against the payment's user id. */
export const handler: (input: AuthorizeOwnerInput, context: Context) => Promise<Authorization> = workflowHandler(
  observability,
  async ({ caller, payment }) => {
    const authorization = authorizeSubmission(
      { sub: caller.sub, scopes: parseScopeClaim(caller.scope) },
      payment,
      SCOPES,
    );
    observability.logger.info('Submission authorized', {
      paymentId: payment.id,
      clientId: caller.clientId,
      onBehalf: authorization.onBehalf,
    });
    return authorization;
  },
);
