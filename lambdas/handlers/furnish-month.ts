import type { Context } from 'aws-lambda';
import { ENV } from '#contract/environment';
import type { FurnishingOutcome, FurnishingResult } from '#domain/furnishing';
import { type ShardFurnishing, assembleBureau } from '#domain/furnishing-parts';
import { bureausFromSetting } from '#domain/furnishing-bureaus';
import { metro2Assembly } from '#domain/metro2/formatter';
import { furnisherFor } from '#adapters/furnisher';
import { type FurnishingParts, furnishingPartsFromEnv } from '#adapters/furnishing-sink';
import { lazyIdentityRepository } from '#adapters/identity-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface FurnishMonthInput {
  requestId: string;
  month: string;
  /** The FurnishShards map's answers: each shard's counts, part locations and violations. */
  shards: ShardFurnishing[];
}

const observability = createObservability();
const identities = lazyIdentityRepository(observability);

/**
 * Erasures furnished once: only when every bureau's file of the month is delivered are the customers whose `DA` they
 * carried marked (ids read from beside the shards' parts in this function, never through the history). A rejected
 * file marks nobody, so the next run sends the `DA` again; a retry after a crash here re-sends the same month's files.
 */
const markErasures = async (
  month: string,
  shards: readonly ShardFurnishing[],
  files: readonly FurnishingResult[],
  { parts }: FurnishingParts,
): Promise<number> => {
  if (files.some(({ status }) => status !== 'delivered')) return 0;
  const erased = new Set<string>();
  for (const { shard, counts } of shards)
    if (counts.erasedUsers > 0) for (const userId of await parts.erasedOf(month, shard)) erased.add(userId);
  if (erased.size > 0) await identities().markErasureFurnished([...erased], month);
  return erased.size;
};

const logFile = (month: string, file: FurnishingResult): void => {
  const counts =
    file.status === 'delivered'
      ? { base: file.manifest.records.base, skipped: file.manifest.skipped }
      : { violations: file.violations.length };
  observability.logger[file.status === 'delivered' ? 'info' : 'warn']('Furnishing file', {
    month,
    bureau: file.status === 'delivered' ? file.manifest.bureau : file.bureau,
    status: file.status,
    ...counts,
  });
};

/**
 * FurnishMonth, the assemble step (decision 0023): after FurnishShards has written every shard's parts, one Metro 2
 * file per configured bureau, header + parts in shard order + trailer (totals summed from the parts' counts), its
 * envelope checked, delivered (or rejected, naming shard, record and rule); then the erasures those files furnished
 * are marked. Answers counts, locations and violations only: no identity, no user id.
 */
export const handler: (input: FurnishMonthInput, context: Context) => Promise<FurnishingOutcome> = workflowHandler(
  observability,
  async ({ month, shards }) => {
    const today = new Date().toISOString().slice(0, 10);
    const ends = furnishingPartsFromEnv(observability);
    const files: FurnishingResult[] = [];
    for (const bureau of bureausFromSetting(process.env[ENV.furnishingBureaus]))
      files.push(
        await assembleBureau(month, bureau, shards, {
          ...metro2Assembly((name) => furnisherFor(name), today),
          assembler: ends.assembler,
        }),
      );
    const erasuresMarked = await markErasures(month, shards, files, ends);
    if (erasuresMarked > 0) observability.logger.info('Erasures furnished', { month, count: erasuresMarked });
    for (const file of files) logFile(month, file);
    return { files };
  },
);
