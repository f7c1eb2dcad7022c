import type { Context } from 'aws-lambda';
import type { HttpResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, jsonAnswer, notFoundAnswer } from '#contract/read-api';
import { toStoredPayment } from '#domain/payment-record';
import { isUuidV4 } from '#domain/payment-schema';
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
    // Checked before the read: an id the schema would refuse names no payment (a 3,000-character
    // one is also past DynamoDB's key size, and would fail the read as a 500).
    const id = isUuidV4(params.id) ? params.id.toLowerCase() : undefined;
    const record = id ? await payments().get(id) : undefined;
    return isOwnedBy(record, sub)
      ? jsonAnswer(200, toStoredPayment(record), requestId)
      : notFoundAnswer(requestId, id ? `payment ${id}` : 'payment with this id');
  },
);
