import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  START_CLIENT_ERROR_TEMPLATE,
  START_SERVER_ERROR_TEMPLATE,
  SUBMISSION_RESPONSE_TEMPLATE,
  gatewayAnswers,
  submissionRequestTemplate,
} from '#contract/api-gateway-templates';
import { ROUTES, type Route, type SyncWorkflowIntegration, pathParameterNames, routeKey } from '#contract/routes';
import { JSON_CONTENT_TYPE, MAX_BODY_BYTES } from '#contract/workflow-io';
import { PROBLEMS } from '#contract/problems';
import { workflowDefinitionText } from '#contract/workflow-definition';
import type { WorkflowDefinition } from '#contract/workflows';
import type { StageConfig } from '../config';
import type { PaymentsFunction } from './payments-function';

/** The API's one deployed stage: the HTTP contract's version. */
export const API_STAGE_NAME = 'v1';

/** One JSON line per request: who called (client, subject), what happened, and how long each part took. */
export const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  requestTimeEpoch: '$context.requestTimeEpoch',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integration.latency',
  integrationStatus: '$context.integration.status',
  errorType: '$context.error.responseType',
  errorMessage: '$context.error.message',
  authorizerError: '$context.authorizer.error',
  clientId: '$context.authorizer.claims.client_id',
  sub: '$context.authorizer.claims.sub',
  wafStatus: '$context.waf.status',
  xrayTraceId: '$context.xrayTraceId',
} as const;

/**
 * Statuses only API Gateway and the web ACL answer, before any integration runs (no token, a body too large or not
 * JSON, throttled): a workflow route's integration answers every other status of its route, and 413 too when its
 * workflow routes PayloadTooLarge (the batch's ReadBatch refuses a payment over the single limit).
 */
const GATEWAY_ONLY_STATUSES = new Set([401, 413, 415, 429]);

const answeredByIntegration = (workflow: WorkflowDefinition<'EXPRESS'>, status: number): boolean =>
  !GATEWAY_ONLY_STATUSES.has(status) ||
  (status === PROBLEMS.PayloadTooLarge.status && workflowDefinitionText(workflow).includes('"PayloadTooLarge"'));

/** `SubmitPayment` -> `submit-payment`. */
const kebabCase = (name: string): string => name.replace(/(?<=[a-z0-9])([A-Z])/g, '-$1').toLowerCase();

/** What the workflow routes share (see PaymentsApi.workflowStart). */
interface WorkflowStart {
  validator: apigw.RequestValidator;
  jsonObject: apigw.Model;
  startRole: iam.Role;
  stateMachineOf: ReadonlyMap<WorkflowDefinition<'EXPRESS'>, sfn.IStateMachine>;
}

export interface PaymentsApiProps {
  config: StageConfig;
  userPool: cognito.IUserPool;
  /** The state machine of each workflow route, by workflow name. */
  stateMachines: ReadonlyMap<string, sfn.IStateMachine>;
  encryptionKey: kms.IKey;
  /** The functions behind the function routes, by definition name. */
  readFunctions: readonly PaymentsFunction[];
  /** The route catalogue (contract/routes.ts); a test adds a route to it. */
  routes?: readonly Route[];
}

/**
 * The REST API, one method per route of the catalogue (contract/routes.ts), each behind the Cognito authorizer
 * with its route's scopes. A workflow route (POST /payments): Content-Type required and JSON only, a body that is
 * one JSON object (body size is the web ACL's job: see Firewall), then a direct `states:StartSyncExecution`
 * integration whose mapping templates are the deployed counterpart of the local gateway's mappings
 * (contract/api-gateway-templates.ts). A function route: a Lambda proxy integration of its read function; the
 * export streams. Throttled per stage, traced with X-Ray, one JSON access log line per request.
 */
export class PaymentsApi extends Construct {
  readonly api: apigw.RestApi;
  readonly accessLogs: logs.LogGroup;
  /** The method of each route, by its key (`POST /payments`). */
  readonly methods = new Map<string, apigw.Method>();

