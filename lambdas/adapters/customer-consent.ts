import type { ConsentChange, ConsentState } from '#domain/commitment-consent';
import { consentOf } from '#domain/commitment-consent';
import { customerCommitments } from '#adapters/customer-commitments';
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
  const [{ listing }, changes] = await Promise.all([
    customerCommitments(stores.reports, stores.corrections, userId, new Date()),
    stores.consent.ofUser(userId),
  ]);
  if (!listing.commitments.some((commitment) => commitment.commitmentId === commitmentId)) return undefined;
  const own = changes.filter((change) => change.commitmentId === commitmentId);
  return { commitmentId, consent: consentOf(own, commitmentId, optedInByDefault), changes: own };
};
