/**
 * Names of the environment variables that configure the handlers. Infra sets them, the
 * local stack sets them, handlers read them (through `readConfig`): one list, no drift.
 * Dependency-free on purpose: infra, handlers and the local stack all import it.
 */
export const ENV = {
  paymentsTable: 'PAYMENTS_TABLE_NAME',
  idempotencyTable: 'IDEMPOTENCY_TABLE_NAME',
  /** Customers' identities for furnishing (decision 0020): set only where a function may read them. */
  identitiesTable: 'IDENTITIES_TABLE_NAME',
  /** Seconds a completed idempotency record is kept (Powertools `expiresAfterSeconds`). */
  idempotencyTtlSeconds: 'IDEMPOTENCY_TTL_SECONDS',
  /** Payments per page of a month shard that one BuildReports invocation reads (whole users: a page may end a little past it). */
  reportPageSize: 'REPORT_PAGE_SIZE',
  /** Late payments per page of the late-arrivals index that one RebuildLateReports invocation reads. */
  latePageSize: 'REPORT_LATE_PAGE_SIZE',
  /** `opted-in` or `opted-out` (the default): a commitment's consent until its customer changes it (decision 0021). */
  consentDefault: 'CONSENT_DEFAULT',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  traceEnabled: 'POWERTOOLS_TRACE_ENABLED',
  /** Set by Lambda; the local stack sets it per handler so idempotency keys stay apart. */
  functionName: 'AWS_LAMBDA_FUNCTION_NAME',
  /** Standard AWS SDK variable: points the DynamoDB client at DynamoDB Local. */
  dynamodbEndpoint: 'AWS_ENDPOINT_URL_DYNAMODB',
  /** Standard AWS SDK variable: points the Step Functions client at the local stack's Step Functions API. */
  sfnEndpoint: 'AWS_ENDPOINT_URL_SFN',
  /** The bureaus a month's credit file is furnished to, comma-separated (a stage setting; default one: equifax). */
  furnishingBureaus: 'FURNISHING_BUREAUS',
  /** AWS: the bucket FurnishBureau delivers each month's files to (the stage's furnishing bucket). */
  furnishingBucket: 'FURNISHING_BUCKET',
  /** AWS: the bucket FurnishShard writes each shard's part to and FurnishBureau assembles them from (decision 0023). */
  furnishingPartsBucket: 'FURNISHING_PARTS_BUCKET',
  /** Local: the directory FurnishBureau delivers to instead of a bucket (the local stack sets DATA_DIR/furnishing). */
  furnishingDirectory: 'FURNISHING_DIRECTORY',
  /** The furnisher's Identification Number at the bureaus (every base segment); a stage setting. */
  furnisherId: 'FURNISHER_IDENTIFICATION_NUMBER',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

/** The Powertools service name every handler of the submission path logs under. */
export const SERVICE_NAME = 'payments-tracker';
