import type { Context } from 'aws-lambda';
import { type HttpResponse, REQUEST_ID_HEADER, problemResponse } from '#contract/http-mapping';
import { type ReadCall, readHandler } from '#adapters/read-handler';
import { type ReadRequestEvent, invalidParameterAnswer } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { identityErasure } from '#domain/identity-lifecycle';
import { isUuidV4 } from '#domain/payment-schema';
import { canonicalUserId } from '#domain/user-id';
import { IdentityChangedError, lazyIdentityRepository } from '#adapters/identity-repository';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const identities = lazyIdentityRepository(observability);

const erase = async ({ requestId, params, clientId }: ReadCall): Promise<HttpResponse> => {
  if (!isUuidV4(params.userId)) return invalidParameterAnswer(requestId, 'userId', 'must be a UUID v4');
  const userId = canonicalUserId(params.userId);
  const before = await identities().get(userId);
  const erasure = identityErasure(before, { clientId: clientId ?? '', at: new Date().toISOString() });
  if (erasure.outcome === 'none')
    return problemResponse('NotFound', requestId, 'No identity is kept for this customer');
  if (erasure.outcome === 'erased') {
    try {
      await identities().replace(userId, before, erasure.record);
    } catch (error) {
      if (error instanceof IdentityChangedError) return problemResponse('IdentityConflict', requestId, error.message);
      throw error;
    }
  }
  observability.logger.info('Identity erased', { requestId, outcome: erasure.outcome });
  return { statusCode: 204, headers: { [REQUEST_ID_HEADER]: requestId }, body: '' };
};

/**
 * DELETE /customers/{userId}/identity: operations erase a customer's identity; the marker left holds no personal data,
 * and the next furnishing file deletes the customer's accounts (DA) once. Decision 0020.
 */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = readHandler(
  observability,
  erase,
  SCOPES.customersErase,
);
