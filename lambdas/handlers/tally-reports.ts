import type { Context } from 'aws-lambda';
import { type ReportTally, type UserReportResult, addResults } from '#domain/report-run';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface TallyReportsInput {
  requestId: string;
  tally: ReportTally;
  results: UserReportResult[];
}

const observability = createObservability();

/**
 * TallyReports: adds a page's results to the shard's running tally. A step of its own because
 * JSONPath cannot sum, and the local interpreter has no Assign variables to carry one.
 */
export const handler: (input: TallyReportsInput, context: Context) => Promise<ReportTally> = workflowHandler(
  observability,
  async ({ tally, results }) => addResults(tally, results),
);
