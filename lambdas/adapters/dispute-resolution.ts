import { randomUUID } from 'node:crypto';
import { NEW_COMMITMENT } from '#domain/commitment-correction';
import { type Dispute, type DisputeStep, type ResolutionRequest, resolveDispute } from '#domain/dispute';
import type { DynamoDbCorrectionRepository } from '#adapters/correction-repository';
import type { DynamoDbDisputeRepository } from '#adapters/dispute-repository';

/** The stores a resolution reads and writes: the API's handler and `npm run ops -- disputes resolve` pass the same. */
export interface ResolutionStores {
  disputes: Pick<DynamoDbDisputeRepository, 'get' | 'resolve'>;
  corrections: Pick<DynamoDbCorrectionRepository, 'append'>;
}

/**
 * A payment found not to belong to the commitment (`corrected`) leaves it through the customers' own mechanism: a
 * move to a commitment of its own, audited as the resolver's, rebuilt from the disputed month.
 */
const applyCorrection = async (stores: ResolutionStores, resolved: Dispute, requestId: string): Promise<void> => {
  if (resolved.state !== 'corrected' || resolved.paymentId === null || !resolved.resolution) return;
  const { at, by, clientId } = resolved.resolution;
  const correction = { kind: 'move' as const, paymentId: resolved.paymentId, into: NEW_COMMITMENT, at, by, clientId };
  const record = { correctionId: randomUUID(), userId: resolved.userId, correction, requestId };
  await stores.corrections.append({ ...record, rebuildFrom: resolved.month });
};

/**
 * Resolves a stored dispute by the domain's one transition, audited with `step` (who, when, which client), and
 * stores it: undefined when no such dispute; DisputeAlreadyResolvedError when it is resolved (now or by a
 * concurrent resolver: the conditional put).
 */
export const resolveStoredDispute = async (
  stores: ResolutionStores,
  disputeId: string,
  request: ResolutionRequest,
  step: DisputeStep & { requestId: string },
): Promise<Dispute | undefined> => {
  const dispute = await stores.disputes.get(disputeId);
  if (!dispute) return undefined;
  const { requestId, ...audit } = step;
  const resolved = resolveDispute(dispute, request, audit);
  await applyCorrection(stores, resolved, requestId);
  await stores.disputes.resolve(resolved);
  return resolved;
};
