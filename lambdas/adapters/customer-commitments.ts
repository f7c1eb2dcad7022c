import type { CommitmentCorrection } from '#domain/commitment-correction';
import { type ListedCommitment, type Listing, applyCorrections } from '#domain/commitment-listing';
import { MAX_PAST_MONTHS } from '#domain/timestamp';
import { previousMonth } from '#domain/month';
import type { MonthlyReport } from '#domain/report';
import type { DynamoDbCorrectionRepository } from '#adapters/correction-repository';
import type { DynamoDbReportRepository } from '#adapters/report-repository';

export interface CustomerCommitments {
  report: MonthlyReport | undefined;
  corrections: CommitmentCorrection[];
  listing: Listing;
}

/**
 * The customer's latest report: the month `now` is in, then each month before, up to the 24 months a
 * report reaches back (one query each; the first found ends it, so usually one or two).
 */
const latestReport = async (
  reports: DynamoDbReportRepository,
  userId: string,
  now: Date,
): Promise<MonthlyReport | undefined> => {
  let month = now.toISOString().slice(0, 7);
  for (let step = 0; step <= MAX_PAST_MONTHS; step += 1, month = previousMonth(month)) {
    const report = await reports.getReport(userId, month);
    if (report) return report;
  }
  return undefined;
};

/** A report commitment as listed; one built before commitments had ids is known by its key. */
const listed = (commitment: object): ListedCommitment => {
  const fields = commitment as Partial<ListedCommitment> & { key?: string };
  return { ...fields, commitmentId: fields.commitmentId ?? fields.key ?? '', currency: fields.currency ?? '' };
};

/** The latest report's commitments with every correction of the customer's applied (patterns 5 and 6). */
export const customerCommitments = async (
  reports: DynamoDbReportRepository,
  corrections: DynamoDbCorrectionRepository,
  userId: string,
  now: Date,
): Promise<CustomerCommitments> => {
  const [report, made] = await Promise.all([latestReport(reports, userId, now), corrections.ofUser(userId)]);
  return { report, corrections: made, listing: applyCorrections((report?.commitments ?? []).map(listed), made) };
};

/** The customer's choices of one commitment (consent changes, kind choices) with the commitment they are about. */
export interface CommitmentChoices<Choice> {
  commitment: ListedCommitment;
  /** Oldest first. */
  choices: Choice[];
}

/**
 * One of the customer's commitments (as GET /commitments lists it) and their choices of it, read at once; undefined
 * when the customer has no such commitment (none, or another user's).
 */
export const customerCommitmentChoices = async <Choice extends { commitmentId: string }>(
  stores: { reports: DynamoDbReportRepository; corrections: DynamoDbCorrectionRepository },
  choiceStore: { ofUser: (userId: string) => Promise<Choice[]> },
  userId: string,
  commitmentId: string,
): Promise<CommitmentChoices<Choice> | undefined> => {
  const [{ listing }, choices] = await Promise.all([
    customerCommitments(stores.reports, stores.corrections, userId, new Date()),
    choiceStore.ofUser(userId),
  ]);
  const commitment = listing.commitments.find((candidate) => candidate.commitmentId === commitmentId);
  if (!commitment) return undefined;
  return { commitment, choices: choices.filter((choice) => choice.commitmentId === commitmentId) };
};
