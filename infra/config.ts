import type { Node } from 'constructs';
import { API_THROTTLE, CALLER_REQUESTS_PER_MINUTE } from '#contract/throttling';
import { METRO2_BUREAUS } from '#domain/metro2/formatter';

/**
 * Per-stage settings. They live in cdk.json context (`stages.<name>`) and are read here only.
 * Every setting has a prod-safe default below; a stage's context overrides only what it names,
 * so a forgotten setting errs on the side of production (retention, throttles, concurrency).
 * The stage itself comes from `-c stage=dev|prod` (cdk.json's `stage` is the default: dev, so a
 * bare `cdk deploy` never touches production; each stage is its own stack).
 */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface WebAppDomain {
  name: string;
  certificateArn: string;
}

export interface StageConfig {
  stage: string;
  /** Pin the stack to an account/region (prod should); otherwise the CLI's defaults apply. */
  account?: string;
  region?: string;
  /** Powertools log level of the handlers. */
  logLevel: LogLevel;
  /** Retention of every log group (Lambda, workflow executions, API access logs). */
  logRetentionDays: number;
  /**
   * Retention of the workflows' execution logs, which hold execution data (a submission's body, its user id,
   * description and amount): as long as auditors need to retrace a submission, no longer (docs/security.md).
   */
  executionLogRetentionDays: number;
  /** API Gateway stage throttle: steady requests per second and burst bucket. */
  apiRateLimit: number;
  apiBurstLimit: number;
  /** WAF rate-based rule: requests per source IP per 5 minutes before it blocks (429). */
  wafRequestsPerIpPer5Min: number;
  /** WAF rate-based rule: requests per access token (one caller) per minute before it blocks (429), whatever the IPs. */
  wafRequestsPerCallerPerMinute: number;
  /**
   * Reserved concurrency of each submission Lambda; `null` for none (the unreserved pool).
   * The account must keep 100 unreserved executions, so 4 x this + 100 <= the account quota.
   */
  reservedConcurrency: number | null;
  lambdaMemoryMb: number;
  /** Seconds a completed idempotency record is kept (IDEMPOTENCY_TTL_SECONDS). */
  idempotencyTtlSeconds: number;
  /** Cognito hosted UI domain prefix (globally unique per region); default `payments-tracker-<stage>-<account>`. */
  cognitoDomainPrefix?: string;
  /** Cognito feature plan: PLUS buys threat protection (compromised credentials, adaptive auth). */
  cognitoFeaturePlan: 'ESSENTIALS' | 'PLUS';
  selfSignUp: boolean;
  /** OAuth redirect URLs of the user app (authorization code + PKCE). */
  userAppCallbackUrls: string[];
  userAppLogoutUrls: string[];
  /** Create the account-wide API Gateway CloudWatch Logs role (needed once per account and region). */
  apiGatewayCloudWatchRole: boolean;
  /** CloudFormation termination protection of the stack. */
  terminationProtection: boolean;
  /**
   * The web app's own domain (and the API beside it), with its ACM certificate (in us-east-1, as CloudFront requires):
   * viewers then get TLS 1.2 at least (TLSv1.2_2021). Without it the distribution answers on *.cloudfront.net, whose
   * default certificate cannot pin a minimum protocol. DNS (an alias to the distribution) is the owner's to add.
   */
  webAppDomain?: WebAppDomain;
  /**
   * The API's own regional domain, with an ACM certificate in the stack's region: the distribution reaches the API
   * through it. DNS (an alias to the domain's regional name) is the owner's to add.
   */
  apiDomain?: WebAppDomain;
  /**
   * Turn off the API's default `execute-api` endpoint, so that the custom domain (apiDomain, behind the stage's web
   * ACL and reached through the distribution) is the only way in. Needs apiDomain.
   */
  disableExecuteApiEndpoint: boolean;
  /** Where alarms are sent besides the SNS topic (optional e-mail subscription). */
  alarmEmail?: string;
  /** p99 latency of POST /payments that raises the alarm. */
  latencyP99AlarmMs: number;
  /** Share of 5xx answers (percent) that raises the alarm. */
  serverErrorAlarmPercent: number;
  /** A new commitment's consent to the credit file until its customer changes it (CONSENT_DEFAULT, decision 0021). */
  consentDefault: 'opted-in' | 'opted-out';
  /** The bureaus a month's Metro 2 file is furnished to (FURNISHING_BUREAUS; each gets one file a month). */
  furnishingBureaus: string[];
  /** Days a delivered furnishing file is locked (object lock, governance mode) and a replaced version kept. */
  furnishingRetentionDays: number;
  /**
   * How the bureaus collect the files from the furnishing bucket: documented in docs/operations.md, not built yet.
   * `none` (default): operations hand them over; `transfer-family-sftp`: an AWS Transfer Family SFTP server over the
   * bucket, one user per bureau scoped to its key; `cross-account-read`: a bucket policy letting each bureau's account read.
   */
  furnishingPickup: 'none' | 'transfer-family-sftp' | 'cross-account-read';
}

