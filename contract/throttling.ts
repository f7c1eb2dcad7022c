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

/**
 * Each caller's share, so that no single one can push everyone else into 429
 * (docs/decisions/0009-per-caller-fairness.md): requests per minute for one access token in AWS
 * (the web ACL's RatePerCaller rule, through infra/config.ts) and for one user (token `sub`)
 * locally. 3,000 a minute is 50/s sustained, a tenth of the stage throttle; a person submits a
 * few payments a month, a trusted integration's token is one caller too.
 */
export const CALLER_REQUESTS_PER_MINUTE = 3000;

/** A per-minute share as the local token bucket: the whole minute's requests at once, refilled evenly. */
export const perMinuteBucket = (requestsPerMinute: number): Throttle => ({
  ratePerSecond: requestsPerMinute / 60,
  burst: requestsPerMinute,
});
