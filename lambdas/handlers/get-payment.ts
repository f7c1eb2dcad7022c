import type { Context } from 'aws-lambda';
import type { HttpResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, jsonAnswer, notFoundAnswer } from '#contract/read-api';
import { toStoredPayment } from '#domain/payment-record';
import { isOwnedBy } from '#domain/read-access';
import { lazyPaymentRepository } from '#adapters/payment-repository';
import { readHandler } from '#adapters/read-handler';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const payments = lazyPaymentRepository(observability);

/** GET /payments/{id}: the caller's own payment as stored (access pattern 2); another user's is 404. */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = readHandler(
  observability,
  async ({ requestId, sub, params }) => {
    const id = (params.id ?? '').toLowerCase();
    const record = id ? await payments().get(id) : undefined;
    return isOwnedBy(record, sub) ? jsonAnswer(200, toStoredPayment(record), requestId) : notFoundAnswer(requestId, `payment ${params.id}`);
  },
);
