import { ENV } from '#contract/environment';
import type { BatchPhase } from '#domain/report-batch';
import { optionalIntEnv } from '#adapters/config';

/**
 * Payments per page of each phase of a shard's walk. Month pages: about 200 users of a few
 * payments each, one query of well under 1 MB, a Lambda invocation of seconds; the answer carries
 * only counts and a cursor, far below 256 KiB. Late pages are smaller: each of their users may need
 * up to 24 months rebuilt. BuildReports, RebuildLateReports and RecordFailedBatch (which lists a
 * failed page of either phase again) must page alike, so they all read them here.
 */
const PAGE_ITEMS: Readonly<
  Record<BatchPhase, { env: typeof ENV.reportPageSize | typeof ENV.latePageSize; fallback: number }>
> = {
  month: { env: ENV.reportPageSize, fallback: 1000 },
  late: { env: ENV.latePageSize, fallback: 100 },
};

export const pageItems = (phase: BatchPhase): number =>
  optionalIntEnv(PAGE_ITEMS[phase].env, PAGE_ITEMS[phase].fallback);
