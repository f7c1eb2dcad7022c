import type { Context } from 'aws-lambda';
import { type HttpResponse, problemResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, jsonAnswer, notFoundAnswer } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { DisputeAlreadyResolvedError, parseResolutionRequest } from '#domain/dispute';
import { lazyCorrectionRepository } from '#adapters/correction-repository';
import { lazyDisputeRepository } from '#adapters/dispute-repository';
import { resolveStoredDispute } from '#adapters/dispute-resolution';
import { type ReadCall, readHandler } from '#adapters/read-handler';
import { parsedOrProblem } from '#adapters/request-body';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const disputes = lazyDisputeRepository(observability);
const corrections = lazyCorrectionRepository(observability);

const resolve = async ({ requestId, sub, clientId, body, params }: ReadCall): Promise<HttpResponse> => {
  const request = parsedOrProblem(requestId, 'InvalidDispute', () => parseResolutionRequest(body));
  if ('statusCode' in request) return request;
  try {
    const step = { at: new Date().toISOString(), by: sub ?? clientId ?? '', clientId: clientId ?? '', requestId };
    const stores = { disputes: disputes(), corrections: corrections() };
    const resolved = params.id === undefined ? undefined : await resolveStoredDispute(stores, params.id, request, step);
    if (!resolved) return notFoundAnswer(requestId, 'such dispute');
    return jsonAnswer(200, resolved, requestId);
  } catch (error) {
    if (!(error instanceof DisputeAlreadyResolvedError)) throw error;
    return problemResponse('DisputeConflict', requestId, error.message, {}, [
      { field: 'outcome', message: 'the dispute is already resolved: a resolution is final' },
    ]);
  }
};

/**
 * POST /disputes/{id}/resolution (operations, `disputes-admin`): verified, corrected or deleted, with a note; final.
 * The next report run at the latest rebuilds the user's months from the disputed one.
 */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = readHandler(
  observability,
  resolve,
  SCOPES.disputesAdmin,
);
