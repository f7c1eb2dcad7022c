/**
 * What a monthly report run counts, per batch of users, per shard and in all. Pure: each shard's
 * child execution carries its tally from batch to batch, and the run summary is their sum.
 */
import type { FurnishingOutcome } from '#domain/furnishing';

/** A user's report built, or the failure recorded in its place. */
export type UserReportResult =
  { userId: string; payments: number; commitments: number } | { userId: string; failed: true; error: string };

export interface ReportFailure {
  userId: string;
  error: string;
}

/** What the run rebuilt because payments arrived after their month had been reported. */
export interface LateRebuilds {
  /** Late payments found (each for a month before the run's). */
  payments: number;
  /** Users whose earlier months were rebuilt. */
  users: number;
  /** Reports rebuilt: one per user and month, the later months' streak corrections included. */
  reports: number;
  /** Users whose rebuild failed after its retries (listed in `failures` too): their earlier months stay as they were. */
  failedUsers: number;
}

/** A shard whose child execution, or its listing, failed: its remaining users were not reported. */
export interface ShardFailure {
  shard: number;
  error: string;
}

export interface ReportTally {
  /** Every user the month's payments name, failed ones included. */
  users: number;
  payments: number;
  commitments: number;
  /** Users whose report failed, all of them; `failures` lists the first ones by name. */
  failedUsers: number;
  failures: ReportFailure[];
  late: LateRebuilds;
}

export interface RunSummary extends ReportTally {
  month: string;
  /** Users reported: `users` less `failedUsers`. */
  reported: number;
  /** Shards that did not finish; empty in a healthy run. */
  failedShards: ShardFailure[];
  startedAt: string;
  finishedAt: string;
  /** The execution that wrote this summary (the last run of the month). */
  executionName: string;
  /** A later run's execution that changed a report of the month (a late arrival); the counts include its change. */
  lastChangedBy?: string;
  /** When that run built the report it changed. */
  lastChangedAt?: string;
  /** The furnishing step's files (issue 23): each bureau's location, counts and checks; absent before it ran. */
  furnishing?: FurnishingOutcome;
}

/** What one shard's child execution answers: its tally, and the error that stopped it early, if any. */
export interface ShardResult {
  month: string;
  shard: number;
  tally: ReportTally;
  lateError?: string | null;
  shardError?: string | null;
}

/**
 * Failed users named per shard. The tallies travel in state payloads (256 KiB) and the summary is
 * one item (400 KB): 64 shards x 20 names stay far below both, while `failedUsers` stays exact.
 * The users of every failed batch are also in that child execution's history.
 */
export const MAX_LISTED_FAILURES = 20;

export const EMPTY_TALLY: ReportTally = {
  users: 0,
  payments: 0,
  commitments: 0,
  failedUsers: 0,
  failures: [],
  late: { payments: 0, users: 0, reports: 0, failedUsers: 0 },
};

const withFailures = (tally: ReportTally, failures: readonly ReportFailure[]): ReportTally => ({
  ...tally,
  users: tally.users + failures.length,
  failedUsers: tally.failedUsers + failures.length,
  failures: [...tally.failures, ...failures].slice(0, MAX_LISTED_FAILURES),
});

const isFailure = (result: UserReportResult): result is Extract<UserReportResult, { failed: true }> =>
  'failed' in result;

/** A tally with one batch of results added. */
export const addResults = (tally: ReportTally, results: readonly UserReportResult[]): ReportTally => {
  const built = results.filter((result) => !isFailure(result)) as Array<
    Extract<UserReportResult, { payments: number }>
  >;
  const counted = {
    ...tally,
    users: tally.users + built.length,
    payments: tally.payments + built.reduce((sum, result) => sum + result.payments, 0),
    commitments: tally.commitments + built.reduce((sum, result) => sum + result.commitments, 0),
  };
  return withFailures(
    counted,
    results.filter(isFailure).map(({ userId, error }) => ({ userId, error })),
  );
};

