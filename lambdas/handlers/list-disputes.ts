import type { Context } from 'aws-lambda';
import type { HttpResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, invalidParameterAnswer, jsonAnswer } from '#contract/read-api';
import { SCOPES, parseScopeClaim } from '#contract/scopes';
import { DISPUTE_OUTCOMES, type Dispute, openDays } from '#domain/dispute';
import { lazyDisputeRepository } from '#adapters/dispute-repository';
import { readHandler } from '#adapters/read-handler';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const disputes = lazyDisputeRepository(observability);
const STATES: readonly string[] = ['open', ...DISPUTE_OUTCOMES];

/** Operations' list: the open ones are one query of their markers (pattern 7); a resolution's outcome, every shard. */
const adminList = (state: string | undefined): Promise<Dispute[]> =>
  state === 'open' ? disputes().open() : disputes().all();

/**
 * GET /disputes: the customer's own disputes, oldest first, with state and outcome; with `disputes-admin`
 * (operations) every customer's, open ones by default, each with its age in days.
 */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = (event, context) =>
  readHandler(observability, async ({ requestId, sub, query }) => {
    const admin = parseScopeClaim(event.requestContext.authorizer?.claims?.scope).includes(SCOPES.disputesAdmin);
    const state = query.state ?? (admin ? 'open' : undefined);
    if (state !== undefined && !STATES.includes(state))
      return invalidParameterAnswer(requestId, 'state', `must be one of ${STATES.join(', ')}`);
    const found: Dispute[] = admin ? await adminList(state) : await disputes().ofUser(sub ?? '');
    const now = new Date();
    const listed = found
      .filter((dispute) => state === undefined || dispute.state === state)
      .map((dispute) => (dispute.state === 'open' ? { ...dispute, ageDays: openDays(dispute, now) } : dispute));
    return jsonAnswer(200, { disputes: listed }, requestId);
  })(event, context);
