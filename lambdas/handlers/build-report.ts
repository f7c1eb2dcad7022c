import type { Context } from 'aws-lambda';
import { previousMonth } from '#domain/month';
import { buildMonthlyReport } from '#domain/report';
import type { UserReportResult } from '#domain/report-run';
import { lazyReportRepository } from '#adapters/report-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface BuildReportInput {
  requestId: string;
  month: string;
  userId: string;
}

const observability = createObservability();
const repository = lazyReportRepository(observability);

/**
 * BuildReport: one user's month (pattern 3) and previous report (pattern 5) make this month's
 * report, which replaces any earlier run's. Answers the counts the run summary adds up.
 */
export const handler: (input: BuildReportInput, context: Context) => Promise<UserReportResult> = workflowHandler(
  observability,
  async ({ month, userId }) => {
    const [payments, previous] = await Promise.all([
      repository().paymentsOfMonth(userId, month),
      repository().getReport(userId, previousMonth(month)),
    ]);
    const report = buildMonthlyReport(userId, month, payments, previous);
    await repository().putReport(report);
    return { userId, payments: report.payments, commitments: report.commitments.length };
  },
);
