import type { Context } from 'aws-lambda';
import { type HttpResponse, problemResponse } from '#contract/http-mapping';
import { type ReadCall, readHandler } from '#adapters/read-handler';
import { type ReadRequestEvent, invalidParameterAnswer, jsonAnswer } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { maskedIdentity, parseIdentityRequest } from '#domain/consumer-identity';
import { NotPaymentOwnerError } from '#domain/errors';
import { identityWrite } from '#domain/identity-lifecycle';
import { authorizeSubmission } from '#domain/ownership';
import { isUuidV4 } from '#domain/payment-schema';
import { canonicalUserId } from '#domain/user-id';
import { IdentityChangedError, lazyIdentityRepository } from '#adapters/identity-repository';
import { parsedOrProblem } from '#adapters/request-body';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const identities = lazyIdentityRepository(observability);

/** An integration may write the identity of a user it may submit for (the on-behalf scope), as it submits payments. */
const mayWrite = (call: ReadCall, userId: string): boolean => {
  try {
    authorizeSubmission(
      { sub: call.sub ?? '', scopes: call.scopes },
      { userId },
      {
        write: SCOPES.customersWrite,
        submitOnBehalf: SCOPES.submitOnBehalf,
      },
    );
    return true;
  } catch (error) {
    if (error instanceof NotPaymentOwnerError) return false;
    throw error;
  }
};

const putIdentity = async (call: ReadCall): Promise<HttpResponse> => {
  const { requestId, params } = call;
  if (!isUuidV4(params.userId)) return invalidParameterAnswer(requestId, 'userId', 'must be a UUID v4');
  const userId = canonicalUserId(params.userId);
  if (!mayWrite(call, userId))
    return problemResponse('Forbidden', requestId, 'This token may not write identities for this user');
  const at = new Date().toISOString();
  const identity = parsedOrProblem(requestId, 'InvalidIdentity', () =>
    parseIdentityRequest(call.body, at.slice(0, 10)),
  );
  if ('statusCode' in identity) return identity;
  const before = await identities().get(userId);
  const write = identityWrite(before, identity, { clientId: call.clientId ?? '', at });
  if (write.outcome === 'other-writer')
    return problemResponse('Forbidden', requestId, "Another integration keeps this customer's identity");
  if (write.outcome === 'erasure-pending')
    return problemResponse('IdentityConflict', requestId, "The customer's erasure is not furnished yet");
  try {
    await identities().replace(userId, before, write.record);
  } catch (error) {
    if (error instanceof IdentityChangedError) return problemResponse('IdentityConflict', requestId, error.message);
    throw error;
  }
  // Ids and outcomes only: never a field of the identity, nor the user id.
  observability.logger.info('Identity written', { requestId, outcome: write.outcome });
  return jsonAnswer(
    write.outcome === 'created' ? 201 : 200,
    { userId, identity: maskedIdentity(identity), writtenAt: at },
    requestId,
  );
};

/**
 * PUT /customers/{userId}/identity: a trusted integration stores (201) or replaces (200) a customer's identity for the
 * credit file, validated once; the answer masks the SSN. Decision 0020.
 */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = readHandler(
  observability,
  putIdentity,
  SCOPES.customersWrite,
);
