import type { Context } from 'aws-lambda';
import { type ShardWalk, rebuildLateReports } from '#domain/report-batch';
import { optedInByDefault } from '#adapters/config';
import { pageItems } from '#adapters/report-pages';
import { lazyReportRepository } from '#adapters/report-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface RebuildLateReportsInput extends ShardWalk {
  requestId: string;
}

const observability = createObservability();
const repository = lazyReportRepository(observability);

/** RebuildLateReports: one page of the shard's late arrivals; each user's months rebuilt in order, streaks corrected. */
export const handler: (input: RebuildLateReportsInput, context: Context) => Promise<ShardWalk> = workflowHandler(
  observability,
  async ({ requestId, ...walk }) => {
    const { month, shard, tally } = walk;
    const output = await rebuildLateReports(repository(), walk, {
      pageItems: pageItems('late'),
      builtAt: new Date().toISOString(),
      changedBy: requestId,
      optedInByDefault: optedInByDefault(),
    });
    observability.logger.info('Late arrivals rebuilt', {
      month,
      shard,
      reports: output.tally.late.reports - tally.late.reports,
    });
    return output;
  },
);