/** Production-safe values: what any stage gets unless its context says otherwise. */
export const PROD_SAFE_DEFAULTS: Omit<StageConfig, 'stage'> = {
  logLevel: 'INFO',
  logRetentionDays: 365,
  executionLogRetentionDays: 90,
  apiRateLimit: API_THROTTLE.ratePerSecond,
  apiBurstLimit: API_THROTTLE.burst,
  wafRequestsPerIpPer5Min: 3000,
  wafRequestsPerCallerPerMinute: CALLER_REQUESTS_PER_MINUTE,
  reservedConcurrency: 100,
  lambdaMemoryMb: 1024,
  idempotencyTtlSeconds: 24 * 60 * 60,
  cognitoFeaturePlan: 'PLUS',
  selfSignUp: false,
  // Nothing goes onto a credit file without the customer's own opt-in unless a stage decides otherwise.
  consentDefault: 'opted-out',
  furnishingBureaus: ['equifax'],
  // Two years: a bureau's dispute of a furnished month is answered from the file as it was sent.
  furnishingRetentionDays: 731,
  furnishingPickup: 'none',
  userAppCallbackUrls: [],
  userAppLogoutUrls: [],
  apiGatewayCloudWatchRole: true,
  terminationProtection: true,
  disableExecuteApiEndpoint: true,
  latencyP99AlarmMs: 3000,
  serverErrorAlarmPercent: 1,
};

/** Log retentions CloudWatch accepts (days). */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const check = (condition: boolean, message: string): void => {
  if (!condition) throw new ConfigError(message);
};

/** The web app's and the API's own domains, and the one way in that the second makes possible. */
const validateDomains = (config: StageConfig, where: string): void => {
  if (config.webAppDomain !== undefined) {
    const { name, certificateArn } = config.webAppDomain as Partial<WebAppDomain>;
    check(
      typeof name === 'string' && HOST_NAME.test(name),
      `${where}: webAppDomain.name must be a lower-case host name (app.example.com)`,
    );
    check(
      typeof certificateArn === 'string' &&
        /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/.test(certificateArn),
      `${where}: webAppDomain.certificateArn must be an ACM certificate ARN in us-east-1 (CloudFront's region)`,
    );
  }
  check(
    !config.disableExecuteApiEndpoint || config.apiDomain !== undefined,
    `${where}: disableExecuteApiEndpoint needs apiDomain (the API's custom domain, then its only way in)`,
  );
  if (config.apiDomain !== undefined) {
    const { name, certificateArn } = config.apiDomain as Partial<WebAppDomain>;
    check(typeof name === 'string' && HOST_NAME.test(name), `${where}: apiDomain.name must be a lower-case host name`);
    check(
      typeof certificateArn === 'string' &&
        /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/.test(certificateArn),
      `${where}: apiDomain.certificateArn must be an ACM certificate ARN in the stack's region`,
    );
  }
};

/** The furnishing settings: known bureaus, a positive retention, a known pickup. */
const validateFurnishing = (config: StageConfig, where: string): void => {
  check(
    Array.isArray(config.furnishingBureaus) &&
      config.furnishingBureaus.length > 0 &&
      config.furnishingBureaus.every((bureau) => METRO2_BUREAUS.includes(bureau as (typeof METRO2_BUREAUS)[number])),
    `${where}: furnishingBureaus lists one or more of ${METRO2_BUREAUS.join(', ')}`,
  );
  check(
    Number.isInteger(config.furnishingRetentionDays) && config.furnishingRetentionDays > 0,
    `${where}: furnishingRetentionDays is a positive whole number of days`,
  );
  check(
    ['none', 'transfer-family-sftp', 'cross-account-read'].includes(config.furnishingPickup),
    `${where}: furnishingPickup is none, transfer-family-sftp or cross-account-read`,
  );
};

