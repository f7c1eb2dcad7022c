import type { Context } from 'aws-lambda';
import { ENV } from '#contract/environment';
import { type FurnishingOutcome, type FurnishingResult, furnishBureau } from '#domain/furnishing';
import { bureausFromSetting } from '#domain/furnishing-bureaus';
import { metro2Formatter, withoutIdentity } from '#domain/metro2/formatter';
import { validateMetro2File } from '#domain/metro2/validate';
import { furnisherFor } from '#adapters/furnisher';
import { furnishingSinkFromEnv } from '#adapters/furnishing-sink';
import { identitySourceFromEnv } from '#adapters/identity-source';
import { pageItems } from '#adapters/report-pages';
import { lazyReportRepository } from '#adapters/report-repository';
import { lazyPaymentsTableRepository } from '#adapters/payments-table';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface FurnishMonthInput {
  requestId: string;
  month: string;
}

const observability = createObservability();
const reports = lazyReportRepository(observability);
const identities = lazyPaymentsTableRepository(observability, (client) => identitySourceFromEnv(client));

const furnishOne = (month: string, bureau: string, today: string): Promise<FurnishingResult> =>
  furnishBureau(month, bureau, reports().reportsOfMonth(month, pageItems('month')), {
    formatter: metro2Formatter(furnisherFor(bureau), today),
    validator: async (lines) => (await validateMetro2File(lines, { today })).map(withoutIdentity),
    identities: identities(),
    sink: furnishingSinkFromEnv(observability),
  });

/**
 * FurnishMonth: after the month's reports are written, one Metro 2 file per configured bureau, streamed from the
 * reports page by page, validated, and delivered (or not). Answers counts, locations and violations only: no identity.
 */
export const handler: (input: FurnishMonthInput, context: Context) => Promise<FurnishingOutcome> = workflowHandler(
  observability,
  async ({ month }) => {
    const today = new Date().toISOString().slice(0, 10);
    const files: FurnishingResult[] = [];
    for (const bureau of bureausFromSetting(process.env[ENV.furnishingBureaus]))
      files.push(await furnishOne(month, bureau, today));
    for (const file of files) {
      const counts =
        file.status === 'delivered'
          ? { base: file.manifest.records.base, skipped: file.manifest.skipped }
          : { violations: file.violations.length };
      observability.logger[file.status === 'delivered' ? 'info' : 'warn']('Furnishing file', {
        month,
        bureau: file.status === 'delivered' ? file.manifest.bureau : file.bureau,
        status: file.status,
        ...counts,
      });
    }
    return { files };
  },
);
