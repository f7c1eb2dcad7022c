import { nextMonth, previousMonth } from '#domain/month';
import type { CommitmentCorrection } from '#domain/commitment-correction';
import type { Dispute } from '#domain/dispute';
import { type ConsentChange, withConsent } from '#domain/commitment-consent';
import { type KindChoice, withKindChoices } from '#domain/commitment-kind';
import { HISTORY_MONTHS } from '#domain/payment-history';
import { monthsFromTo } from '#domain/user-history';
import {
  type CommitmentPayment,
  type MonthlyReport,
  type PaymentsOfMonth,
  buildMonthlyReport,
  buildReportFromHistory,
  isCurrentReport,
} from '#domain/report';
import {
  type ReportTally,
  type UserReportResult,
  addFailedBatch,
  addFailedLateBatch,
  addLateRebuilds,
  addResults,
} from '#domain/report-run';

/**
 * One batch of a report run's shard: a page of whole users read in one go, their reports built
 * and written together. Each child execution of the run walks its shard batch by batch, first
 * through the payments that arrived late for earlier months, then through the month itself.
 * The store is a port (DynamoDbReportRepository in AWS and locally; fakes in unit tests).
 */

/** One user's payments of the month, in time order. */
export interface UserMonth {
  userId: string;
  payments: CommitmentPayment[];
}

/** A payment received after its month had ended, as the late-arrivals index lists it. */
export interface LateArrival {
  userId: string;
  month: string;
}

/**
 * A page of a shard: `after` null reads from its start; the answer's `after` is null on the last
 * page. Pages end on a user boundary, however many payments that user has, so no user's month is
 * split between two batches.
 */
export interface PageRequest {
  month: string;
  shard: number;
  after: string | null;
  pageItems: number;
}

export interface ReportRunStore {
  /** A page of whole users of the month's shard, with all their payments of the month. */
  monthPage(request: PageRequest): Promise<{ users: UserMonth[]; after: string | null }>;
  /** The users of the same page, without reading their payments (to record a failed batch). */
  monthPageUsers(request: PageRequest): Promise<{ userIds: string[]; after: string | null }>;
  /** The reports of `month` of the users from `firstUserId` to `lastUserId` in the shard's order (one range read). */
  reportsInRange(month: string, shard: number, firstUserId: string, lastUserId: string): Promise<MonthlyReport[]>;
  /** A page of the late arrivals received in any of `receivedMonths`, in the shard. */
  lateArrivalsPage(
    request: PageRequest & { receivedMonths: readonly string[] },
  ): Promise<{ arrivals: LateArrival[]; after: string | null }>;
  /**
   * One user's payments of the local months `firstMonth`..`lastMonth`: each month, oldest first, in time
   * order, empty when it had none (one paginated query on the `byUser` index, decision 0022).
   */
  userHistory(userId: string, firstMonth: string, lastMonth: string): Promise<PaymentsOfMonth[]>;
  /**
   * The customers' corrections of their commitments (decision 0015), kept by the commitments API.
   * Optional while that store is wired: without it, reports are built with none.
   */
  commitmentCorrections?(userIds: readonly string[]): Promise<ReadonlyMap<string, readonly CommitmentCorrection[]>>;
  /** The customers' disputes, every state (decisions/0018); optional as corrections are. */
  disputes?(userIds: readonly string[]): Promise<ReadonlyMap<string, readonly Dispute[]>>;
  /** The customers' consent changes (decision 0021); without it, every commitment has the stage default. */
  commitmentConsent?(userIds: readonly string[]): Promise<ReadonlyMap<string, readonly ConsentChange[]>>;
  /** The customers' choices of their commitments' kinds (decision 0024); without it, only integrations name kinds. */
  commitmentKinds?(userIds: readonly string[]): Promise<ReadonlyMap<string, readonly KindChoice[]>>;
  getReport(userId: string, month: string): Promise<MonthlyReport | undefined>;
  /** Each report replaces the user's previous one whole, or not at all; `changedBy` is stamped on a month summary it changes. */
  putReports(reports: readonly MonthlyReport[], changedBy?: string): Promise<void>;
}

/**
 * The state of one shard's walk, which each step answers anew: where the next batch starts (null:
 * this phase is done), the tally so far, and the errors that stopped a phase early (carried
 * through to the summary, since the state machine's Pass states cannot count).
 */
export interface ShardWalk {
  month: string;
  shard: number;
  after: string | null;
  tally: ReportTally;
  /** The late phase's listing failed: its remaining late arrivals wait for the next run. */
  lateError: string | null;
  /** The month phase's listing failed: the shard's remaining users were not reported. */
  shardError: string | null;
}

export interface BatchSettings {
  pageItems: number;
  builtAt: string;
  /** The execution writing the reports: a month summary that later changes names it. */
  changedBy?: string;
  /** The stage's consent of a commitment never changed by its customer (decision 0021); opted out when absent. */
  optedInByDefault?: boolean;
}

