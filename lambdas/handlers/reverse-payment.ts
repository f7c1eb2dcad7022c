import type { Context } from 'aws-lambda';
import { type HttpResponse, problemResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, jsonAnswer, notFoundAnswer } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { InvalidJsonError } from '#domain/errors';
import type { PaymentRecord } from '#domain/payment-record';
import {
  InvalidReversalError,
  type PaymentReversal,
  ReversalConflictError,
  type ReversalRequest,
  checkReversalDate,
  mayReverse,
  parseReversalRequest,
  reversalOutcome,
} from '#domain/payment-reversal';
import { isUuidV4 } from '#domain/payment-schema';
import { lazyPaymentRepository } from '#adapters/payment-repository';
import { type ReadCall, readHandler } from '#adapters/read-handler';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const payments = lazyPaymentRepository(observability);

const REPLAYED = { 'Idempotent-Replayed': 'true' };

/** The refusals a reversal's rules throw, as their problems; anything else is rethrown. */
const refused = (error: unknown, requestId: string): HttpResponse => {
  if (error instanceof InvalidReversalError)
    return problemResponse('InvalidReversal', requestId, error.message, {}, error.fieldErrors);
  if (error instanceof InvalidJsonError) return problemResponse('InvalidJson', requestId, error.message);
  if (error instanceof ReversalConflictError)
    return problemResponse('ReversalConflict', requestId, error.message, {}, [
      { field: 'reason', message: 'the payment is already reversed differently: one reversal per payment' },
    ]);
  throw error;
};

const replayed = (reversal: PaymentReversal, requestId: string): HttpResponse => {
  const answer = jsonAnswer(200, reversal, requestId);
  return { ...answer, headers: { ...answer.headers, ...REPLAYED } };
};

/** Records the reversal (201), or answers the stored one (200) or the conflict; InvalidReversalError on a bad date. */
const record = async (payment: PaymentRecord, request: ReversalRequest, call: ReadCall): Promise<HttpResponse> => {
  if (reversalOutcome(payment.reversal, request) === 'replay') return replayed(payment.reversal!, call.requestId);
  const now = new Date();
  checkReversalDate(request, payment, now);
  const reversal: PaymentReversal = {
    paymentId: payment.id,
    ...request,
    recordedAt: now.toISOString(),
    by: call.sub ?? '',
    clientId: call.clientId ?? '',
    requestId: call.requestId,
  };
  const stored = await payments().addReversal(payment, reversal);
  // Another request stored one between the read and the update: the same answers as if it had come first.
  if (!stored.stored) {
    reversalOutcome(stored.existing, request);
    return replayed(stored.existing, call.requestId);
  }
  observability.logger.info('Payment reversed', { paymentId: payment.id, reason: reversal.reason });
  return jsonAnswer(201, reversal, call.requestId);
};

const reverse = async (call: ReadCall): Promise<HttpResponse> => {
  const { requestId, sub, params } = call;
  try {
    const request = parseReversalRequest(call.body);
    const id = isUuidV4(params.id) ? params.id.toLowerCase() : undefined;
    const payment = id ? await payments().get(id) : undefined;
    if (!payment) return notFoundAnswer(requestId, id ? `payment ${id}` : 'payment with this id');
    if (sub === undefined || !mayReverse(payment, sub))
      return problemResponse(
        'NotReversible',
        requestId,
        'Only the integration that submitted this payment for its customer may reverse it',
      );
    return await record(payment, request, call);
  } catch (error) {
    return refused(error, requestId);
  }
};

/**
 * POST /payments/{id}/reversal (integrations, the on-behalf scope): the bank returned or reversed a payment the
 * integration submitted. The payment stays stored; the reversal is added to it once (the same again replays 200, a
 * different one is 409), and the next report run at the latest counts it as not paid (decisions/0019).
 */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = readHandler(
  observability,
  reverse,
  SCOPES.submitOnBehalf,
);
