import type { Context } from 'aws-lambda';
import { MONTH_SHARDS } from '#contract/tables';
import { type RunSummary, summarise } from '#domain/report-run';
import { lazyReportRepository } from '#adapters/report-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface WriteSummaryInput {
  requestId: string;
  month: string;
  startedAt: string;
  /** The Distributed Map's output: one result per shard whose child execution succeeded. */
  shardResults: unknown[];
}

const observability = createObservability();
const repository = lazyReportRepository(observability);

/** WriteSummary: the run's totals, failures and failed shards, stored as the month's run summary (pattern 5). */
export const handler: (input: WriteSummaryInput, context: Context) => Promise<RunSummary> = workflowHandler(
  observability,
  async ({ requestId, month, startedAt, shardResults }) => {
    const summary = summarise(
      { month, startedAt, finishedAt: new Date().toISOString(), executionName: requestId },
      shardResults,
      MONTH_SHARDS,
    );
    await repository().putSummary(summary);
    const log = summary.failedUsers > 0 || summary.failedShards.length > 0 ? 'warn' : 'info';
    observability.logger[log]('Report run summarised', {
      month,
      users: summary.users,
      failedUsers: summary.failedUsers,
      failedShards: summary.failedShards.length,
      lateReports: summary.late.reports,
    });
    return summary;
  },
);
