/**
 * What a monthly report run counts, per page of users, per shard and in all. Pure: the workflow
 * carries the tallies between its steps and the summary is their sum.
 */

/** BuildReport's answer for one user, or the failure the state machine recorded in its place. */
export type UserReportResult =
  | { userId: string; payments: number; commitments: number }
  | { userId: string; failed: true; error: string };

export interface ReportFailure {
  userId: string;
  error: string;
}

export interface ReportTally {
  users: number;
  payments: number;
  commitments: number;
  failures: ReportFailure[];
}

export interface RunSummary extends ReportTally {
  month: string;
  /** Users reported: `users` counts every user the index listed, failed ones included. */
  reported: number;
  startedAt: string;
  finishedAt: string;
  /** The execution that wrote this summary (the last run of the month). */
  executionName: string;
}

export const EMPTY_TALLY: ReportTally = { users: 0, payments: 0, commitments: 0, failures: [] };

const isFailure = (result: UserReportResult): result is Extract<UserReportResult, { failed: true }> => 'failed' in result;

/** A tally with one page of results added. */
export const addResults = (tally: ReportTally, results: readonly UserReportResult[]): ReportTally =>
  results.reduce<ReportTally>(
    (sum, result) =>
      isFailure(result)
        ? { ...sum, users: sum.users + 1, failures: [...sum.failures, { userId: result.userId, error: result.error }] }
        : {
            ...sum,
            users: sum.users + 1,
            payments: sum.payments + result.payments,
            commitments: sum.commitments + result.commitments,
          },
    tally,
  );

/** The run's totals from each shard's tally. Failures are sorted so a re-run's summary reads the same. */
export const sumTallies = (tallies: readonly ReportTally[]): ReportTally => {
  const total = tallies.reduce<ReportTally>(
    (sum, tally) => ({
      users: sum.users + tally.users,
      payments: sum.payments + tally.payments,
      commitments: sum.commitments + tally.commitments,
      failures: [...sum.failures, ...tally.failures],
    }),
    EMPTY_TALLY,
  );
  return { ...total, failures: [...total.failures].sort((a, b) => a.userId.localeCompare(b.userId)) };
};

export const summarise = (
  run: { month: string; startedAt: string; finishedAt: string; executionName: string },
  tallies: readonly ReportTally[],
): RunSummary => {
  const total = sumTallies(tallies);
  return { month: run.month, ...total, reported: total.users - total.failures.length, startedAt: run.startedAt, finishedAt: run.finishedAt, executionName: run.executionName };
};
