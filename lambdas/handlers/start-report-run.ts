import type { Context } from 'aws-lambda';
import { MONTH_SHARDS } from '#contract/tables';
import { InvalidMonthError } from '#domain/errors';
import { monthToReport } from '#domain/month';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface StartReportRunInput {
  requestId: string;
  /** The execution's input: `{"month": "YYYY-MM"}` by hand, `{"scheduledTime": "<RFC 3339>"}` from the schedule. */
  input: { month?: unknown; scheduledTime?: unknown };
}

export interface StartReportRunOutput {
  month: string;
  startedAt: string;
  /** The month's shards, one child execution of the Distributed Map each. */
  shards: number[];
}

const observability = createObservability();

/** StartReportRun: decides the month and lists the shards; a bad month fails the run before any write. */
export const handler: (input: StartReportRunInput, context: Context) => Promise<StartReportRunOutput> = workflowHandler(
  observability,
  async ({ input }) => {
    const month = monthToReport(input ?? {});
    if (month === undefined) {
      throw new InvalidMonthError(
        `Expected {"month": "YYYY-MM"} or the schedule's {"scheduledTime": "..."}, got ${JSON.stringify(input)}`,
      );
    }
    return {
      month,
      startedAt: new Date().toISOString(),
      shards: Array.from({ length: MONTH_SHARDS }, (_, shard) => shard),
    };
  },
);
