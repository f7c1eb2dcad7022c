import type { ConsentChange, ConsentState } from '#domain/commitment-consent';
import { consentOf } from '#domain/commitment-consent';
import { customerCommitmentChoices } from '#adapters/customer-commitments';
import type { DynamoDbConsentRepository } from '#adapters/consent-repository';
import type { DynamoDbCorrectionRepository } from '#adapters/correction-repository';
import type { DynamoDbReportRepository } from '#adapters/report-repository';

export interface CommitmentConsent {
  commitmentId: string;
  consent: ConsentState;
  changes: ConsentChange[];
}

/**
 * A commitment of the customer's (as GET /commitments lists it: the latest report, corrections applied) with its
 * consent now and its changes; undefined when the customer has no such commitment (none, or another user's).
 */
export const customerConsent = async (
  stores: {
    reports: DynamoDbReportRepository;
    corrections: DynamoDbCorrectionRepository;
    consent: DynamoDbConsentRepository;
  },
  userId: string,
  commitmentId: string,
  optedInByDefault: boolean,
): Promise<CommitmentConsent | undefined> => {
  const found = await customerCommitmentChoices(stores, stores.consent, userId, commitmentId);
  if (!found) return undefined;
  return { commitmentId, consent: consentOf(found.choices, commitmentId, optedInByDefault), changes: found.choices };
};