/** What a user's reports are built with besides payments: their corrections, consent changes, kinds and disputes. */
interface UserChoices {
  corrections: readonly CommitmentCorrection[];
  consent: readonly ConsentChange[];
  kinds: readonly KindChoice[];
  disputes: readonly Dispute[];
}

/** A built report with the customer's consent and kind choices applied, as it is stored. */
const withChoices = (built: MonthlyReport, choices: UserChoices, optedInByDefault: boolean): MonthlyReport =>
  withKindChoices(withConsent(built, choices.consent, optedInByDefault), choices.kinds);

/** A user's report, or the failure that isolates that user from the rest of the batch. */
const buildOne = (
  user: UserMonth,
  month: string,
  previous: MonthlyReport | undefined,
  { builtAt, optedInByDefault = false }: BatchSettings,
  choices: UserChoices,
): { report?: MonthlyReport; result: UserReportResult } => {
  try {
    const { corrections, disputes } = choices;
    const built = buildMonthlyReport(user.userId, month, user.payments, previous, builtAt, corrections, disputes);
    const report = withChoices(built, choices, optedInByDefault);
    return {
      report,
      result: { userId: user.userId, payments: report.payments, commitments: report.commitments.length },
    };
  } catch (error) {
    // Only the domain's own refusals (a stored payment in an unknown currency): the store's
    // failures are thrown before this, and fail the batch, which the state machine retries.
    return { result: { userId: user.userId, failed: true, error: (error as Error).name } };
  }
};

/** Users read at once within a batch (first builds, late rebuilds): each walks its months in order, users in parallel. */
const USERS_IN_PARALLEL = 8;

const inGroups = async <T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += USERS_IN_PARALLEL) {
    results.push(...(await Promise.all(items.slice(start, start + USERS_IN_PARALLEL).map(work))));
  }
  return results;
};

const correctionsOf = (
  store: ReportRunStore,
  userIds: readonly string[],
): Promise<ReadonlyMap<string, readonly CommitmentCorrection[]>> =>
  store.commitmentCorrections ? store.commitmentCorrections(userIds) : Promise.resolve(new Map());

/** The users' corrections, consent changes and disputes, by user: one range read of each per shard among them. */
const choicesOf = async (
  store: ReportRunStore,
  userIds: readonly string[],
): Promise<(userId: string) => UserChoices> => {
  const [corrections, consent, kinds, disputes] = await Promise.all([
    correctionsOf(store, userIds),
    store.commitmentConsent ? store.commitmentConsent(userIds) : new Map<string, ConsentChange[]>(),
    store.commitmentKinds ? store.commitmentKinds(userIds) : new Map<string, KindChoice[]>(),
    store.disputes ? store.disputes(userIds) : new Map<string, Dispute[]>(),
  ]);
  return (userId) => ({
    corrections: corrections.get(userId) ?? [],
    consent: consent.get(userId) ?? [],
    kinds: kinds.get(userId) ?? [],
    disputes: disputes.get(userId) ?? [],
  });
};

/** The first of the 23 months before `month`: with it, the 24 a history shows. */
const historyStart = (month: string): string => {
  let at = month;
  for (let back = 1; back < HISTORY_MONTHS; back += 1) at = previousMonth(at);
  return at;
};

/**
 * The report a user's month builds on: the stored report of the month before, or, when there is
 * none (a first build, a backfill, a month without payments), the one folded from the payments of
 * the 23 months before (one query on the `byUser` index): the history is whole from the first report.
 */
export const priorReport = async (
  store: ReportRunStore,
  userId: string,
  month: string,
  builtAt: string,
  corrections: readonly CommitmentCorrection[],
  stored?: MonthlyReport,
  disputes: readonly Dispute[] = [],
): Promise<MonthlyReport | undefined> => {
  const previous = stored ?? (await store.getReport(userId, previousMonth(month)));
  if (previous && isCurrentReport(previous)) return previous;
  const months = await store.userHistory(userId, historyStart(month), previousMonth(month));
  if (months.every(({ payments }) => payments.length === 0)) return undefined;
  return buildReportFromHistory(userId, previousMonth(month), months, builtAt, corrections, disputes);
};

/** Builds and writes the reports of one page of the month's shard (access patterns 4, 5). */
export const buildReportBatch = async (
  store: ReportRunStore,
  walk: ShardWalk,
  settings: BatchSettings,
): Promise<ShardWalk> => {
  const { month, shard } = walk;
  const page = await store.monthPage({ month, shard, after: walk.after, pageItems: settings.pageItems });
  if (page.users.length === 0) return { ...walk, after: page.after };
  const previousReports = await store.reportsInRange(
    previousMonth(month),
    shard,
    page.users[0]!.userId,
    page.users.at(-1)!.userId,
  );
  const previousByUser = new Map(previousReports.map((report) => [report.userId, report]));
  const choices = await choicesOf(
    store,
    page.users.map((user) => user.userId),
  );
  const built = await inGroups(page.users, async (user) => {
    const own = choices(user.userId);
    const stored = previousByUser.get(user.userId);
    // Only a user without a current report of the month before reads deeper (a first build).
    const previous =
      stored && isCurrentReport(stored)
        ? stored
        : await priorReport(store, user.userId, month, settings.builtAt, own.corrections, stored, own.disputes);
    return buildOne(user, month, previous, settings, own);
  });
  // Only the reports are held while they are written: the page's payments can be collected.
  const next = {
    ...walk,
    after: page.after,
    tally: addResults(
      walk.tally,
      built.map(({ result }) => result),
    ),
  };
  await store.putReports(
    built.flatMap(({ report }) => (report ? [report] : [])),
    settings.changedBy,
  );
  return next;
};