const validate = (config: StageConfig): StageConfig => {
  const where = `stage "${config.stage}"`;
  check(/^[a-z][a-z0-9-]{0,15}$/.test(config.stage), `${where}: a stage name is lower case letters, digits and -`);
  check(LOG_LEVELS.includes(config.logLevel), `${where}: logLevel must be one of ${LOG_LEVELS.join(', ')}`);
  check(
    RETENTION_DAYS.includes(config.logRetentionDays),
    `${where}: logRetentionDays must be one of ${RETENTION_DAYS.join(', ')}`,
  );
  check(
    RETENTION_DAYS.includes(config.executionLogRetentionDays) &&
      config.executionLogRetentionDays <= config.logRetentionDays,
    `${where}: executionLogRetentionDays must be one of ${RETENTION_DAYS.join(', ')}, at most logRetentionDays`,
  );
  check(
    config.apiRateLimit > 0 && config.apiBurstLimit >= config.apiRateLimit,
    `${where}: need 0 < apiRateLimit <= apiBurstLimit`,
  );
  check(config.wafRequestsPerIpPer5Min >= 10, `${where}: wafRequestsPerIpPer5Min must be at least 10 (WAF minimum)`);
  check(
    config.wafRequestsPerCallerPerMinute >= 10,
    `${where}: wafRequestsPerCallerPerMinute must be at least 10 (WAF minimum)`,
  );
  check(
    config.reservedConcurrency === null ||
      (Number.isInteger(config.reservedConcurrency) && config.reservedConcurrency > 0),
    `${where}: reservedConcurrency is a positive integer or null`,
  );
  check(config.lambdaMemoryMb >= 128 && config.lambdaMemoryMb <= 10240, `${where}: lambdaMemoryMb must be 128..10240`);
  check(
    ['ESSENTIALS', 'PLUS'].includes(config.cognitoFeaturePlan),
    `${where}: cognitoFeaturePlan is ESSENTIALS or PLUS`,
  );
  for (const url of [...config.userAppCallbackUrls, ...config.userAppLogoutUrls]) {
    check(
      /^https:\/\//.test(url) || /^http:\/\/localhost(:\d+)?\//.test(url),
      `${where}: redirect URL ${url} must be https (or http://localhost)`,
    );
  }
  if (config.cognitoDomainPrefix !== undefined) {
    check(
      /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(config.cognitoDomainPrefix) &&
        !/aws|amazon|cognito/.test(config.cognitoDomainPrefix),
      `${where}: cognitoDomainPrefix must be lower case letters, digits and -, without aws, amazon or cognito`,
    );
  }
  validateDomains(config, where);
  validateFurnishing(config, where);
  return config;
};

/**
 * The settings of the stage chosen by `-c stage=...`, from `stages` in the context, over
 * PROD_SAFE_DEFAULTS. An unknown stage or an unknown setting is an error, not a silent default.
 */
export const readStageConfig = (node: Node): StageConfig => {
  const stage = node.tryGetContext('stage') as string | undefined;
  check(typeof stage === 'string' && stage.length > 0, 'Choose a stage: -c stage=dev or -c stage=prod');
  const stages = (node.tryGetContext('stages') ?? {}) as Record<string, Record<string, unknown>>;
  const overrides = stages[stage as string];
  check(overrides !== undefined, `Unknown stage "${stage}"; cdk.json defines: ${Object.keys(stages).join(', ')}`);
  const known = new Set([
    ...Object.keys(PROD_SAFE_DEFAULTS),
    'account',
    'region',
    'cognitoDomainPrefix',
    'alarmEmail',
    'webAppDomain',
    'apiDomain',
  ]);
  const unknown = Object.keys(overrides as object).filter((key) => !known.has(key));
  check(unknown.length === 0, `stage "${stage}": unknown setting(s) ${unknown.join(', ')}`);
  return validate({ ...PROD_SAFE_DEFAULTS, ...(overrides as Partial<StageConfig>), stage: stage as string });
};
