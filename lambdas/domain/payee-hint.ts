/**
 * What an integration that knows the mandate may say of a payment's payee (the submission's
 * optional `payee` object): its reference decides the commitment, its name and kind label it.
 */
export const COMMITMENT_KINDS = ['rent', 'utility', 'telecom', 'subscription', 'other'] as const;
export type CommitmentKind = (typeof COMMITMENT_KINDS)[number];

export interface PayeeHint {
  reference?: string;
  name?: string;
  kind?: CommitmentKind;
}
