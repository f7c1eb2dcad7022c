import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { type HttpResponse, problemResponse } from '#contract/http-mapping';
import { type ReadCall, readHandler } from '#adapters/read-handler';
import { type ReadRequestEvent, jsonAnswer, notFoundAnswer } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import { parseKindRequest } from '#domain/commitment-kind';
import type { PayeeKind } from '#domain/payee';
import { isUuidV4 } from '#domain/payment-schema';
import { lazyCorrectionRepository } from '#adapters/correction-repository';
import { customerKind } from '#adapters/customer-kind';
import { lazyKindRepository } from '#adapters/kind-repository';
import { lazyReportRepository } from '#adapters/report-repository';
import { parsedOrProblem } from '#adapters/request-body';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const reports = lazyReportRepository(observability);
const corrections = lazyCorrectionRepository(observability);
const kinds = lazyKindRepository(observability);

const setKind = async ({ requestId, sub, clientId, body, params }: ReadCall): Promise<HttpResponse> => {
  // A customer's own token only: an integration's or operations' `sub` is a client id, not a user.
  if (!isUuidV4(sub))
    return problemResponse('Forbidden', requestId, "Only the customer's own token may say what their commitment is");
  const request = parsedOrProblem(requestId, 'InvalidKind', () => parseKindRequest(body));
  if ('statusCode' in request) return request;
  const commitmentId = params.id ?? '';
  const found = await customerKind(
    { reports: reports(), corrections: corrections(), kinds: kinds() },
    sub,
    commitmentId,
  );
  if (!found) return notFoundAnswer(requestId, 'such commitment');
  const answer = (kind: PayeeKind | null, kindSource: string | null) =>
    jsonAnswer(200, { commitmentId, kind, kindSource }, requestId);
  if (found.kindSource === 'integration')
    return problemResponse('KindSetByIntegration', requestId, `The integration names this commitment ${found.kind}`);
  // The same kind again changes nothing and keeps nothing: the answer is the kind as it is.
  if (found.kind === request.kind) return answer(found.kind, found.kindSource);
  const choice = { commitmentId, kind: request.kind, at: new Date().toISOString(), by: sub, clientId: clientId ?? '' };
  await kinds().append({ choiceId: randomUUID(), userId: sub, choice, requestId });
  return answer(request.kind, 'customer');
};

/**
 * PUT /commitments/{id}/kind: the caller says what one of their commitments is (rent, utility, telecom, …) when no
 * integration named it; the report run uses it from the next run (decision 0024). Each choice kept append-only.
 */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = readHandler(
  observability,
  setKind,
  SCOPES.write,
);