/** A batch that failed after its retries: each of its users is a failure. */
export const addFailedBatch = (tally: ReportTally, userIds: readonly string[], error: string): ReportTally =>
  withFailures(
    tally,
    userIds.map((userId) => ({ userId, error })),
  );

/** A batch of late-arrival rebuilds added. */
export const addLateRebuilds = (tally: ReportTally, late: Partial<LateRebuilds>): ReportTally => ({
  ...tally,
  late: {
    payments: tally.late.payments + (late.payments ?? 0),
    users: tally.late.users + (late.users ?? 0),
    reports: tally.late.reports + (late.reports ?? 0),
    failedUsers: tally.late.failedUsers + (late.failedUsers ?? 0),
  },
});

/**
 * A late-arrival batch that failed: its users are listed as failures (their earlier months were
 * not corrected) but not counted among the month's users, which the month phase counts.
 */
export const addFailedLateBatch = (tally: ReportTally, userIds: readonly string[], error: string): ReportTally => ({
  ...addLateRebuilds(tally, { failedUsers: userIds.length }),
  failures: [...tally.failures, ...userIds.map((userId) => ({ userId, error: `LateRebuild:${error}` }))].slice(
    0,
    MAX_LISTED_FAILURES,
  ),
});

const byUserId = (a: ReportFailure, b: ReportFailure): number =>
  a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;

/** The run's totals from each shard's tally. Failures are sorted so a re-run's summary reads the same. */
export const sumTallies = (tallies: readonly ReportTally[]): ReportTally => {
  const total = tallies.reduce<ReportTally>(
    (sum, tally) => ({
      users: sum.users + tally.users,
      payments: sum.payments + tally.payments,
      commitments: sum.commitments + tally.commitments,
      failedUsers: sum.failedUsers + tally.failedUsers,
      failures: [...sum.failures, ...tally.failures],
      late: addLateRebuilds(sum, tally.late).late,
    }),
    EMPTY_TALLY,
  );
  return { ...total, failures: [...total.failures].sort(byUserId) };
};

const isShardResult = (value: unknown): value is ShardResult =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ShardResult).shard === 'number' &&
  typeof (value as ShardResult).tally === 'object';

/**
 * The run's summary from its shards' results. A shard missing from them (its child execution
 * failed, which the Distributed Map tolerates) or stopped early is a failed shard: the summary
 * says so rather than reporting fewer users as if that were all of them.
 */
export const summarise = (
  run: { month: string; startedAt: string; finishedAt: string; executionName: string },
  shardResults: readonly unknown[],
  shardCount: number,
): RunSummary => {
  const results = shardResults.filter(isShardResult);
  const byShard = new Map(results.map((result) => [result.shard, result]));
  const failedShards: ShardFailure[] = [];
  for (let shard = 0; shard < shardCount; shard += 1) {
    const result = byShard.get(shard);
    if (!result) failedShards.push({ shard, error: 'ShardExecutionFailed' });
    else {
      if (result.lateError) failedShards.push({ shard, error: `LateRebuild:${result.lateError}` });
      if (result.shardError) failedShards.push({ shard, error: result.shardError });
    }
  }
  const total = sumTallies(results.map((result) => result.tally));
  return {
    month: run.month,
    ...total,
    reported: total.users - total.failedUsers,
    failedShards,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    executionName: run.executionName,
  };
};

/** What replacing one user's report changes in its month's summary. */
export interface SummaryChange {
  users: number;
  payments: number;
  commitments: number;
}

/**
 * The summary's change when a user's report `before` (none: the user had no report) is replaced by
 * one with figures `after`: a late payment adds a user, a payment or a commitment to a month whose
 * summary was written earlier. All zero when the figures are the same (a streak correction).
 */
export const summaryChange = (
  before: { payments: number; commitments: number } | undefined,
  after: { payments: number; commitments: number },
): SummaryChange => ({
  users: before ? 0 : 1,
  payments: after.payments - (before?.payments ?? 0),
  commitments: after.commitments - (before?.commitments ?? 0),
});

export const isNoChange = (change: SummaryChange): boolean =>
  change.users === 0 && change.payments === 0 && change.commitments === 0;
