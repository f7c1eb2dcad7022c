import type { Context } from 'aws-lambda';
import { ENV } from '#contract/environment';
import { MONTH_SHARDS } from '#contract/tables';
import { bureausFromSetting } from '#domain/furnishing-bureaus';
import { InvalidMonthError } from '#domain/errors';
import { LAST_MONTH_A_RUN_COVERS, monthToReport } from '#domain/month';
import { acquireRunLock } from '#domain/report-run-lock';
import { lazyExecutionStatus } from '#adapters/execution-status';
import { lazyPaymentsTableRepository } from '#adapters/payments-table';
import { RunLockRepository } from '#adapters/run-lock-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface StartReportRunInput {
  requestId: string;
  /** This execution's ARN: the holder of the month's run lock. */
  executionArn: string;
  /** The execution's input: `{"month": "YYYY-MM"}` by hand, `{"scheduledTime": "<RFC 3339>"}` from the schedule. */
  input: { month?: unknown; scheduledTime?: unknown };
}

export interface StartReportRunOutput {
  month: string;
  startedAt: string;
  /** The month's shards, one child execution of the Distributed Map each. */
  shards: number[];
  /** The stage's furnishing bureaus (names only): one FurnishBureau step each (decision 0023). */
  bureaus: string[];
}

const observability = createObservability();
const locks = lazyPaymentsTableRepository(observability, (client, table) => new RunLockRepository(client, table));
const holderStatus = lazyExecutionStatus(observability);

/**
 * StartReportRun: decides the month, takes the month's run lock (ReportRunInProgress while another
 * run of it runs) and lists the shards and the furnishing bureaus; a bad month or a held month fails the run before any write.
 */
export const handler: (input: StartReportRunInput, context: Context) => Promise<StartReportRunOutput> = workflowHandler(
  observability,
  async ({ input, executionArn }) => {
    const month = monthToReport(input ?? {});
    // A bad setting fails the run here, before the lock is taken, rather than after the month's reports.
    const bureaus = [...bureausFromSetting(process.env[ENV.furnishingBureaus])];
    if (month === undefined) {
      throw new InvalidMonthError(
        `Expected {"month": "YYYY-MM"} (up to ${LAST_MONTH_A_RUN_COVERS}) or the schedule's {"scheduledTime": "..."}, got ${JSON.stringify(input)}`,
      );
    }
    const repository = locks();
    const lock = await acquireRunLock(
      { put: (next, replacing) => repository.put(next, replacing), holderStatus, now: () => new Date() },
      month,
      executionArn,
    );
    return {
      month,
      startedAt: lock.takenAt,
      shards: Array.from({ length: MONTH_SHARDS }, (_, shard) => shard),
      bureaus,
    };
  },
);
