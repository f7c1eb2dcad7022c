import { API_THROTTLE, CALLER_REQUESTS_PER_MINUTE } from '#contract/throttling';
import { throttleFromEnv, tokenBucketLimiter, userThrottleFromEnv } from '#local/api-gateway/rate-limiter';

describe('tokenBucketLimiter', () => {
  const clock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  test('allows a burst, then refuses with the seconds until the next request is allowed', () => {
    const time = clock();
    const limiter = tokenBucketLimiter({ ratePerSecond: 0.5, burst: 3 }, time.now);
    expect([1, 2, 3].map(() => limiter.take('app'))).toEqual([0, 0, 0]);
    expect(limiter.take('app')).toBe(2);
    time.advance(1000);
    expect(limiter.take('app')).toBe(1);
    time.advance(1000);
    expect(limiter.take('app')).toBe(0);
    expect(limiter.take('app')).toBe(2);
  });

  test('each client has its own bucket', () => {
    const time = clock();
    const limiter = tokenBucketLimiter({ ratePerSecond: 1, burst: 1 }, time.now);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
  });

  test('refills at the rate, never beyond the burst', () => {
    const time = clock();
    const limiter = tokenBucketLimiter({ ratePerSecond: 10, burst: 2 }, time.now);
    limiter.take('a');
    limiter.take('a');
    time.advance(60_000);
    expect([1, 2, 3].map(() => limiter.take('a'))).toEqual([0, 0, 1]);
  });

  test("a batch's items are taken all or none: what is refused leaves the bucket as it was", () => {
    const time = clock();
    const limiter = tokenBucketLimiter({ ratePerSecond: 1, burst: 10 }, time.now);
    expect(limiter.take('a', 6)).toBe(0);
    expect(limiter.take('a', 6)).toBe(2);
    expect(limiter.take('a', 4)).toBe(0);
    expect(limiter.take('a')).toBe(1);
    // More than the bucket ever holds is never allowed.
    time.advance(60_000);
    expect(limiter.take('a', 11)).toBeGreaterThan(0);
    expect(limiter.take('a', 10)).toBe(0);
  });
});

describe('throttleFromEnv', () => {
  test('defaults to the deployed API throttle', () => {
    expect(throttleFromEnv({}, API_THROTTLE)).toEqual(API_THROTTLE);
  });

  test('reads RATE_LIMIT_PER_SECOND and RATE_LIMIT_BURST', () => {
    expect(throttleFromEnv({ RATE_LIMIT_PER_SECOND: '2.5', RATE_LIMIT_BURST: '5' }, API_THROTTLE)).toEqual({
      ratePerSecond: 2.5,
      burst: 5,
    });
  });

  test.each([['0'], ['-1'], ['many'], ['Infinity']])('refuses RATE_LIMIT_PER_SECOND=%s', (value) => {
    expect(() => throttleFromEnv({ RATE_LIMIT_PER_SECOND: value }, API_THROTTLE)).toThrow(/RATE_LIMIT_PER_SECOND/);
  });

  test('refuses a burst below one request', () => {
    expect(() => throttleFromEnv({ RATE_LIMIT_BURST: '0.5' }, API_THROTTLE)).toThrow(/RATE_LIMIT_BURST/);
  });
});

describe("userThrottleFromEnv (each user's share, as the web ACL gives each token)", () => {
  test("defaults to the deployed per-caller share: the minute's requests at once, refilled over the minute", () => {
    expect(userThrottleFromEnv({}, CALLER_REQUESTS_PER_MINUTE)).toEqual({
      ratePerSecond: CALLER_REQUESTS_PER_MINUTE / 60,
      burst: CALLER_REQUESTS_PER_MINUTE,
    });
  });
  test('reads RATE_LIMIT_PER_USER_PER_MINUTE', () => {
    expect(userThrottleFromEnv({ RATE_LIMIT_PER_USER_PER_MINUTE: '6' }, CALLER_REQUESTS_PER_MINUTE)).toEqual({
      ratePerSecond: 0.1,
      burst: 6,
    });
  });
  test.each([['0'], ['-3'], ['lots'], ['0.5']])('refuses RATE_LIMIT_PER_USER_PER_MINUTE=%s', (value) => {
    expect(() => userThrottleFromEnv({ RATE_LIMIT_PER_USER_PER_MINUTE: value }, CALLER_REQUESTS_PER_MINUTE)).toThrow(
      /RATE_LIMIT_PER_USER_PER_MINUTE/,
    );
  });
});
