import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { type HttpResponse, problemResponse } from '#contract/http-mapping';
import { type ReadCall, readHandler } from '#adapters/read-handler';
import { type ReadRequestEvent, jsonAnswer, notFoundAnswer } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { consentChange, parseConsentRequest } from '#domain/commitment-consent';
import { isUuidV4 } from '#domain/payment-schema';
import { optedInByDefault } from '#adapters/config';
import { lazyConsentRepository } from '#adapters/consent-repository';
import { lazyCorrectionRepository } from '#adapters/correction-repository';
import { customerConsent } from '#adapters/customer-consent';
import { lazyReportRepository } from '#adapters/report-repository';
import { parsedOrProblem } from '#adapters/request-body';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const reports = lazyReportRepository(observability);
const corrections = lazyCorrectionRepository(observability);
const consent = lazyConsentRepository(observability);

const setConsent = async ({ requestId, sub, clientId, body, params }: ReadCall): Promise<HttpResponse> => {
  // A customer's own token only: an integration's or operations' `sub` is a client id, not a user.
  if (!isUuidV4(sub))
    return problemResponse('Forbidden', requestId, "Only the customer's own token may change their consent");
  const request = parsedOrProblem(requestId, 'InvalidConsent', () => parseConsentRequest(body));
  if ('statusCode' in request) return request;
  const commitmentId = params.id ?? '';
  const byDefault = optedInByDefault();
  const stores = { reports: reports(), corrections: corrections(), consent: consent() };
  const found = await customerConsent(stores, sub, commitmentId, byDefault);
  if (!found) return notFoundAnswer(requestId, 'such commitment');
  const at = new Date().toISOString();
  const change = consentChange(
    found.changes,
    { commitmentId, report: request.report, at, by: sub, clientId: clientId ?? '' },
    byDefault,
  );
  // The same choice again changes nothing and keeps nothing: the answer is the state as it is.
  if (!change) return jsonAnswer(200, found, requestId);
  await consent().append({ changeId: randomUUID(), userId: sub, change, requestId });
  return jsonAnswer(
    200,
    { commitmentId, consent: { report: change.to, changedAt: change.at }, changes: [...found.changes, change] },
    requestId,
  );
};

/**
 * PUT /commitments/{id}/consent: the caller opts one of their commitments in to the credit file, or out, from the
 * next report run on. Each change kept append-only (who, when, which client, from, to); months already furnished stay.
 */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = readHandler(
  observability,
  setConsent,
  SCOPES.write,
);
