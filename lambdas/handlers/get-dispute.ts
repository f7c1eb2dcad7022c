import type { Context } from 'aws-lambda';
import type { HttpResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, jsonAnswer, notFoundAnswer } from '#contract/read-api';
import { SCOPES, parseScopeClaim } from '#contract/scopes';
import { isOwnedBy } from '#domain/read-access';
import { lazyDisputeRepository } from '#adapters/dispute-repository';
import { readHandler } from '#adapters/read-handler';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const disputes = lazyDisputeRepository(observability);

/**
 * GET /disputes/{id}: one dispute with its state and outcome. The customer's own (another's answers 404, as a
 * missing one does), or any with `disputes-admin` (operations).
 */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = (event, context) =>
  readHandler(observability, async ({ requestId, sub, params }) => {
    const dispute = params.id === undefined ? undefined : await disputes().get(params.id);
    const admin = parseScopeClaim(event.requestContext.authorizer?.claims?.scope).includes(SCOPES.disputesAdmin);
    if (!dispute || !(admin || isOwnedBy(dispute, sub))) return notFoundAnswer(requestId, 'such dispute');
    return jsonAnswer(200, dispute, requestId);
  })(event, context);
