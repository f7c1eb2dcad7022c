import type { Context } from 'aws-lambda';
import { MONTH_SHARDS } from '#contract/tables';
import type { FurnishingOutcome } from '#domain/furnishing';
import { type RunSummary, summarise } from '#domain/report-run';
import { releasedLock } from '#domain/report-run-lock';
import { lazyReportRepository } from '#adapters/report-repository';
import { lazyPaymentsTableRepository } from '#adapters/payments-table';
import { RunLockRepository } from '#adapters/run-lock-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface WriteSummaryInput {
  requestId: string;
  /** This execution's ARN: the month's run lock is released only if it still holds it. */
  executionArn: string;
  month: string;
  startedAt: string;
  /** The Distributed Map's output: one result per shard whose child execution succeeded. */
  shardResults: unknown[];
  /** The FurnishBureaus map's answers (or FurnishingFailed's, ErasuresNotMarked's): the month's files, their counts and checks. */
  furnishing?: FurnishingOutcome;
}

const observability = createObservability();
const repository = lazyReportRepository(observability);
const locks = lazyPaymentsTableRepository(observability, (client, table) => new RunLockRepository(client, table));

/**
 * WriteSummary: the run's totals, failures and failed shards, stored as the month's run summary
 * (pattern 5); then the month's run lock is released for the next run.
 */
export const handler: (input: WriteSummaryInput, context: Context) => Promise<RunSummary> = workflowHandler(
  observability,
  async ({ requestId, executionArn, month, startedAt, shardResults, furnishing }) => {
    const summary: RunSummary = {
      ...summarise(
        { month, startedAt, finishedAt: new Date().toISOString(), executionName: requestId },
        shardResults,
        MONTH_SHARDS,
      ),
      ...(furnishing ? { furnishing } : {}),
    };
    await repository().putSummary(summary);
    if (!(await locks().release(releasedLock(month, executionArn, startedAt, new Date()))))
      observability.logger.warn('The month was no longer held by this run: its lock is left to the run holding it', {
        month,
      });
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
