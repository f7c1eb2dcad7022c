import type { DynamoDbIdentityRepository } from '#adapters/identity-repository';
import type { ConsumerIdentity } from '#domain/consumer-identity';
import { type IdentityRecord, identityErasure, identityWrite } from '#domain/identity-lifecycle';

/** Who writes and erases in the tests: an integration's PUT and operations' DELETE, at fixed times. */
export const INTEGRATION = { clientId: 'local-integration', at: '2026-12-01T10:00:00.000Z' };
export const OPERATIONS = { clientId: 'local-operations', at: '2026-12-02T10:00:00.000Z' };

/** Writes what the PUT route writes (the lifecycle decides, the repository replaces on condition). */
export const storeIdentity = async (
  repository: DynamoDbIdentityRepository,
  userId: string,
  identity: ConsumerIdentity,
): Promise<Extract<IdentityRecord, { state: 'active' }>> => {
  const before = await repository.get(userId);
  const write = identityWrite(before, identity, INTEGRATION);
  if (write.outcome !== 'created' && write.outcome !== 'replaced') throw new Error(write.outcome);
  await repository.replace(userId, before, write.record);
  return write.record as Extract<IdentityRecord, { state: 'active' }>;
};

/** Erases as the DELETE route does. */
export const eraseIdentity = async (repository: DynamoDbIdentityRepository, userId: string): Promise<void> => {
  const before = await repository.get(userId);
  const erasure = identityErasure(before, OPERATIONS);
  if (erasure.outcome === 'erased') await repository.replace(userId, before, erasure.record);
};
