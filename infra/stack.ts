import { Aws, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import {
  BATCH_FUNCTIONS,
  type FunctionDefinition,
  OPERATIONS_FUNCTIONS,
  READ_API_FUNCTIONS,
} from '#contract/functions';
import {
  MONTHLY_REPORT_WORKFLOW,
  SUBMIT_PAYMENT_BATCH_WORKFLOW,
  SUBMIT_PAYMENT_WORKFLOW,
  type WorkflowDefinition,
} from '#contract/workflows';
import { ROUTES, type Route, functionsServing } from '#contract/routes';
import { TABLES } from '#contract/tables';
import { USER_APP_SCOPES } from '#contract/scopes';
import { USER_APP_OPENID_SCOPES } from '#contract/oauth-clients';
import type { StageConfig } from './config';
import { AslWorkflow } from './constructs/asl-workflow';
import { DisputeCheck } from './constructs/dispute-check';
import { DataKey } from './constructs/encryption';
import { EdgeOrigin } from './constructs/edge-origin';
import { FurnishingDelivery } from './constructs/furnishing-delivery';
import { Firewall } from './constructs/firewall';
import { Identity } from './constructs/identity';
import { Observability } from './constructs/observability';
import { PaymentsApi } from './constructs/payments-api';
import { LambdaBundles } from './constructs/lambda-bundles';
import { PaymentsFunction, type PaymentsFunctionProps } from './constructs/payments-function';
import { ReportSchedule } from './constructs/report-schedule';
import { Storage } from './constructs/storage';
import { WebApp } from './constructs/web-app';

export interface PaymentsTrackerStackProps extends StackProps {
  config: StageConfig;
  /** The API's routes: the catalogue (contract/routes.ts) unless a test adds to it. */
  routes?: readonly Route[];
}

/**
 * The whole product for one stage, composed by concern: data key, storage, the submission
 * functions and workflow, the monthly-report functions, workflow and schedule, the read functions,
 * identity, API with its web ACL, the customer web app (S3 + CloudFront, the API beside it), and observability.
 */
export class PaymentsTrackerStack extends Stack {
  readonly storage: Storage;
  /** The submit-payment workflow's functions (reserved concurrency). */
  readonly submissionFunctions: PaymentsFunction[];
  readonly reportFunctions: PaymentsFunction[];
  /** Behind the read routes (GET /payments, /reports/...), the export included. */
  readonly readFunctions: PaymentsFunction[];
  /** Operations' scheduled functions (CheckOverdueDisputes). */
  readonly operationsFunctions: PaymentsFunction[];
  /** Every Lambda of the stack. */
  readonly functions: PaymentsFunction[];
  readonly workflow: AslWorkflow;
  /** POST /payments/batch: its Map runs the submit-payment states with the same functions. */
  readonly batchWorkflow: AslWorkflow;
  /** The batch workflow's own steps (ReadBatch, AnswerBatch). */
  readonly batchFunctions: PaymentsFunction[];
  readonly reportWorkflow: AslWorkflow;
  readonly reportSchedule: ReportSchedule;
  readonly disputeCheck: DisputeCheck;
  readonly identity: Identity;
  readonly api: PaymentsApi;
  readonly firewall: Firewall;
  readonly observability: Observability;
  readonly webApp: WebApp;
  readonly edgeOrigin: EdgeOrigin;
  /** The month's credit-bureau files: FurnishBureau's bucket. */
  readonly furnishing: FurnishingDelivery;

  constructor(scope: Construct, id: string, props: PaymentsTrackerStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { key } = new DataKey(this, 'DataKey', { stage: config.stage });

    this.storage = new Storage(this, 'Storage', { encryptionKey: key });
    const routes = props.routes ?? ROUTES;
    const deployed = this.deployFunctions(routes, config, key);
    this.submissionFunctions = deployed.submission;
    this.batchFunctions = deployed.batch;
    this.reportFunctions = deployed.report;
    this.readFunctions = deployed.read;
    this.operationsFunctions = deployed.operations;
    // Submission, batch, report, read, operations: the order deployFunctions creates them in.
    this.functions = Object.values(deployed).flat();

    this.workflow = this.deployWorkflow(SUBMIT_PAYMENT_WORKFLOW, config, key);
    this.batchWorkflow = this.deployWorkflow(SUBMIT_PAYMENT_BATCH_WORKFLOW, config, key);
    this.reportWorkflow = this.deployWorkflow(MONTHLY_REPORT_WORKFLOW, config, key);
    this.reportSchedule = new ReportSchedule(this, 'ReportSchedule', {
      config,
      stateMachine: this.reportWorkflow.stateMachine,
    });
    this.disputeCheck = new DisputeCheck(this, 'DisputeCheck', {
      config,
      checkFunction: this.operationsFunction('CheckOverdueDisputes'),
    });
    // The web app's distribution first: its URL is one of the user-app client's callback and sign-out URLs.
    this.webApp = new WebApp(this, 'WebApp', { domain: config.webAppDomain });
    this.furnishing = this.deliverFurnishing(config, key);
    // Only the app's own callback: the docs page's redirect (USER_APP_CLIENT's other path) is local only.
    this.identity = new Identity(this, 'Identity', {
      config,
      userAppUrls: { callbackUrls: [this.webApp.callbackUrl], logoutUrls: [this.webApp.signOutUrl] },
    });
    this.api = new PaymentsApi(this, 'Api', {
      config,
      userPool: this.identity.userPool,
      stateMachines: new Map([
        [SUBMIT_PAYMENT_WORKFLOW.name, this.workflow.stateMachine],
        [SUBMIT_PAYMENT_BATCH_WORKFLOW.name, this.batchWorkflow.stateMachine],
      ]),
      encryptionKey: key,
      readFunctions: this.readFunctions,
      routes,
    });
    this.edgeOrigin = new EdgeOrigin(this, 'EdgeOrigin');
    this.webApp.serveApi(this.api.api, routes, this.edgeOrigin, config.apiDomain?.name);
    this.publishWebApp();
    this.firewall = new Firewall(this, 'Firewall', {
      config,
      stageArn: this.api.api.deploymentStage.stageArn,
      routes,
      edge: this.edgeOrigin,
    });
    this.observability = this.observe(config, key);
    this.outputEntryPoints();
    this.outputIdentity();
    this.outputTables();
    this.outputWorkflows();
    this.outputOperations(config);
  }

  /** Every Lambda of the stack, by the group it serves, in the order their constructs are created. */
  private deployFunctions(
    routes: readonly Route[],
    config: StageConfig,
    key: kms.IKey,
  ): Record<'submission' | 'batch' | 'report' | 'read' | 'operations', PaymentsFunction[]> {
    // The routes' functions in the contract's order (the dashboard lists them so), then any a test's route adds.
    const served = functionsServing(routes);
    const groups = {
      submission: SUBMIT_PAYMENT_WORKFLOW.functions,
      batch: BATCH_FUNCTIONS,
      report: MONTHLY_REPORT_WORKFLOW.functions,
      read: [
        ...READ_API_FUNCTIONS.filter((definition) => served.includes(definition)),
        ...served.filter((definition) => !READ_API_FUNCTIONS.includes(definition)),
      ],
      operations: OPERATIONS_FUNCTIONS,
    };
    const bundles = new LambdaBundles(Object.values(groups).flat());
    const deploy = (definitions: readonly FunctionDefinition[], reserveConcurrency: boolean): PaymentsFunction[] =>
      definitions.map((definition) =>
        this.deployFunction(definition, { config, encryptionKey: key, reserveConcurrency, bundles }),
      );
    return {
      submission: deploy(groups.submission, true),
      // One invocation each per batch, not per payment: no reserved concurrency of their own.
      batch: deploy(groups.batch, false),
      report: deploy(groups.report, false),
      read: deploy(groups.read, false),
      operations: deploy(groups.operations, false),
    };
  }

  /** A workflow of the contract, over the functions already deployed for it. */
  private deployWorkflow(definition: WorkflowDefinition, config: StageConfig, key: kms.IKey): AslWorkflow {
    return new AslWorkflow(this, definition.name, {
      workflow: definition,
      config,
      functions: definition.functions.map((fn) => this.functions.find((deployed) => deployed.definition === fn)!),
      encryptionKey: key,
    });
  }

  /** FurnishBureau's bucket and FurnishShard's parts bucket, access logged beside the web app's. */
  private deliverFurnishing(config: StageConfig, key: kms.IKey): FurnishingDelivery {
    return new FurnishingDelivery(this, 'Furnishing', {
      config,
      encryptionKey: key,
      accessLogs: this.webApp.logBucket,
      furnisher: this.reportFunction('FurnishBureau'),
      partWriter: this.reportFunction('FurnishShard'),
      erasureMarker: this.reportFunction('MarkErasuresFurnished'),
      runStarter: this.reportFunction('StartReportRun'),
    });
  }

  /** The web app's sign-in settings: the user pool's issuer, the user-app client and the hosted UI's endpoints. */
  private publishWebApp(): void {
    const issuer = `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}/${this.identity.userPool.userPoolId}`;
    this.webApp.publish(
      {
        issuer,
        clientId: this.identity.userAppClient.userPoolClientId,
        scope: [...USER_APP_OPENID_SCOPES, ...USER_APP_SCOPES].join(' '),
        logoutUrl: `${this.identity.hostedUiUrl}/logout`,
        // Sign-out revokes the refresh token here (RFC 7009) when the pool's discovery publishes no revocation_endpoint.
        revocationUrl: `${this.identity.hostedUiUrl}/oauth2/revoke`,
      },
      [`https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}`, this.identity.hostedUiUrl],
    );
  }

  private observe(config: StageConfig, key: kms.IKey): Observability {
    return new Observability(this, 'Observability', {
      config,
      encryptionKey: key,
      api: this.api.api,
      stateMachine: this.workflow.stateMachine,
      batchStateMachine: this.batchWorkflow.stateMachine,
      reportStateMachine: this.reportWorkflow.stateMachine,
      scheduleDeadLetterQueue: this.reportSchedule.deadLetterQueue,
      reportSummaryFunction: this.reportFunction('WriteSummary'),
      disputeCheckFunction: this.operationsFunction('CheckOverdueDisputes'),
      functions: this.functions,
      tables: TABLES.map((definition) => ({ id: definition.id, table: this.storage.table(definition) })),
      webAclName: this.firewall.webAcl.name as string,
    });
  }

  private output(id: string, value: string, description: string): void {
    new CfnOutput(this, id, { value, description });
  }

  private outputEntryPoints(): void {
    this.output('ApiUrl', this.api.baseUrl, 'Base URL of the API stage (its own domain where the stage has one)');
    this.output(
      'WebAppUrl',
      this.webApp.signOutUrl,
      'The customer web app (CloudFront; the API is also served at this origin)',
    );
    this.output('PaymentsEndpoint', this.api.paymentsUrl, 'POST here to submit a payment');
  }

  private outputIdentity(): void {
    this.output('UserPoolId', this.identity.userPool.userPoolId, 'Cognito user pool');
    this.output(
      'UserAppClientId',
      this.identity.userAppClient.userPoolClientId,
      'App client for user apps (authorization code + PKCE, no secret)',
    );
    this.output(
      'OperationsClientId',
      this.identity.operationsClient.userPoolClientId,
      'App client for operations: report summaries and exports (client credentials; read its secret with describe-user-pool-client)',
    );
    this.output(
      'IntegrationClientId',
      this.identity.integrationClient.userPoolClientId,
      'App client for trusted integrations (client credentials; read its secret with describe-user-pool-client)',
    );
    this.output(
      'HostedUiDomain',
      this.identity.hostedUiUrl,
      'Cognito hosted UI and OAuth endpoints (/oauth2/authorize, /oauth2/token)',
    );
    this.output('TokenEndpoint', `${this.identity.hostedUiUrl}/oauth2/token`, 'OAuth 2.0 token endpoint');
  }

  private outputTables(): void {
    for (const definition of TABLES) {
      this.output(
        `${definition.id.charAt(0).toUpperCase()}${definition.id.slice(1)}TableName`,
        this.storage.table(definition).tableName,
        `DynamoDB table ${definition.id}`,
      );
    }
  }

  private outputWorkflows(): void {
    this.output(
      'SubmitPaymentStateMachineArn',
      this.workflow.stateMachine.stateMachineArn,
      'Express state machine of POST /payments',
    );
    this.output(
      'SubmitPaymentExecutionLogGroup',
      this.workflow.logGroup.logGroupName,
      'Where every submit-payment execution is recorded (level ALL, with data)',
    );
    this.output(
      'SubmitPaymentBatchStateMachineArn',
      this.batchWorkflow.stateMachine.stateMachineArn,
      'Express state machine of POST /payments/batch',
    );
    this.output(
      'SubmitPaymentBatchExecutionLogGroup',
      this.batchWorkflow.logGroup.logGroupName,
      'Where every batch execution is recorded (level ALL, with data): each payment is one Map iteration',
    );
    this.output(
      'MonthlyReportStateMachineArn',
      this.reportWorkflow.stateMachine.stateMachineArn,
      'Standard state machine of the monthly reports: start it with {"month": "YYYY-MM"} to run a month by hand',
    );
    this.output(
      'MonthlyReportExecutionLogGroup',
      this.reportWorkflow.logGroup.logGroupName,
      'Where every monthly-report execution is recorded (level ALL, with data)',
    );
  }

  /** The report schedule, the export and the alarms: what operations watch and use. */
  private outputOperations(config: StageConfig): void {
    this.output(
      'ReportScheduleName',
      this.reportSchedule.schedule.scheduleName,
      'EventBridge Scheduler schedule: the 1st of each month, 02:00 UTC, for the month before',
    );
    this.output(
      'ReportScheduleDeadLetterQueueUrl',
      this.reportSchedule.deadLetterQueue.queueUrl,
      'Schedule starts that failed after their retries (an alarm fires on any message)',
    );
    this.output(
      'ReportsExportEndpoint',
      `${this.api.baseUrl}reports/{month}/export`,
      "GET with a reports-admin token, {month} as YYYY-MM: the month's reports as CSV or JSON Lines",
    );
    this.output(
      'FurnishingBucketName',
      this.furnishing.bucket.bucketName,
      `Each month's Metro 2 files and manifests, <YYYY-MM>/<bureau>.metro2 (bureaus' pickup: ${config.furnishingPickup})`,
    );
    this.output(
      'FurnishingPartsBucketName',
      this.furnishing.partsBucket.bucketName,
      "Each shard's part of a month's files, parts/<YYYY-MM>/<bureau>/<shard> (expired after 7 days; decisions/0023)",
    );
    this.output('AlarmTopicArn', this.observability.topic.topicArn, 'Subscribe to receive the alarms');
    this.output('DashboardName', this.observability.dashboard.dashboardName, 'CloudWatch dashboard');
  }

  /** The deployed report function of that contract name. */
  private reportFunction(name: string): PaymentsFunction {
    const f = this.reportFunctions.find((candidate) => candidate.definition.name === name);
    if (!f) throw new Error(`No report function ${name} in contract/functions.ts`);
    return f;
  }

  /** The deployed operations function of that contract name. */
  private operationsFunction(name: string): PaymentsFunction {
    const f = this.operationsFunctions.find((candidate) => candidate.definition.name === name);
    if (!f) throw new Error(`No operations function ${name} in contract/functions.ts`);
    return f;
  }

  /** One function of the shared contract, bound to the tables its definition names (env variable and grant together). */
  private deployFunction(
    definition: FunctionDefinition,
    props: Omit<PaymentsFunctionProps, 'definition'>,
  ): PaymentsFunction {
    const f = new PaymentsFunction(this, definition.name, { definition, ...props });
    for (const binding of definition.tables) {
      f.bindTable(this.storage.table(binding.table), binding, props.encryptionKey);
    }
    return f;
  }
}
