import type { Context } from 'aws-lambda';
import type { HttpResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, invalidParameterAnswer, jsonAnswer } from '#contract/read-api';
import { isMonth } from '#domain/month';
import { toStoredPayment } from '#domain/payment-record';
import { InvalidCursorError, lazyPaymentRepository } from '#adapters/payment-repository';
import { readHandler } from '#adapters/read-handler';
import { createObservability } from '#adapters/workflow-handler';

/** A page holds at most this many payments by default (`limit` up to MAX_LIMIT): a user has a few a month. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;

const parseLimit = (text: string | undefined): number | undefined => {
  if (text === undefined) return DEFAULT_LIMIT;
  const limit = /^[0-9]{1,3}$/.test(text) ? Number(text) : NaN;
  return limit >= 1 && limit <= MAX_LIMIT ? limit : undefined;
};

const observability = createObservability();
const payments = lazyPaymentRepository(observability);

/**
 * GET /payments?month=YYYY-MM[&limit=n][&cursor=…]: the caller's own payments of the month in time order
 * (access pattern 3), a page at a time; `nextCursor` is absent on the last page.
 */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = readHandler(
  observability,
  async ({ requestId, sub, query }) => {
    const { month, cursor } = query;
    if (!isMonth(month))
      return invalidParameterAnswer(requestId, 'month', 'Give the month as YYYY-MM, e.g. ?month=2026-10');
    const limit = parseLimit(query.limit);
    if (limit === undefined)
      return invalidParameterAnswer(requestId, 'limit', `Give limit as an integer from 1 to ${MAX_LIMIT}`);
    try {
      const page = await payments().listMonth(sub ?? '', month, limit, cursor);
      return jsonAnswer(
        200,
        { month, payments: page.payments.map(toStoredPayment), ...(page.cursor ? { nextCursor: page.cursor } : {}) },
        requestId,
      );
    } catch (error) {
      if (error instanceof InvalidCursorError) return invalidParameterAnswer(requestId, 'cursor', error.message);
      throw error;
    }
  },
);
