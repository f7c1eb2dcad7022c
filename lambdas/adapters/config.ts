import { ENV, type EnvName } from '#contract/environment';

/** Thrown at cold start when the deployment forgot a variable: fail loudly, not on first use. */
export class MissingConfigurationError extends Error {
  override readonly name = 'MissingConfiguration';
}

export const requireEnv = (name: EnvName, env: NodeJS.ProcessEnv = process.env): string => {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new MissingConfigurationError(`Environment variable ${name} is not set`);
  }
  return value;
};

export const optionalIntEnv = (name: EnvName, fallback: number, env: NodeJS.ProcessEnv = process.env): number => {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) {
    throw new MissingConfigurationError(`Environment variable ${name} must be a positive integer, got "${value}"`);
  }
  return parsed;
};

/** The stage's consent of a commitment its customer never changed: opted out unless the stage says `opted-in`. */
export const optedInByDefault = (env: NodeJS.ProcessEnv = process.env): boolean => {
  const value = env[ENV.consentDefault];
  if (value === undefined || value === '' || value === 'opted-out') return false;
  if (value === 'opted-in') return true;
  throw new MissingConfigurationError(`Environment variable ${ENV.consentDefault} must be opted-in or opted-out`);
};
