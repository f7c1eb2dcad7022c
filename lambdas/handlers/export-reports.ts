import type { Context } from 'aws-lambda';
import { ENV } from '#contract/environment';
import { type HttpResponse, REQUEST_ID_HEADER, problemResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, type StreamedHttpResponse, invalidParameterAnswer } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { EXPORT_CONTENT_TYPES, UnknownExportFormatError, chooseExportFormat } from '#contract/export-negotiation';
import { isMonth } from '#domain/month';
import { type ExportAudience, EXPORT_AUDIENCES, exportChunks } from '#domain/report-export';
import { optionalIntEnv } from '#adapters/config';
import { lazyReportRepository } from '#adapters/report-repository';
import { readHandler } from '#adapters/read-handler';
import { streamingHandler } from '#adapters/response-stream';
import { createObservability } from '#adapters/workflow-handler';

/** Users per page: each page's reports are read in parallel, then written before the next page is read. */
const DEFAULT_PAGE_SIZE = 100;

const observability = createObservability();
const repository = lazyReportRepository(observability);

const isExportAudience = (value: string): value is ExportAudience =>
  (EXPORT_AUDIENCES as readonly string[]).includes(value);

/** Logs a failure in the middle of the body (the status is already sent) before it cuts the stream. */
async function* loggingFailure(requestId: string, chunks: AsyncIterable<string>): AsyncGenerator<string> {
  try {
    yield* chunks;
  } catch (error) {
    observability.logger.error('Export failed while streaming', { requestId, error: error as Error });
    throw error;
  }
}

/**
 * GET /reports/{month}/export[?format=csv|jsonl][&audience=bureau]: every report of the month, a row per commitment
 * (lambdas/domain/report-export.ts), for operations only; `audience=bureau` keeps only opted-in commitments. 404 when the month has no finished report
 * run (no summary); a run that found no users gives the header alone. The local gateway streams
 * this answer's body; in Lambda, `handler` streams it through API Gateway.
 */
export const answer: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse | StreamedHttpResponse> =
  readHandler<StreamedHttpResponse>(
    observability,
    async ({ requestId, params, query, headers }) => {
      const month = params.month;
      if (!isMonth(month))
        return invalidParameterAnswer(requestId, 'month', 'Give the month as YYYY-MM, e.g. /reports/2026-10/export');
      let format;
      try {
        format = chooseExportFormat(query.format, headers.accept);
      } catch (error) {
        if (error instanceof UnknownExportFormatError)
          return invalidParameterAnswer(requestId, 'format', error.message);
        throw error;
      }
      const audience = query.audience ?? 'operations';
      if (!isExportAudience(audience))
        return invalidParameterAnswer(requestId, 'audience', 'audience must be operations or bureau');
      if (!(await repository().getSummary(month)))
        return problemResponse('NotFound', requestId, `No report run for ${month}`);
      const pages = repository().reportsOfMonth(month, optionalIntEnv(ENV.reportPageSize, DEFAULT_PAGE_SIZE));
      return {
        statusCode: 200,
        headers: {
          'Content-Type': EXPORT_CONTENT_TYPES[format],
          'Content-Disposition': `attachment; filename="reports-${month}.${format}"`,
          [REQUEST_ID_HEADER]: requestId,
        },
        body: loggingFailure(requestId, exportChunks(format, pages, audience)),
      };
    },
    SCOPES.reportsAdmin,
  );

export const handler = streamingHandler(answer);
