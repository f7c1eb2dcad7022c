import path from 'node:path';
import { UsageError } from '#devtools/cli-runner';

/**
 * Where a local stack lives, read from the environment in one place: `npm start` serves on these
 * settings and every command that talks to a running stack (`npm run report`, `npm run ops`,
 * `npm run token`) finds it by the same ones, so one set of variables names one stack.
 */
export interface StackSettings {
  /** The HTTP gateway (and the token issuer's URL). */
  port: number;
  /** The Step Functions API; 8083 as AWS's Step Functions Local. */
  sfnPort: number;
  /** The DynamoDB Local the stack starts, unless `dynamoDbEndpoint` names one already running. */
  dynamoDbPort: number;
  /** Set: use this DynamoDB (the tests' shared instance) instead of starting one. */
  dynamoDbEndpoint: string | undefined;
  tablePrefix: string;
  /** Absolute: the signing key, the database files and the execution records. */
  dataDir: string;
  /** LOG_LEVEL as set (empty = unset); unset, each command logs at its DEFAULT_LOG_LEVEL. */
  logLevel: string | undefined;
  /** The region the local SDK clients and the handlers sign for; DynamoDB Local with -sharedDb ignores it. */
  awsRegion: string;
}

/** LOG_LEVEL unset: `npm start` logs at INFO; `npm run report` at WARN, since what it prints is the run's summary. */
export const DEFAULT_LOG_LEVEL = { stack: 'INFO', reportRun: 'WARN' } as const;

/** AWS_REGION, read here alone: clients made outside a stack's settings (tests, benches) use the same default. */
export const awsRegionSetting = (env: NodeJS.ProcessEnv = process.env): string => env.AWS_REGION ?? 'eu-west-2';

/** A usage error: the CLIs answer it with their usage and exit 2, as for a bad option. */
export class InvalidStackSettingError extends UsageError {
  override readonly name = 'InvalidStackSetting';
}

const portOf = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new InvalidStackSettingError(`${name} must be a port number from 1 to 65535 (got "${text}")`);
  }
  return port;
};

export const stackSettings = (env: NodeJS.ProcessEnv = process.env): StackSettings => ({
  port: portOf(env, 'PORT', 3000),
  sfnPort: portOf(env, 'SFN_PORT', 8083),
  dynamoDbPort: portOf(env, 'DYNAMODB_PORT', 8000),
  dynamoDbEndpoint: env.DYNAMODB_ENDPOINT || undefined,
  tablePrefix: env.TABLE_PREFIX ?? '',
  dataDir: path.resolve(env.DATA_DIR ?? '.data'),
  logLevel: env.LOG_LEVEL || undefined,
  awsRegion: awsRegionSetting(env),
});

/** The DynamoDB a running stack with these settings uses. */
export const stackDynamoDbEndpoint = (settings: StackSettings): string =>
  settings.dynamoDbEndpoint ?? `http://localhost:${settings.dynamoDbPort}`;

/** The running stack's Step Functions API. */
export const stackSfnEndpoint = (settings: StackSettings): string => `http://localhost:${settings.sfnPort}`;
