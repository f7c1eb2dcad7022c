import type { Context } from 'aws-lambda';
import type { HttpResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, jsonAnswer } from '#contract/read-api';
import { consentOf } from '#domain/commitment-consent';
import { optedInByDefault } from '#adapters/config';
import { lazyConsentRepository } from '#adapters/consent-repository';
import { lazyCorrectionRepository } from '#adapters/correction-repository';
import { customerCommitments } from '#adapters/customer-commitments';
import { lazyReportRepository } from '#adapters/report-repository';
import { readHandler } from '#adapters/read-handler';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const reports = lazyReportRepository(observability);
const corrections = lazyCorrectionRepository(observability);
const consent = lazyConsentRepository(observability);

/**
 * GET /commitments: the caller's commitments from their latest report, with their corrections applied,
 * and the corrections themselves (the audit trail). Nobody else's: everything is read by the token's `sub`.
 */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = readHandler(
  observability,
  async ({ requestId, sub }) => {
    const [found, changes] = await Promise.all([
      customerCommitments(reports(), corrections(), sub ?? '', new Date()),
      consent().ofUser(sub ?? ''),
    ]);
    const { report, listing } = found;
    const byDefault = optedInByDefault();
    const builtAt = report?.builtAt;
    return jsonAnswer(
      200,
      {
        ...(report ? { month: report.month, builtAt: report.builtAt } : {}),
        // The consent now, not the report's: a change shows at once, as a correction does.
        commitments: listing.commitments.map((commitment) => ({
          ...commitment,
          consent: consentOf(changes, commitment.commitmentId, byDefault),
        })),
        mergedInto: listing.mergedInto,
        corrections: found.corrections,
        // Made after the report was built: shown here now, in the report after the next run.
        pendingCorrections: found.corrections.filter((correction) => !builtAt || correction.at > builtAt).length,
      },
      requestId,
    );
  },
);
