import type { Context } from 'aws-lambda';
import type { HttpResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, jsonAnswer } from '#contract/read-api';
import { lazyCorrectionRepository } from '#adapters/correction-repository';
import { customerCommitments } from '#adapters/customer-commitments';
import { lazyReportRepository } from '#adapters/report-repository';
import { readHandler } from '#adapters/read-handler';
import { createObservability } from '#adapters/workflow-handler';

const observability = createObservability();
const reports = lazyReportRepository(observability);
const corrections = lazyCorrectionRepository(observability);

/**
 * GET /commitments: the caller's commitments from their latest report, with their corrections applied,
 * and the corrections themselves (the audit trail). Nobody else's: everything is read by the token's `sub`.
 */
export const handler: (event: ReadRequestEvent, context: Context) => Promise<HttpResponse> = readHandler(
  observability,
  async ({ requestId, sub }) => {
    const found = await customerCommitments(reports(), corrections(), sub ?? '', new Date());
    const { report, listing } = found;
    const builtAt = report?.builtAt;
    return jsonAnswer(
      200,
      {
        ...(report ? { month: report.month, builtAt: report.builtAt } : {}),
        commitments: listing.commitments,
        mergedInto: listing.mergedInto,
        corrections: found.corrections,
        // Made after the report was built: shown here now, in the report after the next run.
        pendingCorrections: found.corrections.filter((correction) => !builtAt || correction.at > builtAt).length,
      },
      requestId,
    );
  },
);
