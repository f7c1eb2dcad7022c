import type { BundleFigures } from './bundles';
import type { CapacityLedger } from './capacity';
import type { CeilingResult } from './dynamodb-ceiling';
import type { LoadResult } from './load-client';
import type { RunStart } from './machine';

/** How `npm run bench` loads the stack: what its measure step does and its report states. */
export const SUBMISSION_PLAN = {
  /** Far above any rate this machine reaches: the per-client throttle must not shape the figures. */
  noThrottle: '1000000',
  warmUpSeconds: 3,
  capacitySamples: 20,
  /** POST /payments/batch: payments per request, and the connection counts it runs at (the 1 and 16). */
  batchSize: 100,
  batchMaxConnections: 16,
  /** A batch of 100 takes seconds locally: a row needs long enough for a fair count of them. */
  batchMinSeconds: 40,
} as const;

export interface SubmissionOptions {
  durationSeconds: number;
  concurrencies: number[];
  profile: boolean;
  bundles: boolean;
}

export interface MeasuredLoad extends LoadResult {
  /** CPU ms per answered request: the server under test, and DynamoDB Local. */
  cpuMsPerRequest: { server: number; dynamoDb: number };
}

export interface MeasuredCapacity {
  ledger: CapacityLedger;
  accepted: number;
}

/** Everything one run measured: the render step turns it into the markdown report. */
export interface SubmissionFigures extends RunStart {
  options: SubmissionOptions;
  loadAfter: string;
  /** Users with tokens: the largest connection count. */
  users: number;
  workflow: MeasuredLoad[];
  direct: MeasuredLoad[];
  batch: MeasuredLoad[];
  ceiling: CeilingResult[];
  /** Submissions of this month, late arrivals (payments of `lateTimestamp`'s month), and one batch. */
  capacity: { onTime: MeasuredCapacity; late: MeasuredCapacity; batch: MeasuredCapacity };
  lateTimestamp: string;
  bundles: BundleFigures[];
  profileFile?: string;
}
