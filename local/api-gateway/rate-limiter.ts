import { type Throttle, perMinuteBucket } from '#contract/throttling';

/**
 * A token bucket per key (the client id of the verified token), as API Gateway throttles: each
 * bucket holds up to `burst` requests and refills at `ratePerSecond`. In memory, one process.
 */
export interface RateLimiter {
  /**
   * Takes `count` requests (one by default; a batch's items) from the key's bucket, all or none: 0 when allowed, else
   * the seconds until they would be. More than the bucket holds is never allowed.
   */
  take(key: string, count?: number): number;
}

export const tokenBucketLimiter = (throttle: Throttle, now: () => number = Date.now): RateLimiter => {
  const buckets = new Map<string, { tokens: number; updatedAt: number }>();
  return {
    take(key, count = 1) {
      const at = now();
      const bucket = buckets.get(key) ?? { tokens: throttle.burst, updatedAt: at };
      bucket.tokens = Math.min(
        throttle.burst,
        bucket.tokens + ((at - bucket.updatedAt) / 1000) * throttle.ratePerSecond,
      );
      bucket.updatedAt = at;
      buckets.set(key, bucket);
      if (bucket.tokens >= count) {
        bucket.tokens -= count;
        return 0;
      }
      // Retry-After is whole seconds (RFC 9110), so round up: retrying sooner would be refused again.
      return Math.max(1, Math.ceil((count - bucket.tokens) / throttle.ratePerSecond));
    },
  };
};

const positiveFromEnv = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${text}"`);
  return value;
};

/** RATE_LIMIT_PER_USER_PER_MINUTE over the deployed per-caller share; a bad value stops the start. */
export const userThrottleFromEnv = (env: NodeJS.ProcessEnv, requestsPerMinute: number): Throttle => {
  const perMinute = positiveFromEnv(env, 'RATE_LIMIT_PER_USER_PER_MINUTE', requestsPerMinute);
  if (perMinute < 1) throw new Error('RATE_LIMIT_PER_USER_PER_MINUTE must be at least 1');
  return perMinuteBucket(perMinute);
};

/** RATE_LIMIT_PER_SECOND / RATE_LIMIT_BURST over the deployed defaults; a bad value stops the start. */
export const throttleFromEnv = (env: NodeJS.ProcessEnv, defaults: Throttle): Throttle => {
  const read = (name: string, fallback: number): number => positiveFromEnv(env, name, fallback);
  const throttle = {
    ratePerSecond: read('RATE_LIMIT_PER_SECOND', defaults.ratePerSecond),
    burst: read('RATE_LIMIT_BURST', defaults.burst),
  };
  if (throttle.burst < 1) throw new Error('RATE_LIMIT_BURST must be at least 1');
  return throttle;
};