  constructor(scope: Construct, id: string, props: PaymentsApiProps) {
    super(scope, id);
    const { config } = props;

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      encryptionKey: props.encryptionKey,
    });
    this.api = this.createRestApi(config);

    // The stack names its outputs itself (ApiUrl, PaymentsEndpoint): no second, generated one.
    this.api.node.tryRemoveChild('Endpoint');
    this.addGatewayResponses();

    const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.userPool],
      identitySource: apigw.IdentitySource.header('Authorization'),
    });

    const routes = props.routes ?? ROUTES;
    const workflowStart = this.workflowStart(routes, props.stateMachines);
    for (const route of routes) {
      this.methods.set(routeKey(route), this.addRoute(route, authorizer, workflowStart, props.readFunctions));
    }
    this.acknowledgeFindings(config);
  }

  private createRestApi(config: StageConfig): apigw.RestApi {
    return new apigw.RestApi(this, 'Api', {
      restApiName: `payments-tracker-${config.stage}`,
      description: `Payments Tracker API (${config.stage})`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Where the stage has its own domain, the default execute-api endpoint can be turned off (prod): the domain,
      // behind the stage's web ACL and reached through the distribution, is then the only way in.
      disableExecuteApiEndpoint: config.disableExecuteApiEndpoint,
      ...(config.apiDomain
        ? {
            domainName: {
              domainName: config.apiDomain.name,
              certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', config.apiDomain.certificateArn),
              endpointType: apigw.EndpointType.REGIONAL,
              securityPolicy: apigw.SecurityPolicy.TLS_1_2,
            },
          }
        : {}),
      cloudWatchRole: config.apiGatewayCloudWatchRole,
      // The role is account-wide (AWS::ApiGateway::Account): other stacks' APIs keep logging after this one goes.
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: API_STAGE_NAME,
        tracingEnabled: true,
        throttlingRateLimit: config.apiRateLimit,
        throttlingBurstLimit: config.apiBurstLimit,
        // Execution logs for errors only, never request or response bodies (payment data).
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });
  }

  /** The gateway's own answers (contract/api-gateway-templates.ts): problem+json, as the local gateway's. */
  private addGatewayResponses(): void {
    for (const answer of gatewayAnswers(MAX_BODY_BYTES)) {
      this.api.addGatewayResponse(answer.type, {
        type: apigw.ResponseType.of(answer.type),
        statusCode: String(answer.statusCode),
        responseHeaders: Object.fromEntries(
          Object.entries({ 'Content-Type': answer.contentType, ...answer.headers }).map(([name, value]) => [
            name,
            `'${value}'`,
          ]),
        ),
        templates: { [JSON_CONTENT_TYPE]: answer.template },
      });
    }
  }

  /** One route's method behind the authorizer with its scopes: a workflow start, or its read function's proxy. */
  private addRoute(
    route: Route,
    authorizer: apigw.IAuthorizer,
    workflowStart: WorkflowStart | undefined,
    readFunctions: readonly PaymentsFunction[],
  ): apigw.Method {
    const serve = route.serve;
    const authorization = {
      operationName: route.operationId,
      authorizer,
      authorizationType: apigw.AuthorizationType.COGNITO,
      authorizationScopes: [...route.scopes],
    };
    const resource = this.api.root.resourceForPath(route.path);
    return serve.kind === 'sync-workflow' && workflowStart
      ? resource.addMethod(route.method, this.workflowIntegration(serve, workflowStart), {
          ...authorization,
          requestValidator: workflowStart.validator,
          requestParameters: { 'method.request.header.Content-Type': true },
          requestModels: { [JSON_CONTENT_TYPE]: workflowStart.jsonObject },
          methodResponses: [...Object.keys(route.answers), ...Object.keys(route.problems)]
            .map(Number)
            .filter((status) => answeredByIntegration(serve.workflow, status))
            .sort((a, b) => a - b)
            .map((status) => ({ statusCode: String(status) })),
        })
      : resource.addMethod(route.method, this.functionIntegration(route, readFunctions), {
          ...authorization,
          // Parameters are declared, not validated here: the handler answers a bad one with a 400 problem naming
          // it, exactly as the local gateway does, where API Gateway's BAD_REQUEST_PARAMETERS has one static answer.
          requestParameters: Object.fromEntries([
            ...pathParameterNames(route.path).map((name) => [`method.request.path.${name}`, true]),
            ...(route.parameters ?? [])
              .filter((p) => p.in === 'query')
              .map((p) => [`method.request.querystring.${p.name}`, false]),
          ]),
        });
  }

  private acknowledgeFindings(config: StageConfig): void {
    if (config.apiGatewayCloudWatchRole) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-wide API Gateway logging role uses AmazonAPIGatewayPushToCloudWatchLogs, the AWS managed policy made for exactly this role (API Gateway needs it to write execution and access logs).',
      });
    }
  }

  /**
   * What the workflow routes share: the request validator, the one-JSON-object model and the role API Gateway
   * starts their workflows with (it may start those workflows only). None when the catalogue has no workflow route.
   */
  private workflowStart(
    routes: readonly Route[],
    stateMachines: ReadonlyMap<string, sfn.IStateMachine>,
  ): WorkflowStart | undefined {
    const workflows = [
      ...new Set(routes.flatMap((route) => (route.serve.kind === 'sync-workflow' ? [route.serve.workflow] : []))),
    ];
    if (workflows.length === 0) return undefined;
    const validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'content-type-and-json-object',
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    // Only "one JSON object": the fields are checked by the workflow's first step against the one schema (ajv),
    // which answers 400 with a list of field errors, as it does locally.
    const jsonObject = this.api.addModel('JsonObject', {
      contentType: JSON_CONTENT_TYPE,
      modelName: 'JsonObject',
      description: 'Any JSON object; the submit-payment workflow validates its fields.',
      schema: { schema: apigw.JsonSchemaVersion.DRAFT4, title: 'JsonObject', type: apigw.JsonSchemaType.OBJECT },
    });
    const names = workflows.map((workflow) => kebabCase(workflow.name));
    const startRole = new iam.Role(this, 'StartSyncExecutionRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: `API Gateway: start the ${names.join(' and ')} workflow${names.length > 1 ? 's' : ''}, nothing else`,
    });
    const stateMachineOf = new Map(
      workflows.map((workflow) => {
        const stateMachine = stateMachines.get(workflow.name);
        if (!stateMachine) throw new Error(`No state machine for the workflow ${workflow.name}`);
        stateMachine.grantStartSyncExecution(startRole);
        return [workflow, stateMachine] as const;
      }),
    );
    return { validator, jsonObject, startRole, stateMachineOf };
  }

  /** A workflow route's direct StartSyncExecution integration, with the shared mapping templates. */
  private workflowIntegration(serve: SyncWorkflowIntegration, start: WorkflowStart): apigw.Integration {
    return new apigw.AwsIntegration({
      service: 'states',
      action: 'StartSyncExecution',
      integrationHttpMethod: 'POST',
      options: {
        credentialsRole: start.startRole,
        // No template for other content types: API Gateway answers 415 before any workflow runs.
        passthroughBehavior: apigw.PassthroughBehavior.NEVER,
        requestTemplates: {
          [JSON_CONTENT_TYPE]: submissionRequestTemplate(start.stateMachineOf.get(serve.workflow)!.stateMachineArn),
        },
        integrationResponses: [
          { statusCode: '200', responseTemplates: { [JSON_CONTENT_TYPE]: SUBMISSION_RESPONSE_TEMPLATE } },
          {
            selectionPattern: '4\\d{2}',
            statusCode: '500',
            responseTemplates: { [JSON_CONTENT_TYPE]: START_CLIENT_ERROR_TEMPLATE },
          },
          {
            selectionPattern: '5\\d{2}',
            statusCode: '503',
            responseTemplates: { [JSON_CONTENT_TYPE]: START_SERVER_ERROR_TEMPLATE },
          },
        ],
        timeout: Duration.seconds(29),
      },
    });
  }

  /** A function route's Lambda proxy integration: only the deployed stage may invoke the function. */
  private functionIntegration(route: Route, functions: readonly PaymentsFunction[]): apigw.Integration {
    if (route.serve.kind !== 'function') throw new Error(`${routeKey(route)} is not served by a function`);
    const { name, responseStreaming } = route.serve.function;
    const f = functions.find((candidate) => candidate.definition.name === name);
    if (!f) throw new Error(`No function ${name} for ${routeKey(route)}`);
    return new apigw.LambdaIntegration(f.fn, {
      proxy: true,
      // Only the deployed stage may invoke it (no console test-invoke permission).
      allowTestInvoke: false,
      ...(responseStreaming === true
        ? // Written as it is read (InvokeWithResponseStream); a streamed answer may run up to 15 minutes.
          { responseTransferMode: apigw.ResponseTransferMode.STREAM, timeout: Duration.minutes(15) }
        : {}),
    });
  }

  /** The API's base URL: its own domain where the stage has one (the only one when execute-api is off). */
  get baseUrl(): string {
    const domain = this.api.domainName?.domainName;
    return domain ? `https://${domain}/` : this.api.url;
  }

  /** The invoke URL of POST /payments. */
  get paymentsUrl(): string {
    return `${this.baseUrl}payments`;
  }
}
