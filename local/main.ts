import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BATCH_FUNCTIONS, type FunctionDefinition, REPORT_FUNCTIONS, SUBMISSION_FUNCTIONS } from '#contract/functions';
import { MONTHLY_REPORT_WORKFLOW } from '#contract/workflows';
import { ROUTES, routeKey, workflowsServing } from '#contract/routes';
import { buildOpenApiDocument } from '#contract/openapi';
import { docsSite, localOpenApiDocument } from '#local/api-gateway/docs-page';
import { webAppSite } from '#local/cloudfront/web-app-site';
import { buildWebApp } from '#web/web-app-build';
import { type RunningDynamoDbLocal, startDynamoDbLocal } from '#local/dynamodb/dynamodb-local';
import { makePrivateTree } from '#local/private-file';
import { type LogFormat, type LogOutput, formatLogEntry, logOutputFor } from '#local/log-output';
import { type LocalSettings, localSettings } from '#local/local-settings';
import { paymentIdsOf, submissionIds } from '#devtools/submission-ids';
import { ExecutionStore, executionsDir } from '#local/step-functions/execution-store';
import { apiGateway } from '#local/api-gateway/gateway';
import { startFrontDoor } from '#local/front-door';
import { bindRouteFunctions } from '#local/api-gateway/route-bindings';
import { startSfnApi } from '#local/step-functions/api/server';
import { failingFirst } from '#local/lambda/fault-injection';
import { handlerEnvironment } from '#local/lambda/handler-environment';
import { tokenBucketLimiter } from '#local/api-gateway/rate-limiter';
import type { LambdaHandler } from '#local/lambda/lambda-runtime';
import { ensureTables } from '#local/dynamodb/table-bootstrap';
import { localTableNames } from '#contract/tables';
import { USER_APP_SCOPES } from '#contract/scopes';
import { issuerUrl } from '#local/cognito/access-tokens';
import { type LocalOpenIdProvider, startLocalOpenIdProvider } from '#local/cognito/openid-provider';
import { USER_APP_CLIENT, USER_APP_OPENID_SCOPES, urlsAt } from '#contract/oauth-clients';
import { type LocalWorkflow, workflowWithHandlers } from '#local/step-functions/workflow-runner';
import type { RunningServer } from '#local/api-gateway/http-listener';

/**
 * `npm start`: DynamoDB Local on disk, the workflows run from their ASL with the real handlers,
 * the HTTP gateway and the local OpenID provider on its port. Settings come from the environment.
 */
type Log = (entry: Record<string, unknown>) => void;

/** The stack's own lines (gateway, provider, Step Functions API); LOG_LEVEL=SILENT prints none. */
const stackLog =
  (logLevel: string | undefined, format: LogFormat): Log =>
  (entry) => {
    if (logLevel === 'SILENT') return;
    const line = formatLogEntry(format, { source: 'gateway', ...entry });
    if (line !== undefined) console.log(line);
  };

/** A fault injected into a function the stack does not have would silently inject nothing. */
const checkInjectedFaults = (settings: LocalSettings): void => {
  for (const fault of settings.injectedFaults) {
    if (
      ![...SUBMISSION_FUNCTIONS, ...BATCH_FUNCTIONS, ...REPORT_FUNCTIONS].some(
        (definition) => definition.name === fault.functionName,
      )
    ) {
      throw new Error(`LOCAL_INJECT_FAULTS names no function: ${fault.functionName}`);
    }
  }
};

/** DynamoDB Local (or the external endpoint) with the tables, and the handlers' environment pointing at it. */
const startDatabase = async (
  settings: LocalSettings,
  logOutput: LogOutput,
): Promise<{ dynamoDb: RunningDynamoDbLocal; tableNames: ReturnType<typeof localTableNames> }> => {
  // DATA_DIR holds payments, request bodies and signing keys: what the stack writes is its owner's alone
  // (umask, inherited by DynamoDB Local), and what an older version left readable is closed now.
  process.umask(0o077);
  await makePrivateTree(settings.dataDir);
  const dynamoDb = settings.dynamoDbEndpoint
    ? { endpoint: settings.dynamoDbEndpoint, stop: async () => undefined }
    : await startDynamoDbLocal({ port: settings.dynamoDbPort, dataDir: settings.dataDir });

  const tableNames = localTableNames(settings.tablePrefix);
  // The handlers read these exactly as they read them in Lambda.
  Object.assign(process.env, handlerEnvironment(dynamoDb.endpoint, tableNames, logOutput.handlerLogLevel));
  await ensureTables(new DynamoDBClient({ endpoint: dynamoDb.endpoint }), tableNames);
  return { dynamoDb, tableNames };
};

