import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
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
import { READ_ROUTES } from '#contract/functions';
import { SCOPES } from '#contract/scopes';
import { JSON_CONTENT_TYPE, MAX_BODY_BYTES } from '#contract/workflow-io';
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

/** Every status POST /payments answers with from its integration (the contract's, see docs/openapi.yaml). */
const INTEGRATION_STATUSES = ['200', '201', '400', '403', '409', '500', '503'];

export interface PaymentsApiProps {
  config: StageConfig;
  userPool: cognito.IUserPool;
  stateMachine: sfn.IStateMachine;
  encryptionKey: kms.IKey;
  /** The functions behind READ_ROUTES, by definition name. */
  readFunctions: readonly PaymentsFunction[];
}

/**
 * The REST API. POST /payments: Cognito access tokens with the write scope, Content-Type required and JSON
 * only, a body that is one JSON object (body size is the web ACL's job: see Firewall), then a
 * direct `states:StartSyncExecution` integration whose mapping templates are the deployed
 * counterpart of the local gateway's mappings (contract/api-gateway-templates.ts).
 * The read routes (contract/functions.ts READ_ROUTES) are Lambda proxy integrations of
 * the read functions, each with its scope; the export streams. Throttled per stage, traced with
 * X-Ray, one JSON access log line per request.
 */
export class PaymentsApi extends Construct {
  readonly api: apigw.RestApi;
  readonly accessLogs: logs.LogGroup;
  readonly paymentsMethod: apigw.Method;
  /** The GET methods of READ_ROUTES, by path. */
  readonly readMethods = new Map<string, apigw.Method>();

  constructor(scope: Construct, id: string, props: PaymentsApiProps) {
    super(scope, id);
    const { config } = props;

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: config.logRetentionDays as logs.RetentionDays,
      encryptionKey: props.encryptionKey,
    });

    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: `payments-tracker-${config.stage}`,
      description: `Payments Tracker API (${config.stage})`,
      endpointTypes: [apigw.EndpointType.REGIONAL],
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

    // The stack names its outputs itself (ApiUrl, PaymentsEndpoint): no second, generated one.
    this.api.node.tryRemoveChild('Endpoint');

    for (const answer of gatewayAnswers(MAX_BODY_BYTES)) {
      this.api.addGatewayResponse(answer.type, {
        type: apigw.ResponseType.of(answer.type),
        statusCode: String(answer.statusCode),
        responseHeaders: Object.fromEntries(
          Object.entries({ 'Content-Type': answer.contentType, ...answer.headers }).map(([name, value]) => [name, `'${value}'`]),
        ),
        templates: { [JSON_CONTENT_TYPE]: answer.template },
      });
    }

    const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.userPool],
      identitySource: apigw.IdentitySource.header('Authorization'),
    });

    const validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'content-type-and-json-object',
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    // Only "one JSON object": the fields are checked by ValidatePayment against the one payment
    // schema (ajv), which answers 400 with a list of field errors, as it does locally.
    const jsonObject = this.api.addModel('JsonObject', {
      contentType: JSON_CONTENT_TYPE,
      modelName: 'JsonObject',
      description: 'Any JSON object; the submit-payment workflow validates its fields.',
      schema: { schema: apigw.JsonSchemaVersion.DRAFT4, title: 'JsonObject', type: apigw.JsonSchemaType.OBJECT },
    });

    const startRole = new iam.Role(this, 'StartSyncExecutionRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway: start the submit-payment workflow, nothing else',
    });
    props.stateMachine.grantStartSyncExecution(startRole);

    const integration = new apigw.AwsIntegration({
      service: 'states',
      action: 'StartSyncExecution',
      integrationHttpMethod: 'POST',
      options: {
        credentialsRole: startRole,
        // No template for other content types: API Gateway answers 415 before any workflow runs.
        passthroughBehavior: apigw.PassthroughBehavior.NEVER,
        requestTemplates: { [JSON_CONTENT_TYPE]: submissionRequestTemplate(props.stateMachine.stateMachineArn) },
        integrationResponses: [
          { statusCode: '200', responseTemplates: { [JSON_CONTENT_TYPE]: SUBMISSION_RESPONSE_TEMPLATE } },
          { selectionPattern: '4\\d{2}', statusCode: '500', responseTemplates: { [JSON_CONTENT_TYPE]: START_CLIENT_ERROR_TEMPLATE } },
          { selectionPattern: '5\\d{2}', statusCode: '503', responseTemplates: { [JSON_CONTENT_TYPE]: START_SERVER_ERROR_TEMPLATE } },
        ],
        timeout: Duration.seconds(29),
      },
    });

    this.paymentsMethod = this.api.root.resourceForPath('/payments').addMethod('POST', integration, {
      operationName: 'submitPayment',
      authorizer,
      authorizationType: apigw.AuthorizationType.COGNITO,
      authorizationScopes: [SCOPES.write],
      requestValidator: validator,
      requestParameters: { 'method.request.header.Content-Type': true },
      requestModels: { [JSON_CONTENT_TYPE]: jsonObject },
      methodResponses: INTEGRATION_STATUSES.map((statusCode) => ({ statusCode })),
    });

    // The read routes: Lambda proxy integrations, each behind the authorizer with its route's scope,
    // the scope the handler checks again (as it does locally). Parameters are declared, not
    // validated here: the handler answers a bad one with a 400 problem naming it, exactly as the
    // local gateway does, where API Gateway's BAD_REQUEST_PARAMETERS has one static answer.
    for (const route of READ_ROUTES) {
      const f = props.readFunctions.find((candidate) => candidate.definition.name === route.functionName);
      if (!f) throw new Error(`No function ${route.functionName} for GET ${route.path}`);
      const streaming = f.definition.responseStreaming === true;
      const readIntegration = new apigw.LambdaIntegration(f.fn, {
        proxy: true,
        // Only the deployed stage may invoke it (no console test-invoke permission).
        allowTestInvoke: false,
        ...(streaming
          ? // Written as it is read (InvokeWithResponseStream); a streamed answer may run up to 15 minutes.
            { responseTransferMode: apigw.ResponseTransferMode.STREAM, timeout: Duration.minutes(15) }
          : {}),
      });
      const pathParameters = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
      const method = this.api.root.resourceForPath(route.path).addMethod('GET', readIntegration, {
        operationName: route.functionName.charAt(0).toLowerCase() + route.functionName.slice(1),
        authorizer,
        authorizationType: apigw.AuthorizationType.COGNITO,
        authorizationScopes: [route.scope],
        requestParameters: Object.fromEntries([
          ...pathParameters.map((name) => [`method.request.path.${name}`, true]),
          ...(route.query ?? []).map((name) => [`method.request.querystring.${name}`, false]),
        ]),
      });
      this.readMethods.set(route.path, method);
    }

    if (config.apiGatewayCloudWatchRole) {
      Validations.of(this.api).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-wide API Gateway logging role uses AmazonAPIGatewayPushToCloudWatchLogs, the AWS managed policy made for exactly this role (API Gateway needs it to write execution and access logs).',
      });
    }
  }

  /** The invoke URL of POST /payments. */
  get paymentsUrl(): string {
    return this.api.urlForPath('/payments');
  }
}
