import type { FunctionDefinition } from '#contract/functions';
import { createLambdaContext, localTimeoutSeconds } from '#local/lambda/lambda-runtime';
import { functionTimeoutCap, localSettings } from '#local/local-settings';

const definition = { name: 'CheckIdempotency', timeoutSeconds: 10 } as FunctionDefinition;

describe('LOCAL_LAMBDA_TIMEOUT_SECONDS', () => {
  test('unset or empty: no cap, each function keeps its own timeout', () => {
    expect(functionTimeoutCap({})).toBeUndefined();
    expect(functionTimeoutCap({ LOCAL_LAMBDA_TIMEOUT_SECONDS: '' })).toBeUndefined();
    expect(localTimeoutSeconds(definition, undefined)).toBe(10);
  });

  test('caps a longer timeout and never lengthens a shorter one', () => {
    expect(functionTimeoutCap({ LOCAL_LAMBDA_TIMEOUT_SECONDS: '3' })).toBe(3);
    expect(localTimeoutSeconds(definition, 3)).toBe(3);
    expect(localTimeoutSeconds(definition, 60)).toBe(10);
  });

  test('anything but a positive whole number of seconds is refused, naming the variable, with the settings of npm start', () => {
    for (const setting of ['0', '-1', '2.5', 'ten']) {
      expect(() => functionTimeoutCap({ LOCAL_LAMBDA_TIMEOUT_SECONDS: setting })).toThrow(
        /LOCAL_LAMBDA_TIMEOUT_SECONDS/,
      );
      expect(() => localSettings({ LOCAL_LAMBDA_TIMEOUT_SECONDS: setting })).toThrow(/LOCAL_LAMBDA_TIMEOUT_SECONDS/);
    }
    expect(localSettings({ LOCAL_LAMBDA_TIMEOUT_SECONDS: '3' }).functionTimeoutCapSeconds).toBe(3);
  });

  test("the handler's context reports the capped remaining time (what Powertools sets an in-progress expiry from)", () => {
    const remaining = createLambdaContext(definition, 'test-', 3).getRemainingTimeInMillis();
    expect(remaining).toBeLessThanOrEqual(3_000);
    expect(remaining).toBeGreaterThan(2_000);
    expect(createLambdaContext(definition, 'test-').getRemainingTimeInMillis()).toBeGreaterThan(9_000);
  });

  test('read once with the settings: a process whose variable changes later keeps the cap it started with', () => {
    const saved = process.env.LOCAL_LAMBDA_TIMEOUT_SECONDS;
    try {
      process.env.LOCAL_LAMBDA_TIMEOUT_SECONDS = 'ten';
      expect(createLambdaContext(definition, 'test-', 3).getRemainingTimeInMillis()).toBeLessThanOrEqual(3_000);
    } finally {
      if (saved === undefined) delete process.env.LOCAL_LAMBDA_TIMEOUT_SECONDS;
      else process.env.LOCAL_LAMBDA_TIMEOUT_SECONDS = saved;
    }
  });
});
