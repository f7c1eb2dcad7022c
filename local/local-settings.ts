import { API_THROTTLE, CALLER_REQUESTS_PER_MINUTE } from '#contract/throttling';
import { type StackSettings, stackSettings } from '#devtools/stack-settings';
import type { Throttle } from '#contract/throttling';
import { throttleFromEnv, userThrottleFromEnv } from '#local/api-gateway/rate-limiter';
import { type InjectedFault, parseInjectedFaults } from '#local/lambda/fault-injection';
import { optedInByDefault } from '#adapters/config';
import { LOCAL_CHILD_EXECUTIONS_AT_ONCE } from '#local/step-functions/workflow-runner';

/** Every setting of `npm start`, read once from the environment (README lists the variables); the modules receive values. */
export interface LocalSettings extends StackSettings {
  injectedFaults: InjectedFault[];
  childExecutionsAtOnce: number;
  accessTokenLifetimeSeconds: number | undefined;
  /** Per client; by default what the deployed API allows. */
  throttle: Throttle;
  /** Per user (the token's `sub`). */
  userThrottle: Throttle;
  /** CONSENT_DEFAULT: `opted-in` or `opted-out` (default), a new commitment's consent; the handlers read it too. */
  optedInByDefault: boolean;
  /** LOCAL_LAMBDA_TIMEOUT_SECONDS: caps every local function's timeout (unset: each keeps its own). */
  functionTimeoutCapSeconds: number | undefined;
}

/** LOCAL_CHILD_EXECUTIONS_AT_ONCE: a report run's shards run locally at once (default 6, decision 0022; the ASL, and AWS, run 64). */
const childExecutionsAtOnce = (setting: string | undefined): number => {
  if (setting === undefined || setting === '') return LOCAL_CHILD_EXECUTIONS_AT_ONCE;
  const value = Number(setting);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`LOCAL_CHILD_EXECUTIONS_AT_ONCE must be a positive integer, got "${setting}"`);
  return value;
};

/** LOCAL_ACCESS_TOKEN_SECONDS: every client's access-token lifetime at the local provider (default: each client's, 1 h). */
const accessTokenLifetime = (setting: string | undefined): number | undefined => {
  if (setting === undefined || setting === '') return undefined;
  if (!/^[1-9]\d*$/.test(setting)) {
    throw new Error(`LOCAL_ACCESS_TOKEN_SECONDS must be a positive whole number of seconds, got "${setting}"`);
  }
  return Number(setting);
};

/**
 * LOCAL_LAMBDA_TIMEOUT_SECONDS, a positive whole number of seconds: what a local function's context reports as its
 * timeout at most (local/lambda/lambda-runtime.ts). `npm start` and `npm run report` read it.
 */
export const functionTimeoutCap = (env: NodeJS.ProcessEnv = process.env): number | undefined => {
  const setting = env.LOCAL_LAMBDA_TIMEOUT_SECONDS;
  if (setting === undefined || setting === '') return undefined;
  if (!/^[1-9]\d*$/.test(setting)) {
    throw new Error(`LOCAL_LAMBDA_TIMEOUT_SECONDS must be a positive whole number of seconds, got "${setting}"`);
  }
  return Number(setting);
};

/** Throws on the first bad value, naming its variable, so the stack reports it as a start failure. */
export const localSettings = (env: NodeJS.ProcessEnv = process.env): LocalSettings => ({
  ...stackSettings(env),
  injectedFaults: parseInjectedFaults(env.LOCAL_INJECT_FAULTS),
  childExecutionsAtOnce: childExecutionsAtOnce(env.LOCAL_CHILD_EXECUTIONS_AT_ONCE),
  accessTokenLifetimeSeconds: accessTokenLifetime(env.LOCAL_ACCESS_TOKEN_SECONDS),
  throttle: throttleFromEnv(env, API_THROTTLE),
  userThrottle: userThrottleFromEnv(env, CALLER_REQUESTS_PER_MINUTE),
  optedInByDefault: optedInByDefault(env),
  functionTimeoutCapSeconds: functionTimeoutCap(env),
});
