import type { Context } from 'aws-lambda';
import { type BureauFile, everyFileDelivered } from '#domain/furnishing';
import type { ShardFurnishing } from '#domain/furnishing-parts';
import { furnishingPartStoreFromEnv } from '#adapters/furnishing-sink';
import { lazyIdentityRepository } from '#adapters/identity-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface MarkErasuresFurnishedInput {
  requestId: string;
  month: string;
  /** The FurnishShards map's answers: which shards' parts carried an erasure (a count; the ids stay beside the parts). */
  shards: ShardFurnishing[];
  /** The FurnishBureaus map's answers, one per configured bureau. */
  files: BureauFile[];
}

export interface MarkErasuresFurnishedOutput {
  /** Customers whose erasure was marked furnished in this month. */
  erasuresMarked: number;
}

const observability = createObservability();
const identities = lazyIdentityRepository(observability);

/**
 * MarkErasuresFurnished, after every bureau's step (decision 0023): only when every configured bureau's file of the
 * month was delivered are the customers whose `DA` they carried marked (ids read from beside the shards' parts here,
 * never through the history). A rejected file marks nobody, so the next run sends the `DA` again; a retry re-marks the
 * same customers in the same month.
 */
export const handler: (input: MarkErasuresFurnishedInput, context: Context) => Promise<MarkErasuresFurnishedOutput> =
  workflowHandler(observability, async ({ month, shards, files }) => {
    if (!everyFileDelivered(files)) return { erasuresMarked: 0 };
    const parts = furnishingPartStoreFromEnv(observability);
    const erased = new Set<string>();
    for (const { shard, counts } of shards)
      if (counts.erasedUsers > 0) for (const userId of await parts.erasedOf(month, shard)) erased.add(userId);
    if (erased.size > 0) await identities().markErasureFurnished([...erased], month);
    if (erased.size > 0) observability.logger.info('Erasures furnished', { month, count: erased.size });
    return { erasuresMarked: erased.size };
  });