/** The workflows the routes start (POST /payments: SubmitPayment) by name, and the monthly report's. */
const localWorkflows = (
  settings: LocalSettings,
  executions: ExecutionStore,
): { routeWorkflows: Map<string, LocalWorkflow>; reportWorkflow: LocalWorkflow } => {
  const withInjectedFault = (definition: FunctionDefinition, handler: LambdaHandler): LambdaHandler => {
    const fault = settings.injectedFaults.find((candidate) => candidate.functionName === definition.name);
    return fault ? failingFirst(fault.times, fault.errorName)(handler) : handler;
  };
  const routeWorkflows = new Map(
    workflowsServing(ROUTES).map((definition) => [
      definition.name,
      workflowWithHandlers(definition, {
        wrap: withInjectedFault,
        store: executions,
        functionTimeoutCapSeconds: settings.functionTimeoutCapSeconds,
        loadOnFirstCall: true,
      }),
    ]),
  );
  const reportWorkflow = workflowWithHandlers(MONTHLY_REPORT_WORKFLOW, {
    wrap: withInjectedFault,
    store: executions,
    maxConcurrentChildExecutions: settings.childExecutionsAtOnce,
    functionTimeoutCapSeconds: settings.functionTimeoutCapSeconds,
    loadOnFirstCall: true,
  });
  return { routeWorkflows, reportWorkflow };
};

/** The front door on PORT: the API gateway, the OpenID provider, the docs, the web app and the console. */
const startGateway = (
  settings: LocalSettings,
  log: Log,
  issuer: string,
  identityProvider: LocalOpenIdProvider,
  executions: ExecutionStore,
  routeWorkflows: Map<string, LocalWorkflow>,
  workflows: LocalWorkflow[],
): Promise<RunningServer> => {
  const openApi = localOpenApiDocument(buildOpenApiDocument(), issuer);
  // Built at every start (in memory, well under a second), so the app served is always the source's.
  const webApp = webAppSite(buildWebApp(), issuer);
  return startFrontDoor({
    port: settings.port,
    api: apiGateway({
      verifyToken: identityProvider.verifyAccessToken,
      routes: ROUTES,
      runWorkflow: (definition, name, input) => routeWorkflows.get(definition.name)!.run(name, input),
      // The function routes' handlers, called as API Gateway's proxy integration calls the Lambdas.
      invokeFunction: bindRouteFunctions(ROUTES, settings.functionTimeoutCapSeconds),
      rateLimiter: tokenBucketLimiter(settings.throttle),
      userRateLimiter: tokenBucketLimiter(settings.userThrottle),
      log,
    }),
    identityProvider,
    openApi: () => openApi,
    sites: [docsSite([...USER_APP_OPENID_SCOPES, ...USER_APP_SCOPES]), webApp],
    executions,
    workflows,
    log,
  });
};

