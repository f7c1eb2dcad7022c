import { type KindChoice, type KindSource, kindOf } from '#domain/commitment-kind';
import type { PayeeKind } from '#domain/payee';
import { customerCommitmentChoices } from '#adapters/customer-commitments';
import type { DynamoDbCorrectionRepository } from '#adapters/correction-repository';
import type { DynamoDbKindRepository } from '#adapters/kind-repository';
import type { DynamoDbReportRepository } from '#adapters/report-repository';

export interface CommitmentKind {
  commitmentId: string;
  kind: PayeeKind | null;
  kindSource: KindSource | null;
  /** The customer's choices of this commitment, oldest first. */
  choices: KindChoice[];
}

/**
 * A commitment of the customer's (as GET /commitments lists it: the latest report, corrections applied) with its
 * kind now (decision 0024); undefined when the customer has no such commitment (none, or another user's).
 */
export const customerKind = async (
  stores: {
    reports: DynamoDbReportRepository;
    corrections: DynamoDbCorrectionRepository;
    kinds: DynamoDbKindRepository;
  },
  userId: string,
  commitmentId: string,
): Promise<CommitmentKind | undefined> => {
  const found = await customerCommitmentChoices(stores, stores.kinds, userId, commitmentId);
  if (!found) return undefined;
  const { commitment, choices: own } = found;
  const reported = {
    commitmentId,
    kind: (commitment.kind as PayeeKind | null | undefined) ?? null,
    kindSource: commitment.kindSource as KindSource | undefined,
  };
  const { kind, kindSource } = kindOf(reported, own);
  return { commitmentId, kind, kindSource: kindSource ?? null, choices: own };
};
