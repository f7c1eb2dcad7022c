import path from 'node:path';
import { ENV, SERVICE_NAME } from '#contract/environment';
import type { LocalTableNames } from '#contract/tables';
import { stackSettings, stackSfnEndpoint } from '#devtools/stack-settings';

/**
 * The environment the handlers read, set for handlers that run in this process (`npm start`,
 * `npm run report`): the same variables Lambda gives them, so no handler knows it runs locally.
 */
export const handlerEnvironment = (
  dynamoDbEndpoint: string,
  tableNames: LocalTableNames,
  logLevel: string,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> => {
  const settings = stackSettings(env);
  return {
    [ENV.dynamodbEndpoint]: dynamoDbEndpoint,
    // The stack's Step Functions API (StartReportRun asks it whether the run holding a month still
    // runs), found by the same settings as every command: never AWS's.
    [ENV.sfnEndpoint]: stackSfnEndpoint(settings),
    [ENV.paymentsTable]: tableNames.payments,
    // FurnishBureau delivers here where AWS has its bucket: DATA_DIR/furnishing/<month>/<bureau>.metro2; FurnishShard
    // writes its parts under <month>/parts/ where AWS has the parts bucket (decision 0023).
    [ENV.furnishingDirectory]: path.join(settings.dataDir, 'furnishing'),
    [ENV.idempotencyTable]: tableNames.idempotency,
    [ENV.identitiesTable]: tableNames.identities,
    [ENV.serviceName]: SERVICE_NAME,
    // Powertools knows every level LOG_LEVEL may name, SILENT included.
    [ENV.logLevel]: logLevel,
    [ENV.traceEnabled]: 'false',
    // With tracing off, X-Ray's automatic mode (a cls-hooked async hook run for every promise of the process) only costs
    // CPU: 7-17 % of a report run's in node. Manual mode creates no hook; Lambda, which traces, never gets this variable.
    AWS_XRAY_MANUAL_MODE: 'true',
    AWS_REGION: settings.awsRegion,
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY ?? 'local',
  };
};
