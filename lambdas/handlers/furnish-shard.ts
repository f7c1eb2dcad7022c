import type { Context } from 'aws-lambda';
import { ENV } from '#contract/environment';
import { type ShardFurnishing, furnishShard } from '#domain/furnishing-parts';
import { bureausFromSetting } from '#domain/furnishing-bureaus';
import { metro2PartFormatter, withoutIdentity } from '#domain/metro2/formatter';
import { validateBaseRecord } from '#domain/metro2/validate';
import { furnisherFor } from '#adapters/furnisher';
import { furnishingPartsFromEnv } from '#adapters/furnishing-sink';
import { lazyIdentityRepository } from '#adapters/identity-repository';
import { pageItems } from '#adapters/report-pages';
import { lazyReportRepository } from '#adapters/report-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface FurnishShardInput {
  requestId: string;
  month: string;
  shard: number;
}

const observability = createObservability();
const reports = lazyReportRepository(observability);
const identities = lazyIdentityRepository(observability);

/**
 * FurnishShard: one of the month's 64 report shards as its part of every configured bureau's file (decision 0023),
 * streamed from the shard's reports page by page, each base segment validated as written. Answers counts, each part's
 * location and at most a few violations (shard, record within the part, rule): no identity, no user id.
 */
export const handler: (input: FurnishShardInput, context: Context) => Promise<ShardFurnishing> = workflowHandler(
  observability,
  async ({ month, shard }) => {
    const today = new Date().toISOString().slice(0, 10);
    const result = await furnishShard(
      month,
      shard,
      bureausFromSetting(process.env[ENV.furnishingBureaus]),
      reports().reportsOfShard(month, shard, pageItems('month')),
      {
        formatter: metro2PartFormatter((bureau) => furnisherFor(bureau)),
        validateRecord: (record, number) => validateBaseRecord(record, number, { today }).map(withoutIdentity),
        identities: identities(),
        parts: furnishingPartsFromEnv(observability).parts,
      },
    );
    observability.logger.info('Furnishing part', {
      month,
      shard,
      base: result.counts.base,
      violations: result.violations.length,
    });
    return result;
  },
);
