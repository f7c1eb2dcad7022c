/**
 * What `npm run bench:report`'s generation process (`--generate-only`) hands back to the process
 * that runs the workflow: the figures the run must reproduce, and what generating cost. It crosses
 * the process boundary as one line of JSON on stdout, after a marker, so that anything else the
 * generation process might print cannot be taken for it; the Maps of the sample travel as arrays
 * of entries.
 */
export interface Expected {
  users: number;
  payments: number;
  /** Payments of the months before, stored for the backfilled users. */
  historyPayments: number;
  commitments: number;
  previousReports: number;
  sample: Array<{ userId: string; streaks: Map<string, number>; selfReported: Map<string, boolean> }>;
}

export interface GenerationResult {
  expected: Expected;
  /** Wall-clock time of the generation, s. */
  seconds: number;
  /** The generation process's own peak RSS (its `maxRSS`), bytes. */
  peakRssBytes: number;
  /** The generation process's CPU time (user + system), s. */
  cpuSeconds: number;
}

export const GENERATION_RESULT_MARKER = 'BENCH-GENERATION-RESULT ';

export const serialiseGenerationResult = (result: GenerationResult): string =>
  GENERATION_RESULT_MARKER +
  JSON.stringify({
    ...result,
    expected: {
      ...result.expected,
      sample: result.expected.sample.map(({ userId, streaks, selfReported }) => ({
        userId,
        streaks: [...streaks],
        selfReported: [...selfReported],
      })),
    },
  });

/** The result in the generation process's stdout (its last marked line); throws if there is none. */
export const parseGenerationResult = (stdout: string): GenerationResult => {
  const line = stdout
    .split('\n')
    .reverse()
    .find((candidate) => candidate.startsWith(GENERATION_RESULT_MARKER));
  if (line === undefined)
    throw new Error(`the generation process printed no result (stdout: ${JSON.stringify(stdout.slice(-500))})`);
  const raw = JSON.parse(line.slice(GENERATION_RESULT_MARKER.length)) as Omit<GenerationResult, 'expected'> & {
    expected: Omit<Expected, 'sample'> & {
      sample: Array<{ userId: string; streaks: Array<[string, number]>; selfReported: Array<[string, boolean]> }>;
    };
  };
  return {
    ...raw,
    expected: {
      ...raw.expected,
      sample: raw.expected.sample.map(({ userId, streaks, selfReported }) => ({
        userId,
        streaks: new Map(streaks),
        selfReported: new Map(selfReported),
      })),
    },
  };
};
