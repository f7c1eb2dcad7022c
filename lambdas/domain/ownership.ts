import { MissingScopeError, NotPaymentOwnerError } from '#domain/errors';
import type { Payment } from '#domain/payment';
import { canonicalUserId } from '#domain/user-id';
import { SCOPES } from '#domain/scopes';

export interface Principal {
  sub: string;
  scopes: readonly string[];
}

export interface Authorization {
  /** True when a trusted integration submits for a user other than itself. */
  onBehalf: boolean;
}

/**
 * Who may submit a payment: anyone holding the write scope, for themselves; a holder of the
 * on-behalf scope (a trusted integration) for any user.
 */
export const authorizeSubmission = (principal: Principal, payment: Pick<Payment, 'userId'>): Authorization => {
  if (!principal.scopes.includes(SCOPES.write)) {
    throw new MissingScopeError(`The token needs the scope ${SCOPES.write}`);
  }
  if (canonicalUserId(principal.sub) === canonicalUserId(payment.userId)) return { onBehalf: false };
  if (principal.scopes.includes(SCOPES.submitOnBehalf)) return { onBehalf: true };
  throw new NotPaymentOwnerError('A token may submit payments only for its own user id');
};
