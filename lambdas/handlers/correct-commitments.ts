import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { type HttpResponse, problemResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, jsonAnswer, notFoundAnswer } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { parseCorrectionRequest } from '#domain/commitment-correction';
import { CorrectionRefusedError, checkCorrection, firstAffectedMonth } from '#domain/commitment-listing';
import { localMonthOf, paymentMonth } from '#domain/payment';
import { isUuidV4 } from '#domain/payment-schema';
import { isOwnedBy } from '#domain/read-access';
import { lazyCorrectionRepository } from '#adapters/correction-repository';
import { customerCommitments } from '#adapters/customer-commitments';
import { lazyPaymentRepository } from '#adapters/payment-repository';
import { type ReadCall, readHandler } from '#adapters/read-handler';
import { lazyReportRepository } from '#adapters/report-repository';
import { parsedOrProblem } from '#adapters/request-body';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const reports = lazyReportRepository(observability);
const corrections = lazyCorrectionRepository(observability);
const payments = lazyPaymentRepository(observability);

const refused = (requestId: string, error: CorrectionRefusedError): HttpResponse =>
  problemResponse(error.reason === 'not-found' ? 'NotFound' : 'CorrectionConflict', requestId, error.message, {}, [
    { field: error.field, message: error.message },
  ]);

const correct = async ({ requestId, sub, clientId, body }: ReadCall): Promise<HttpResponse> => {
  // A customer's own token only: an integration's or operations' `sub` is a client id, not a user.
  if (!isUuidV4(sub))
    return problemResponse('Forbidden', requestId, "Only the customer's own token may correct their commitments");
  const request = parsedOrProblem(requestId, 'InvalidCorrection', () => parseCorrectionRequest(body));
  if ('statusCode' in request) return request;
  const now = new Date();
  const { listing } = await customerCommitments(reports(), corrections(), sub, now);
  const payment = request.kind === 'move' ? await payments().get(request.paymentId) : undefined;
  if (request.kind === 'move' && !isOwnedBy(payment, sub)) return notFoundAnswer(requestId, 'such payment');
  try {
    checkCorrection(listing, request, payment?.currency);
  } catch (error) {
    if (error instanceof CorrectionRefusedError) return refused(requestId, error);
    throw error;
  }
  const at = now.toISOString();
  const correction = { ...request, at, by: sub, clientId: clientId ?? '' };
  const fallback = paymentMonth(at);
  const rebuildFrom = firstAffectedMonth(listing, request, payment && localMonthOf(payment), fallback);
  await corrections().append({ correctionId: randomUUID(), userId: sub, correction, requestId, rebuildFrom });
  return jsonAnswer(201, { correction, rebuildFrom }, requestId);
};

/**
 * POST /commitments/corrections: the caller merges two of their commitments or moves one of their
 * payments. Kept append-only with who, when and which client; the next report run rebuilds the
 * months it changes (from `rebuildFrom`), and GET /commitments shows it at once.
 */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = readHandler(
  observability,
  correct,
  SCOPES.write,
);