/** The months a late payment's user needs rebuilt: from its month to the one before the run's, in order. */
export const monthsToRebuild = (from: string, runMonth: string): string[] =>
  monthsFromTo(from, previousMonth(runMonth));

/**
 * Rebuilds one user's reports from `from` to the month before the run's, each on the one before, so
 * the late payment's month is right and the later months' streaks and histories are corrected; the
 * run's own month is then built by the month phase on top of them. A month with no payments has no
 * report stored, but is built in memory so the next month's history shows it. Answers how many
 * reports it wrote.
 */
const rebuildUser = async (
  store: ReportRunStore,
  userId: string,
  from: string,
  runMonth: string,
  { builtAt, changedBy, optedInByDefault = false }: Omit<BatchSettings, 'pageItems'>,
  choices: UserChoices,
): Promise<number> => {
  const { corrections, disputes } = choices;
  let previous = await priorReport(store, userId, from, builtAt, corrections, undefined, disputes);
  let written = 0;
  // The months to rebuild, read at once (monthsToRebuild's months, each present).
  for (const { month, payments } of await store.userHistory(userId, from, previousMonth(runMonth))) {
    const built = buildMonthlyReport(userId, month, payments, previous, builtAt, corrections, disputes);
    const report = withChoices(built, choices, optedInByDefault);
    previous = report;
    if (payments.length === 0) continue;
    await store.putReports([report], changedBy);
    written += 1;
  }
  return written;
};

/** The received months whose late arrivals the run for `month` reads (why: rebuildLateReports); its failed batches are listed from the same. */
const lateReceivedMonths = (month: string): string[] => [month, nextMonth(month)];

/**
 * One page of the shard's late arrivals: payments received during the run's month or the next
 * one (before this run) for months before the run's. Every late payment is in the month it was
 * received, so each is read by the first run after it is stored: the next scheduled run at the latest.
 */
export const rebuildLateReports = async (
  store: ReportRunStore,
  walk: ShardWalk,
  settings: BatchSettings,
): Promise<ShardWalk> => {
  const { month, shard } = walk;
  const page = await store.lateArrivalsPage({
    month,
    shard,
    after: walk.after,
    pageItems: settings.pageItems,
    receivedMonths: lateReceivedMonths(month),
  });
  // Payments for the run's own month are the month phase's; later months are not reported yet.
  const earlier = page.arrivals.filter((arrival) => arrival.month < month);
  const fromByUser = new Map<string, string>();
  for (const { userId, month: paymentMonth } of earlier) {
    const from = fromByUser.get(userId);
    if (from === undefined || paymentMonth < from) fromByUser.set(userId, paymentMonth);
  }
  const users = [...fromByUser];
  const choices = await choicesOf(
    store,
    users.map(([userId]) => userId),
  );
  const written = await inGroups(users, ([userId, from]) =>
    rebuildUser(store, userId, from, month, settings, choices(userId)),
  );
  const reports = written.reduce((sum, count) => sum + count, 0);
  return {
    ...walk,
    after: page.after,
    tally: addLateRebuilds(walk.tally, { payments: earlier.length, users: users.length, reports }),
  };
};

export type BatchPhase = 'late' | 'month';

/**
 * A batch that failed after the state machine's retries: its users are listed again (keys only)
 * and recorded as failures, and the walk goes on after them. If even this listing fails, the
 * shard stops there and the summary records it.
 */
export const recordFailedBatch = async (
  store: ReportRunStore,
  { phase, error, ...walk }: ShardWalk & { phase: BatchPhase; error: string },
  settings: Pick<BatchSettings, 'pageItems'>,
): Promise<ShardWalk> => {
  const { month, shard } = walk;
  const request = { month, shard, after: walk.after, pageItems: settings.pageItems };
  if (phase === 'month') {
    const page = await store.monthPageUsers(request);
    return { ...walk, after: page.after, tally: addFailedBatch(walk.tally, page.userIds, error) };
  }
  const page = await store.lateArrivalsPage({ ...request, receivedMonths: lateReceivedMonths(month) });
  const userIds = [
    ...new Set(page.arrivals.filter((arrival) => arrival.month < month).map((arrival) => arrival.userId)),
  ];
  return { ...walk, after: page.after, tally: addFailedLateBatch(walk.tally, userIds, error) };
};
