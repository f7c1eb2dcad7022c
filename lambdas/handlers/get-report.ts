import type { Context } from 'aws-lambda';
import type { HttpResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, jsonAnswer, notFoundAnswer } from '#contract/read-api';
import { isMonth } from '#domain/month';
import { lazyReportRepository } from '#adapters/report-repository';
import { readHandler } from '#adapters/read-handler';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const repository = lazyReportRepository(observability);

/** GET /reports/{month}: the caller's own report (access pattern 5); none yet is 404. */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = readHandler(
  observability,
  async ({ requestId, sub, params }) => {
    const month = params.month;
    const report = sub && isMonth(month) ? await repository().getReport(sub, month) : undefined;
    return report ? jsonAnswer(200, report, requestId) : notFoundAnswer(requestId, `report for ${month}`);
  },
);
