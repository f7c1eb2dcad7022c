import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { type HttpResponse, problemResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, jsonAnswer, notFoundAnswer } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { NEW_COMMITMENT } from '#domain/commitment-correction';
import {
  type Dispute,
  DisputeAlreadyResolvedError,
  InvalidDisputeError,
  type ResolutionRequest,
  parseResolutionRequest,
  resolveDispute,
} from '#domain/dispute';
import { InvalidJsonError } from '#domain/errors';
import { lazyCorrectionRepository } from '#adapters/correction-repository';
import { lazyDisputeRepository } from '#adapters/dispute-repository';
import { type ReadCall, readHandler } from '#adapters/read-handler';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const disputes = lazyDisputeRepository(observability);
const corrections = lazyCorrectionRepository(observability);

const parsed = (requestId: string, body: string | null): ResolutionRequest | HttpResponse => {
  try {
    return parseResolutionRequest(body);
  } catch (error) {
    if (error instanceof InvalidDisputeError)
      return problemResponse('InvalidDispute', requestId, error.message, {}, error.fieldErrors);
    if (error instanceof InvalidJsonError) return problemResponse('InvalidJson', requestId, error.message);
    throw error;
  }
};

/**
 * A payment found not to belong to the commitment (`corrected`) leaves it through the customers' own mechanism: a
 * move to a commitment of its own, audited as the operations client's, rebuilt from the disputed month.
 */
const applyCorrection = async (resolved: Dispute, requestId: string): Promise<void> => {
  if (resolved.state !== 'corrected' || resolved.paymentId === null || !resolved.resolution) return;
  const { at, by, clientId } = resolved.resolution;
  const correction = { kind: 'move' as const, paymentId: resolved.paymentId, into: NEW_COMMITMENT, at, by, clientId };
  const record = { correctionId: randomUUID(), userId: resolved.userId, correction, requestId };
  await corrections().append({ ...record, rebuildFrom: resolved.month });
};

const resolve = async ({ requestId, sub, clientId, body, params }: ReadCall): Promise<HttpResponse> => {
  const request = parsed(requestId, body);
  if ('statusCode' in request) return request;
  const dispute = params.id === undefined ? undefined : await disputes().get(params.id);
  if (!dispute) return notFoundAnswer(requestId, 'such dispute');
  try {
    const step = { at: new Date().toISOString(), by: sub ?? clientId ?? '', clientId: clientId ?? '' };
    const resolved = resolveDispute(dispute, request, step);
    await applyCorrection(resolved, requestId);
    await disputes().resolve(resolved);
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
