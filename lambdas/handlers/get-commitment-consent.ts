import type { Context } from 'aws-lambda';
import type { HttpResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, jsonAnswer, notFoundAnswer } from '#contract/read-api';
import { optedInByDefault } from '#adapters/config';
import { lazyConsentRepository } from '#adapters/consent-repository';
import { lazyCorrectionRepository } from '#adapters/correction-repository';
import { customerConsent } from '#adapters/customer-consent';
import { readHandler } from '#adapters/read-handler';
import { lazyReportRepository } from '#adapters/report-repository';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const reports = lazyReportRepository(observability);
const corrections = lazyCorrectionRepository(observability);
const consent = lazyConsentRepository(observability);

/**
 * GET /commitments/{id}/consent: the caller's consent to report one of their commitments, and every change of it.
 * Read by the token's `sub` only: another user's commitment answers 404, as a missing one does.
 */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = readHandler(
  observability,
  async ({ requestId, sub, params }) => {
    const stores = { reports: reports(), corrections: corrections(), consent: consent() };
    const found = await customerConsent(stores, sub ?? '', params.id ?? '', optedInByDefault());
    return found ? jsonAnswer(200, found, requestId) : notFoundAnswer(requestId, 'such commitment');
  },
);
