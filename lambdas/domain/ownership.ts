import { MissingScopeError, NotPaymentOwnerError } from '#domain/errors';
import type { Payment } from '#domain/payment';
import { canonicalUserId } from '#domain/user-id';

export interface Principal {
  sub: string;
  scopes: readonly string[];
}

export interface Authorization {
  /** True when a trusted integration submits for a user other than itself. */
  onBehalf: boolean;
}

/** The scopes the rule turns on; the API names them (contract/scopes.ts). */
export interface SubmissionScopes {
  write: string;
  submitOnBehalf: string;
}

/**
 * Who may submit a payment: anyone holding the write scope, for themselves; a holder of the
 * on-behalf scope (a trusted integration) for any user.
 */
export const authorizeSubmission = (
  principal: Principal,
  payment: Pick<Payment, 'userId'>,
  scopes: SubmissionScopes,
): Authorization => {
  if (!principal.scopes.includes(scopes.write)) {
    throw new MissingScopeError(`The token needs the scope ${scopes.write}`);
  }
  if (canonicalUserId(principal.sub) === canonicalUserId(payment.userId)) return { onBehalf: false };
  if (principal.scopes.includes(scopes.submitOnBehalf)) return { onBehalf: true };
  throw new NotPaymentOwnerError('A token may submit payments only for its own user id');
};
