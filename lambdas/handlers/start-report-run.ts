import type { Context } from 'aws-lambda';
import { MONTH_INDEX_SHARDS } from '#contract/tables';
import { InvalidMonthError } from '#domain/errors';
import { isMonth } from '#domain/month';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface StartReportRunInput {
  requestId: string;
  month: unknown;
}

export interface StartReportRunOutput {
  month: string;
  startedAt: string;
  /** The month-index shards, one Map iteration each. */
  shards: number[];
}

const observability = createObservability();

/** StartReportRun: checks the month and lists the shards; a bad month fails the run before any write. */
export const handler: (input: StartReportRunInput, context: Context) => Promise<StartReportRunOutput> = workflowHandler(
  observability,
  async ({ month }) => {
    if (!isMonth(month)) throw new InvalidMonthError(`Expected a month as YYYY-MM, got ${JSON.stringify(month)}`);
    return { month, startedAt: new Date().toISOString(), shards: Array.from({ length: MONTH_INDEX_SHARDS }, (_, shard) => shard) };
  },
);
