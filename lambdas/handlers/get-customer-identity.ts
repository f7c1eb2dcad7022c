import type { Context } from 'aws-lambda';
import { type HttpResponse, problemResponse } from '#contract/http-mapping';
import { type ReadCall, readHandler } from '#adapters/read-handler';
import { type ReadRequestEvent, jsonAnswer, notFoundAnswer } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { maskedIdentity } from '#domain/consumer-identity';
import { isUuidV4 } from '#domain/payment-schema';
import { lazyIdentityRepository } from '#adapters/identity-repository';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const identities = lazyIdentityRepository(observability);

const getOwnIdentity = async ({ requestId, sub }: ReadCall): Promise<HttpResponse> => {
  // A customer's own token only: an integration's or operations' `sub` is a client id, not a user.
  if (!isUuidV4(sub)) return problemResponse('Forbidden', requestId, "Only the customer's own token may read it");
  const record = await identities().get(sub);
  // None kept, or erased: the marker holds nothing to answer.
  if (record?.state !== 'active') return notFoundAnswer(requestId, 'identity');
  const { identity, writtenAt } = record;
  return jsonAnswer(200, { userId: sub, identity: maskedIdentity(identity), writtenAt }, requestId);
};

/** GET /customers/me/identity: the customer's own identity as kept for the credit file, the SSN masked. Decision 0020. */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = readHandler(
  observability,
  getOwnIdentity,
  SCOPES.read,
);
