import type { Context } from 'aws-lambda';
import { type ReportTally, type RunSummary, summarise } from '#domain/report-run';
import { lazyReportRepository } from '#adapters/report-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface WriteSummaryInput {
  requestId: string;
  month: string;
  startedAt: string;
  shardTallies: ReportTally[];
}

const observability = createObservability();
const repository = lazyReportRepository(observability);

/** WriteSummary: the run's totals and failures, stored as the month's run summary (pattern 5). */
export const handler: (input: WriteSummaryInput, context: Context) => Promise<RunSummary> = workflowHandler(
  observability,
  async ({ requestId, month, startedAt, shardTallies }) => {
    const summary = summarise({ month, startedAt, finishedAt: new Date().toISOString(), executionName: requestId }, shardTallies);
    await repository().putSummary(summary);
    observability.logger.info('Report run summarised', { month, users: summary.users, failures: summary.failures.length });
    return summary;
  },
);
