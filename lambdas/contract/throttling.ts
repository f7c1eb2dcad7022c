/**
 * The API's throttle, said once: the deployed API Gateway stage gets it through infra/config.ts
 * (PROD_SAFE_DEFAULTS, which a stage's cdk.json context may lower), and the local gateway uses
 * it as its default per-client limit, so a client that is throttled in AWS is throttled locally.
 * Dependency-free: infra and the local stack both import it.
 */
export interface Throttle {
  /** Steady requests per second the bucket refills at. */
  ratePerSecond: number;
  /** Bucket size: the requests allowed at once after a quiet spell. */
  burst: number;
}

export const API_THROTTLE: Throttle = { ratePerSecond: 500, burst: 1000 };
