import type { Context } from 'aws-lambda';
import { type ShardWalk, buildReportBatch } from '#domain/report-batch';
import { optedInByDefault } from '#adapters/config';
import { pageItems } from '#adapters/report-pages';
import { lazyReportRepository } from '#adapters/report-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface BuildReportsInput extends ShardWalk {
  requestId: string;
}

const observability = createObservability();
const repository = lazyReportRepository(observability);

/** BuildReports: one batch of the month's shard, read in one range (pattern 4), built and written together. */
export const handler: (input: BuildReportsInput, context: Context) => Promise<ShardWalk> = workflowHandler(
  observability,
  async ({ requestId, ...walk }) => {
    const { month, shard, tally } = walk;
    const output = await buildReportBatch(repository(), walk, {
      pageItems: pageItems('month'),
      builtAt: new Date().toISOString(),
      changedBy: requestId,
      optedInByDefault: optedInByDefault(),
    });
    observability.logger.info('Report batch built', {
      month,
      shard,
      users: output.tally.users - tally.users,
      more: output.after !== null,
    });
    return output;
  },
);
