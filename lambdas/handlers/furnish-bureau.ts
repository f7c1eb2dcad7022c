import type { Context } from 'aws-lambda';
import type { BureauAssembly } from '#domain/furnishing';
import { type ShardFurnishing, assembleBureau } from '#domain/furnishing-parts';
import { metro2Assembly } from '#domain/metro2/formatter';
import { furnisherFor } from '#adapters/furnisher';
import { furnishingPartsFromEnv } from '#adapters/furnishing-sink';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface FurnishBureauInput {
  requestId: string;
  month: string;
  /** One of the run's bureaus (StartReportRun answers them from the stage's furnishingBureaus). */
  bureau: string;
  /** The FurnishShards map's answers: each shard's counts, part locations and violations. */
  shards: ShardFurnishing[];
}

const observability = createObservability();

const logFile = (month: string, file: BureauAssembly): void => {
  const counts =
    file.status === 'delivered'
      ? { base: file.manifest.records.base, skipped: file.manifest.skipped }
      : file.status === 'rejected'
        ? { violations: file.violations.length }
        : { base: 0, skipped: file.skipped, withdrawn: file.withdrawn };
  const bureau = file.status === 'delivered' ? file.manifest.bureau : file.bureau;
  observability.logger[file.status === 'rejected' ? 'warn' : 'info']('Furnishing file', {
    month,
    bureau,
    status: file.status,
    ...counts,
  });
};

/**
 * FurnishBureau, one iteration of the FurnishBureaus map (decision 0023): one bureau's Metro 2 file of the month,
 * header + the shards' parts in shard order + trailer (totals summed from the parts' counts), its envelope checked and
 * delivered (or rejected, naming shard, record and rule; or nothing to furnish: no file, an earlier run's withdrawn). One bureau per invocation, so
 * a 10M-customer file's copy and digest have Lambda's 15 minutes to themselves. Answers counts and locations only.
 */
export const handler: (input: FurnishBureauInput, context: Context) => Promise<BureauAssembly> = workflowHandler(
  observability,
  async ({ month, bureau, shards }) => {
    const today = new Date().toISOString().slice(0, 10);
    const file = await assembleBureau(month, bureau, shards, {
      ...metro2Assembly((name) => furnisherFor(name), today),
      assembler: furnishingPartsFromEnv(observability).assembler,
    });
    logFile(month, file);
    return file;
  },
);
