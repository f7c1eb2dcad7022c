import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { type HttpResponse, problemResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, jsonAnswer, notFoundAnswer } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { type DisputeRequest, fileDispute, parseDisputeRequest } from '#domain/dispute';
import { localMonthOf } from '#domain/payment';
import { isUuidV4 } from '#domain/payment-schema';
import { isOwnedBy } from '#domain/read-access';
import { lazyCorrectionRepository } from '#adapters/correction-repository';
import { customerCommitments } from '#adapters/customer-commitments';
import { lazyDisputeRepository } from '#adapters/dispute-repository';
import { lazyPaymentRepository } from '#adapters/payment-repository';
import { type ReadCall, readHandler } from '#adapters/read-handler';
import { lazyReportRepository } from '#adapters/report-repository';
import { parsedOrProblem } from '#adapters/request-body';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const reports = lazyReportRepository(observability);
const corrections = lazyCorrectionRepository(observability);
const payments = lazyPaymentRepository(observability);
const disputes = lazyDisputeRepository(observability);

/** Why the customer may not file this dispute (their commitment, their payment, not one already open), if so. */
const refusal = async (requestId: string, sub: string, request: DisputeRequest): Promise<HttpResponse | undefined> => {
  const { listing } = await customerCommitments(reports(), corrections(), sub, new Date());
  const known =
    listing.commitments.some((commitment) => commitment.commitmentId === request.commitmentId) ||
    request.commitmentId in listing.mergedInto;
  if (!known) return notFoundAnswer(requestId, 'such commitment');
  if (request.paymentId !== null) {
    const payment = await payments().get(request.paymentId);
    if (!isOwnedBy(payment, sub)) return notFoundAnswer(requestId, 'such payment');
    if (localMonthOf(payment) !== request.month) {
      const message = `must be the disputed payment's month, ${localMonthOf(payment)}`;
      return problemResponse('InvalidDispute', requestId, message, {}, [{ field: 'month', message }]);
    }
  }
  const held = (await disputes().ofUser(sub)).find(
    (dispute) =>
      dispute.state === 'open' &&
      dispute.commitmentId === request.commitmentId &&
      dispute.month === request.month &&
      dispute.paymentId === request.paymentId,
  );
  if (held)
    return problemResponse(
      'DisputeConflict',
      requestId,
      `Dispute ${held.disputeId} of this month is already open`,
      {},
      [{ field: 'month', message: 'already has an open dispute' }],
    );
  return undefined;
};

const file = async ({ requestId, sub, clientId, body }: ReadCall): Promise<HttpResponse> => {
  // A customer's own token only: an integration's or operations' `sub` is a client id, not a user.
  if (!isUuidV4(sub))
    return problemResponse('Forbidden', requestId, "Only the customer's own token may file a dispute");
  const request = parsedOrProblem(requestId, 'InvalidDispute', () => parseDisputeRequest(body));
  if ('statusCode' in request) return request;
  const refused = await refusal(requestId, sub, request);
  if (refused) return refused;
  const dispute = fileDispute(randomUUID(), sub, request, {
    at: new Date().toISOString(),
    by: sub,
    clientId: clientId ?? '',
  });
  await disputes().file(dispute);
  return jsonAnswer(201, dispute, requestId);
};

/**
 * POST /disputes: the customer disputes a month of one of their commitments, or one payment. Stored open, audited
 * (who, when, which app); the next report run at the latest shows the month `disputed` and the commitment `XB`.
 */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = readHandler(
  observability,
  file,
  SCOPES.write,
);
