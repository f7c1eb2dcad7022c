import type { Context } from 'aws-lambda';
import { ENV } from '#contract/environment';
import { optionalIntEnv } from '#adapters/config';
import { lazyReportRepository } from '#adapters/report-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface ListMonthUsersInput {
  requestId: string;
  month: string;
  shard: number;
  /** Absent or null on the first page; the previous page's cursor after. */
  cursor?: string | null;
}

export interface ListMonthUsersOutput {
  userIds: string[];
  /** Null on the last page: the state machine's Choice ends the shard's loop on it. */
  cursor: string | null;
}

// Small enough that a page's results stay far below the 256 KB state payload limit.
const DEFAULT_PAGE_SIZE = 200;

const observability = createObservability();
const repository = lazyReportRepository(observability);

/** ListMonthUsers: one page of a month-index shard (access pattern 4). */
export const handler: (input: ListMonthUsersInput, context: Context) => Promise<ListMonthUsersOutput> = workflowHandler(
  observability,
  async ({ month, shard, cursor }) => {
    const page = await repository().listMonthUsers(month, shard, optionalIntEnv(ENV.reportPageSize, DEFAULT_PAGE_SIZE), cursor ?? undefined);
    return { userIds: page.userIds, cursor: page.cursor ?? null };
  },
);
