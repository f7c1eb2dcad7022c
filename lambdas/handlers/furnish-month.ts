import type { Context } from 'aws-lambda';
import { ENV } from '#contract/environment';
import {
  type BureauFurnishing,
  type FurnishingOutcome,
  type FurnishingResult,
  furnishBureau,
} from '#domain/furnishing';
import { bureausFromSetting } from '#domain/furnishing-bureaus';
import { metro2Formatter, withoutIdentity } from '#domain/metro2/formatter';
import { validateMetro2File } from '#domain/metro2/validate';
import { furnisherFor } from '#adapters/furnisher';
import { furnishingSinkFromEnv } from '#adapters/furnishing-sink';
import { lazyIdentityRepository } from '#adapters/identity-repository';
import { pageItems } from '#adapters/report-pages';
import { lazyReportRepository } from '#adapters/report-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface FurnishMonthInput {
  requestId: string;
  month: string;
}

const observability = createObservability();
const reports = lazyReportRepository(observability);
const identities = lazyIdentityRepository(observability);

const furnishOne = (month: string, bureau: string, today: string): Promise<BureauFurnishing> =>
  furnishBureau(month, bureau, reports().reportsOfMonth(month, pageItems('month')), {
    formatter: metro2Formatter(furnisherFor(bureau), today),
    validator: async (lines) => (await validateMetro2File(lines, { today })).map(withoutIdentity),
    identities: identities(),
    sink: furnishingSinkFromEnv(observability),
  });

/**
 * Erasures furnished once: only when every bureau's file of the month is delivered are the customers whose `DA` they
 * carried marked (ids, in this function, never through the history). A rejected file marks nobody, so the next run
 * sends the `DA` again; a retry after a crash here re-sends the same month's files, which is what the mark allows.
 */
const markErasures = async (month: string, furnished: readonly BureauFurnishing[]): Promise<number> => {
  if (furnished.some(({ result }) => result.status !== 'delivered')) return 0;
  const erased = [...new Set(furnished.flatMap(({ erasedUserIds }) => erasedUserIds))];
  if (erased.length > 0) await identities().markErasureFurnished(erased, month);
  return erased.length;
};

/**
 * FurnishMonth: after the month's reports are written, one Metro 2 file per configured bureau, streamed from the
 * reports page by page, validated, and delivered (or not); then the erasures those files furnished are marked.
 * Answers counts, locations and violations only: no identity, no user id.
 */
export const handler: (input: FurnishMonthInput, context: Context) => Promise<FurnishingOutcome> = workflowHandler(
  observability,
  async ({ month }) => {
    const today = new Date().toISOString().slice(0, 10);
    const furnished: BureauFurnishing[] = [];
    for (const bureau of bureausFromSetting(process.env[ENV.furnishingBureaus]))
      furnished.push(await furnishOne(month, bureau, today));
    const files: FurnishingResult[] = furnished.map(({ result }) => result);
    const erasuresMarked = await markErasures(month, furnished);
    if (erasuresMarked > 0) observability.logger.info('Erasures furnished', { month, count: erasuresMarked });
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
