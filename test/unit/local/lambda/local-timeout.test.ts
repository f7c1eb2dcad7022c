import type { FunctionDefinition } from '#contract/functions';
import { createLambdaContext, localTimeoutSeconds } from '#local/lambda/lambda-runtime';

const definition = { name: 'CheckIdempotency', timeoutSeconds: 10 } as FunctionDefinition;

describe('LOCAL_LAMBDA_TIMEOUT_SECONDS', () => {
  const saved = process.env.LOCAL_LAMBDA_TIMEOUT_SECONDS;
  afterEach(() => {
    if (saved === undefined) delete process.env.LOCAL_LAMBDA_TIMEOUT_SECONDS;
    else process.env.LOCAL_LAMBDA_TIMEOUT_SECONDS = saved;
  });

  test('unset or empty: each function keeps its own timeout', () => {
    expect(localTimeoutSeconds(definition, undefined)).toBe(10);
    expect(localTimeoutSeconds(definition, '')).toBe(10);
  });

  test('caps a longer timeout and never lengthens a shorter one', () => {
    expect(localTimeoutSeconds(definition, '3')).toBe(3);
    expect(localTimeoutSeconds(definition, '60')).toBe(10);
  });

  test('anything but a positive whole number of seconds is refused, naming the variable', () => {
    for (const setting of ['0', '-1', '2.5', 'ten']) {
      expect(() => localTimeoutSeconds(definition, setting)).toThrow(/LOCAL_LAMBDA_TIMEOUT_SECONDS/);
    }
  });

  test("the handler's context reports the capped remaining time (what Powertools sets an in-progress expiry from)", () => {
    process.env.LOCAL_LAMBDA_TIMEOUT_SECONDS = '3';
    const remaining = createLambdaContext(definition, 'test-').getRemainingTimeInMillis();
    expect(remaining).toBeLessThanOrEqual(3_000);
    expect(remaining).toBeGreaterThan(2_000);
    delete process.env.LOCAL_LAMBDA_TIMEOUT_SECONDS;
    expect(createLambdaContext(definition, 'test-').getRemainingTimeInMillis()).toBeGreaterThan(9_000);
  });
});