/** What `npm start` prints once everything listens: where each part is and how to use it. */
const readyBanner = (
  settings: LocalSettings,
  urls: { gateway: string; issuer: string; sfnApi: string; dynamoDb: string },
  clientSecrets: Record<string, string>,
  tableNames: ReturnType<typeof localTableNames>,
): string => {
  const { gateway, issuer } = urls;
  return [
    'Payments Tracker local stack',
    `  API             ${gateway}  (${ROUTES.map(routeKey).join(', ')})`,
    `  API docs        ${gateway}/docs/  (Swagger UI; OpenAPI: ${gateway}/openapi.json)`,
    `  Web app         ${issuer}/app/  (sign in with any e-mail, password local)`,
    `  Console         ${gateway}/console  (executions of both workflows, their paths and states; no token: localhost only)`,
    `  OpenID provider ${issuer}  (discovery: ${issuer}/.well-known/openid-configuration; JWKS: ${issuer}/.well-known/jwks.json)`,
    `                  sign in: any e-mail, password "local"; keys: npm run keys -- rotate|retire; tokens: npm run token -- --user <uuid>`,
    `  Clients         ${USER_APP_CLIENT.localId} (public, code + PKCE; redirect URIs ${urlsAt(issuer, USER_APP_CLIENT.callbackPaths).join(', ')})`,
    ...Object.entries(clientSecrets).map(
      ([clientId, secret]) => `                  ${clientId} (client credentials) secret ${secret}`,
    ),
    `  DynamoDB Local  ${urls.dynamoDb}${settings.dynamoDbEndpoint ? ' (external)' : `  (data: ${path.join(settings.dataDir, 'dynamodb')})`}`,
    `  Tables          ${tableNames.payments}, ${tableNames.idempotency}, ${tableNames.identities}`,
    `  Rate limit      ${settings.throttle.ratePerSecond}/s, burst ${settings.throttle.burst}, per client; ${settings.userThrottle.burst}/min per user`,
    ...workflowsServing(ROUTES).map(
      (definition, index) =>
        `${index === 0 ? '  Workflows       ' : '                  '}${definition.name} (${definition.type}) from ${definition.definitionFile};`,
    ),
    `                  ${MONTHLY_REPORT_WORKFLOW.name} (${MONTHLY_REPORT_WORKFLOW.type}): npm run report -- --month <YYYY-MM>`,
    `  Step Functions  ${urls.sfnApi}  (the AWS API: aws stepfunctions --endpoint-url ${urls.sfnApi} ...; npm run ops -- executions)`,
    ...settings.injectedFaults.map(
      (f) =>
        `  Injected fault  ${f.functionName} throws ${f.errorName} (${f.times === Infinity ? 'every call' : `first ${f.times} calls`})`,
    ),
    'Ready. Ctrl-C stops.',
  ].join('\n');
};

/** SIGINT/SIGTERM: the servers finish what is in flight, the records are flushed, then the database stops. */
const stopOnSignals = (parts: {
  identityProvider: LocalOpenIdProvider;
  servers: RunningServer[];
  executions: ExecutionStore;
  dynamoDb: RunningDynamoDbLocal;
}): void => {
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing requests in flight, then stopping`);
    // Answered requests are already stored; the ones in flight finish before the database stops.
    parts.identityProvider.close();
    await Promise.all(parts.servers.map((server) => server.close()));
    await parts.executions
      .flush()
      .catch((error: unknown) => console.error(`Execution records: ${(error as Error).message}`));
    await parts.dynamoDb.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
};

const main = async (): Promise<void> => {
  // Read inside main, LOG_LEVEL too, so a bad value is reported like any other start failure.
  const settings = localSettings();
  const logOutput = logOutputFor(Boolean(process.stdout.isTTY), settings.logLevel);
  const log = stackLog(settings.logLevel, logOutput.format);
  checkInjectedFaults(settings);
  const { dynamoDb, tableNames } = await startDatabase(settings, logOutput);
  // The emulator knows no payments: the stack reads a submission's ids from its input and indexes the payment ids
  // (FindExecutions' and the console's paymentId filter).
  const executions = await ExecutionStore.open(executionsDir(settings.dataDir), {
    describe: submissionIds,
    index: paymentIdsOf,
  });
  const { routeWorkflows, reportWorkflow } = localWorkflows(settings, executions);
  const workflows = [...routeWorkflows.values(), reportWorkflow];

  const issuer = issuerUrl(settings.port);
  const identityProvider = await startLocalOpenIdProvider({
    issuer,
    dataDir: settings.dataDir,
    accessTokenLifetimeSeconds: settings.accessTokenLifetimeSeconds,
    log: (entry) => log({ source: 'oidc', ...entry }),
  });
  const gateway = await startGateway(settings, log, issuer, identityProvider, executions, routeWorkflows, workflows);
  const sfnApi = await startSfnApi({
    port: settings.sfnPort,
    workflows,
    executions,
    startedAt: new Date(),
    log: (entry) => log({ source: 'sfn-api', ...entry }),
  });

  const urls = { gateway: gateway.url, issuer, sfnApi: sfnApi.url, dynamoDb: dynamoDb.endpoint };
  console.log(readyBanner(settings, urls, identityProvider.clientSecrets, tableNames));
  stopOnSignals({ identityProvider, servers: [gateway, sfnApi], executions, dynamoDb });
};

main().catch((error: unknown) => {
  console.error(`The local stack could not start: ${(error as Error).message}`);
  process.exit(1);
});
