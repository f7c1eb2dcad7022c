import type { Context } from 'aws-lambda';
import { ENV } from '#contract/environment';
import { type ShardWalk, buildReportBatch } from '#domain/report-batch';
import { optionalIntEnv } from '#adapters/config';
import { lazyReportRepository } from '#adapters/report-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface BuildReportsInput extends ShardWalk {
  requestId: string;
}

/**
 * Payments per page: about 200 users of a few payments each, one query of well under 1 MB, a
 * Lambda invocation of seconds. The answer carries only counts and a cursor: far below 256 KiB.
 */
export const DEFAULT_REPORT_PAGE_ITEMS = 1000;

const observability = createObservability();
const repository = lazyReportRepository(observability);

/** BuildReports: one batch of the month's shard, read in one range (pattern 4), built and written together. */
export const handler: (input: BuildReportsInput, context: Context) => Promise<ShardWalk> = workflowHandler(
  observability,
  async ({ requestId: _requestId, ...walk }) => {
    const { month, shard, tally } = walk;
    const output = await buildReportBatch(repository(), walk, {
      pageItems: optionalIntEnv(ENV.reportPageSize, DEFAULT_REPORT_PAGE_ITEMS),
      builtAt: new Date().toISOString(),
    });
    observability.logger.info('Report batch built', { month, shard, users: output.tally.users - tally.users, more: output.after !== null });
    return output;
  },
);
