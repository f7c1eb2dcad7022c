import type { ConsumerIdentity } from '#domain/consumer-identity';

/**
 * Who may write or erase a customer's identity, and what each call leaves (decision 0020). Pure: the identity routes
 * read the item, ask here, and write what is answered, on condition that the item did not change meanwhile.
 */

/**
 * One customer's item: `active` holds the identity and the integration (`client_id`) that wrote it; `erased` replaced
 * it (ids and times only, no personal data) until the furnishing step has delivered the deletion (`DA`);
 * `erasure-furnished` is what is left after that: `furnishedIn` is the month whose file first carried the `DA` (a
 * re-run of that month sends it again, as the file it replaces did; no other month's file names the customer).
 */
export type IdentityRecord =
  | { state: 'active'; identity: ConsumerIdentity; writtenBy: string; writtenAt: string }
  | { state: 'erased'; erasedBy: string; erasedAt: string }
  | { state: 'erasure-furnished'; erasedBy: string; erasedAt: string; furnishedAt: string; furnishedIn: string };

export type IdentityWrite =
  | { outcome: 'created' | 'replaced'; record: IdentityRecord }
  /** Another integration wrote it: only that one may replace it (operations erase it). */
  | { outcome: 'other-writer' }
  /** Erased, and the deletion not yet furnished: a new identity now would keep the bureau's record alive. */
  | { outcome: 'erasure-pending' };

/** An integration's PUT: the first writer owns the identity; after an erasure, only once its deletion is furnished. */
export const identityWrite = (
  before: IdentityRecord | undefined,
  identity: ConsumerIdentity,
  by: { clientId: string; at: string },
): IdentityWrite => {
  const record: IdentityRecord = { state: 'active', identity, writtenBy: by.clientId, writtenAt: by.at };
  if (before === undefined || before.state === 'erasure-furnished') return { outcome: 'created', record };
  if (before.state === 'erased') return { outcome: 'erasure-pending' };
  return before.writtenBy === by.clientId ? { outcome: 'replaced', record } : { outcome: 'other-writer' };
};

export type IdentityErasure =
  | { outcome: 'erased'; record: IdentityRecord }
  /** Already erased (furnished or not): nothing changes, and the answer is the same. */
  | { outcome: 'already-erased' }
  | { outcome: 'none' };

/** Operations' DELETE: the identity is replaced by a marker that keeps no personal data. */
export const identityErasure = (
  before: IdentityRecord | undefined,
  by: { clientId: string; at: string },
): IdentityErasure => {
  if (before === undefined) return { outcome: 'none' };
  if (before.state !== 'active') return { outcome: 'already-erased' };
  return { outcome: 'erased', record: { state: 'erased', erasedBy: by.clientId, erasedAt: by.at } };
};
