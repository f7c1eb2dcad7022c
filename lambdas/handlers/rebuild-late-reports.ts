import type { Context } from 'aws-lambda';
import { ENV } from '#contract/environment';
import { type ShardWalk, rebuildLateReports } from '#domain/report-batch';
import { optionalIntEnv } from '#adapters/config';
import { lazyReportRepository } from '#adapters/report-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface RebuildLateReportsInput extends ShardWalk {
  requestId: string;
}

/** Late payments per page: each user may need up to 24 months rebuilt, so pages are smaller than the month's. */
export const DEFAULT_LATE_PAGE_ITEMS = 100;

const observability = createObservability();
const repository = lazyReportRepository(observability);

/** RebuildLateReports: one page of the shard's late arrivals; each user's months rebuilt in order, streaks corrected. */
export const handler: (input: RebuildLateReportsInput, context: Context) => Promise<ShardWalk> = workflowHandler(
  observability,
  async ({ requestId: _requestId, ...walk }) => {
    const { month, shard, tally } = walk;
    const output = await rebuildLateReports(repository(), walk, {
      pageItems: optionalIntEnv(ENV.latePageSize, DEFAULT_LATE_PAGE_ITEMS),
      builtAt: new Date().toISOString(),
    });
    observability.logger.info('Late arrivals rebuilt', { month, shard, reports: output.tally.late.reports - tally.late.reports });
    return output;
  },
);
