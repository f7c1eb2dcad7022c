import { userInfo } from 'node:os';
import { randomUUID } from 'node:crypto';
import { UsageError } from '#devtools/cli-runner';
import {
  type Dispute,
  InvalidDisputeError,
  type ResolutionRequest,
  isOverdue,
  openDays,
  parseResolutionRequest,
} from '#domain/dispute';
import { resolveStoredDispute } from '#adapters/dispute-resolution';
import type { DisputeStores } from '#ops/connection';

/** The client id a resolution from `npm run ops` is audited with (the API's are the token's client). */
export const OPS_CLIENT_ID = 'npm-run-ops';

/** A dispute as `disputes` lists it: open ones with their age in days and whether they are overdue. */
export type ListedDispute = Dispute & { ageDays?: number; overdue?: boolean };

const withAge = (dispute: Dispute, now: Date): ListedDispute =>
  dispute.state === 'open'
    ? { ...dispute, ageDays: openDays(dispute, now), overdue: isOverdue(dispute, now) }
    : dispute;

/**
 * Open disputes oldest first (one query of their markers, pattern 7), or with `all` every one, resolved too (every
 * shard's; the repository's order is by filing).
 */
export const listedDisputes = async (stores: DisputeStores, all: boolean, now: Date): Promise<ListedDispute[]> =>
  (all ? await stores.disputes.all() : await stores.disputes.open()).map((dispute) => withAge(dispute, now));

/** The open disputes past the 30-day deadline, oldest first: each a warning line of `npm run ops`. */
export const overdueDisputes = async (stores: DisputeStores, now: Date): Promise<ListedDispute[]> =>
  (await listedDisputes(stores, false, now)).filter((dispute) => dispute.overdue);

/** --outcome and --note under the API's own rules (parseResolutionRequest): a bad one is a usage error naming it. */
const resolutionOf = (outcome: string | undefined, note: string | undefined): ResolutionRequest => {
  try {
    return parseResolutionRequest(JSON.stringify({ outcome, note }));
  } catch (error) {
    if (!(error instanceof InvalidDisputeError)) throw error;
    throw new UsageError(error.fieldErrors.map(({ field, message }) => `--${field} ${message}`).join('; '));
  }
};

/** No dispute has that id. */
export class DisputeNotFoundError extends Error {
  override readonly name = 'DisputeNotFound';
  constructor(disputeId: string) {
    super(`No dispute ${disputeId}`);
  }
}

/**
 * `disputes resolve`: the domain's one transition and the same stores as POST /disputes/{id}/resolution
 * (resolveStoredDispute), audited as the operator (their login name) with the client `npm-run-ops`.
 */
export const resolveFromOps = async (
  stores: DisputeStores,
  disputeId: string,
  options: { outcome?: string; note?: string },
  now: Date,
): Promise<Dispute> => {
  const request = resolutionOf(options.outcome, options.note);
  const step = { at: now.toISOString(), by: userInfo().username, clientId: OPS_CLIENT_ID, requestId: randomUUID() };
  const resolved = await resolveStoredDispute(stores, disputeId, request, step);
  if (!resolved) throw new DisputeNotFoundError(disputeId);
  return resolved;
};
