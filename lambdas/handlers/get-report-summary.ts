import type { Context } from 'aws-lambda';
import { type HttpResponse, problemResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, jsonAnswer } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { isMonth } from '#domain/month';
import { lazyReportRepository } from '#adapters/report-repository';
import { readHandler } from '#adapters/read-handler';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const repository = lazyReportRepository(observability);

/** GET /reports/{month}/summary: the month's latest run summary (pattern 5), for operations only. */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = readHandler(
  observability,
  async ({ requestId, params }) => {
    const month = params.month;
    const summary = isMonth(month) ? await repository().getSummary(month) : undefined;
    return summary
      ? jsonAnswer(200, summary, requestId)
      : problemResponse('NotFound', requestId, `No report run for ${month}`);
  },
  SCOPES.reportsAdmin,
);
