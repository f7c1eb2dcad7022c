import {
  START_CLIENT_ERROR_TEMPLATE,
  START_SERVER_ERROR_TEMPLATE,
  SUBMISSION_RESPONSE_TEMPLATE,
  WAF_ANSWERS,
  gatewayAnswers,
  submissionRequestTemplate,
} from '#contract/api-gateway-templates';
import { ROUTES, type Route, routeKey } from '#contract/routes';
import { SCOPES } from '#contract/scopes';
import { MAX_BATCH_PAYMENTS } from '#domain/batch';
import { MAX_BATCH_BODY_BYTES, MAX_BODY_BYTES } from '#contract/workflow-io';
import { ACCESS_LOG_FORMAT, API_STAGE_NAME } from '../../../infra/constructs/payments-api';
import { STAGES, logicalId, onlyResource, resourcesOf, stageSetting, synthesized } from '../support/synth';

/** A CloudFormation value as text: Fn::Join flattened, references written `<Ref:Id>` / `<GetAtt:Id.Attr>`. */
const flatten = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const object = value as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(flatten).join(separator);
  }
  if ('Ref' in object) return `<Ref:${String(object.Ref)}>`;
  if ('Fn::GetAtt' in object) return `<GetAtt:${(object['Fn::GetAtt'] as string[]).join('.')}>`;
  return JSON.stringify(value);
};

describe.each(STAGES)('the REST API (stage %s)', (stage) => {
  const synth = () => synthesized(stage);
  const methods = () => resourcesOf(synth().template, 'AWS::ApiGateway::Method');
  const paymentsMethod = () => synth().stack.api.methods.get('POST /payments')!;
  const method = () => methods()[logicalId(synth(), paymentsMethod())]?.Properties as Record<string, unknown>;
  const integration = () => method().Integration as Record<string, unknown>;
  const stateMachineId = () => logicalId(synth(), synth().stack.workflow.stateMachine);
  const batchStateMachineId = () => logicalId(synth(), synth().stack.batchWorkflow.stateMachine);
  const batchMethod = () =>
    methods()[logicalId(synth(), synth().stack.api.methods.get('POST /payments/batch')!)]?.Properties as Record<
      string,
      unknown
    >;

  test("POST /payments/batch: the same authorizer, validator and shared mappings, integrations' scope only, starting the batch workflow", () => {
    expect(batchMethod()).toMatchObject({
      HttpMethod: 'POST',
      OperationName: 'submitPaymentBatch',
      AuthorizationType: 'COGNITO_USER_POOLS',
      // Not payments/write: a user app's token would send 100 payments for one request.
      AuthorizationScopes: [SCOPES.submitOnBehalf],
      RequestParameters: { 'method.request.header.Content-Type': true },
      RequestValidatorId: method().RequestValidatorId,
      RequestModels: method().RequestModels,
    });
    const batchIntegration = batchMethod().Integration as Record<string, unknown>;
    expect(batchIntegration).toMatchObject({ Type: 'AWS', TimeoutInMillis: 29000, PassthroughBehavior: 'NEVER' });
    expect(flatten((batchIntegration.RequestTemplates as Record<string, unknown>)['application/json'])).toBe(
      submissionRequestTemplate(`<Ref:${batchStateMachineId()}>`),
    );
    expect(batchIntegration.IntegrationResponses).toEqual(integration().IntegrationResponses);
    // 413 is the workflow's too here (ReadBatch refuses a payment over the single limit).
    const declared = (batchMethod().MethodResponses as Array<{ StatusCode: string }>).map((r) => r.StatusCode);
    expect(declared).toEqual(['200', '400', '403', '413', '500', '503']);
  });

  test('the custom domain is the only way in where the stage disables the default execute-api endpoint (prod)', () => {
    const api = onlyResource(synth().template, 'AWS::ApiGateway::RestApi').Properties;
    const disabled = stageSetting(stage, 'disableExecuteApiEndpoint') as boolean;
    expect(api.DisableExecuteApiEndpoint ?? false).toBe(disabled);
    if (stage === 'prod') expect(disabled).toBe(true);
    const domain = stageSetting(stage, 'apiDomain' as never) as { name: string; certificateArn: string } | undefined;
    const domains = resourcesOf(synth().template, 'AWS::ApiGateway::DomainName');
    if (!domain) {
      expect(disabled).toBe(false);
      expect(domains).toEqual({});
      return;
    }
    expect(Object.values(domains).map((resource) => resource.Properties)).toEqual([
      expect.objectContaining({
        DomainName: domain.name,
        RegionalCertificateArn: domain.certificateArn,
        EndpointConfiguration: { Types: ['REGIONAL'] },
        SecurityPolicy: 'TLS_1_2',
      }),
    ]);
    // The domain's root maps the stage the web ACL is associated with.
    const mapping = onlyResource(synth().template, 'AWS::ApiGateway::BasePathMapping').Properties;
    expect(mapping.Stage).toEqual({ Ref: logicalId(synth(), synth().stack.api.api.deploymentStage) });
    expect(mapping.BasePath).toBeUndefined();
  });

  test('POST /payments is behind the Cognito authorizer, with the write scope', () => {
    expect(method()).toMatchObject({
      HttpMethod: 'POST',
      AuthorizationType: 'COGNITO_USER_POOLS',
      AuthorizationScopes: [SCOPES.write],
      AuthorizerId: { Ref: expect.any(String) },
    });
    const resourceId = (method().ResourceId as { Ref: string }).Ref;
    expect(resourcesOf(synth().template, 'AWS::ApiGateway::Resource')[resourceId]?.Properties.PathPart).toBe(
      'payments',
    );
    expect(
      Object.values(methods())
        .filter((candidate) => candidate.Properties.HttpMethod === 'POST')
        .map((candidate) => candidate.Properties.OperationName),
    ).toEqual([
      'submitPayment',
      'submitPaymentBatch',
      'reversePayment',
      'correctCommitments',
      'fileDispute',
      'resolveDispute',
    ]);
    const authorizer = onlyResource(synth().template, 'AWS::ApiGateway::Authorizer').Properties;
    expect(authorizer).toMatchObject({
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
    });
    expect(authorizer.ProviderARNs).toEqual([
      { 'Fn::GetAtt': [logicalId(synth(), synth().stack.identity.userPool), 'Arn'] },
    ]);
  });

  test('requests are validated: Content-Type required, the body one JSON object', () => {
    expect(onlyResource(synth().template, 'AWS::ApiGateway::RequestValidator').Properties).toMatchObject({
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    expect(method().RequestParameters).toEqual({ 'method.request.header.Content-Type': true });
    expect(method().RequestModels).toEqual({ 'application/json': { Ref: expect.any(String) } });
    const model = onlyResource(synth().template, 'AWS::ApiGateway::Model').Properties;
    expect(model).toMatchObject({ ContentType: 'application/json', Schema: { type: 'object' } });
  });

  test('content type: only application/json has a mapping template and nothing passes through (415 otherwise)', () => {
    expect(integration().PassthroughBehavior).toBe('NEVER');
    expect(Object.keys(integration().RequestTemplates as object)).toEqual(['application/json']);
  });

  test('a direct StartSyncExecution integration (no proxy Lambda) with a role that may only start the workflows of the routes', () => {
    expect(integration()).toMatchObject({ Type: 'AWS', IntegrationHttpMethod: 'POST', TimeoutInMillis: 29000 });
    expect(flatten(integration().Uri)).toMatch(/:apigateway:.*:states:action\/StartSyncExecution$/);
    const roleId = (integration().Credentials as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] as string;
    const role = resourcesOf(synth().template, 'AWS::IAM::Role')[roleId]?.Properties;
    expect(JSON.stringify(role?.AssumeRolePolicyDocument)).toContain('apigateway.amazonaws.com');
    const statements = Object.values(resourcesOf(synth().template, 'AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement);
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'states:StartSyncExecution',
        Resource: [{ Ref: batchStateMachineId() }, { Ref: stateMachineId() }],
      },
    ]);
  });

  test('the mapping templates are the shared ones (contract/api-gateway-templates.ts)', () => {
    const requestTemplate = flatten((integration().RequestTemplates as Record<string, unknown>)['application/json']);
    expect(requestTemplate).toBe(submissionRequestTemplate(`<Ref:${stateMachineId()}>`));
    expect(integration().IntegrationResponses).toEqual([
      { StatusCode: '200', ResponseTemplates: { 'application/json': SUBMISSION_RESPONSE_TEMPLATE } },
      {
        SelectionPattern: '4\\d{2}',
        StatusCode: '500',
        ResponseTemplates: { 'application/json': START_CLIENT_ERROR_TEMPLATE },
      },
      {
        SelectionPattern: '5\\d{2}',
        StatusCode: '503',
        ResponseTemplates: { 'application/json': START_SERVER_ERROR_TEMPLATE },
      },
    ]);
    const declared = (method().MethodResponses as Array<{ StatusCode: string }>).map((response) => response.StatusCode);
    for (const status of ['200', '201', '400', '403', '409', '500', '503']) expect(declared).toContain(status);
  });

  test('gateway responses answer RFC 9457 problems for what API Gateway refuses by itself', () => {
    const responses = Object.values(resourcesOf(synth().template, 'AWS::ApiGateway::GatewayResponse')).map(
      (response) => response.Properties,
    );
    const expected = gatewayAnswers(MAX_BODY_BYTES);
    expect(responses).toHaveLength(expected.length);
    for (const answer of expected) {
      const response = responses.find((candidate) => candidate.ResponseType === answer.type);
      expect(response).toMatchObject({
        StatusCode: String(answer.statusCode),
        ResponseTemplates: { 'application/json': answer.template },
        ResponseParameters: {
          'gatewayresponse.header.Content-Type': "'application/problem+json'",
          ...Object.fromEntries(
            Object.entries(answer.headers).map(([name, value]) => [`gatewayresponse.header.${name}`, `'${value}'`]),
          ),
        },
      });
    }
  });

  test('stage: throttled per stage, X-Ray tracing, error-level execution logs without bodies', () => {
    const stageResource = onlyResource(synth().template, 'AWS::ApiGateway::Stage').Properties;
    expect(stageResource).toMatchObject({ StageName: API_STAGE_NAME, TracingEnabled: true });
    expect(stageResource.MethodSettings).toEqual([
      {
        HttpMethod: '*',
        ResourcePath: '/*',
        ThrottlingRateLimit: stageSetting(stage, 'apiRateLimit'),
        ThrottlingBurstLimit: stageSetting(stage, 'apiBurstLimit'),
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
      },
    ]);
  });

  test('access logs: one JSON object per request (caller, status, latencies, trace id) to an encrypted log group', () => {
    const setting = onlyResource(synth().template, 'AWS::ApiGateway::Stage').Properties.AccessLogSetting as {
      Format: string;
      DestinationArn: unknown;
    };
    expect(JSON.parse(setting.Format)).toEqual(ACCESS_LOG_FORMAT);
    expect(JSON.parse(setting.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      clientId: '$context.authorizer.claims.client_id',
    });
    const logGroupId = logicalId(synth(), synth().stack.api.accessLogs);
    expect(flatten(setting.DestinationArn)).toContain(`<Ref:${logGroupId}>`);
    expect(resourcesOf(synth().template, 'AWS::Logs::LogGroup')[logGroupId]?.Properties).toMatchObject({
      RetentionInDays: stageSetting(stage, 'logRetentionDays'),
      KmsKeyId: expect.anything(),
    });
  });

  describe('web ACL', () => {
    const acl = () => onlyResource(synth().template, 'AWS::WAFv2::WebACL').Properties;
    const rule = (name: string) =>
      (acl().Rules as Array<Record<string, unknown>>).find((candidate) => candidate.Name === name) as Record<
        string,
        unknown
      >;

    test('is associated with the API stage', () => {
      const association = onlyResource(synth().template, 'AWS::WAFv2::WebACLAssociation').Properties;
      expect(association.WebACLArn).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
      expect(flatten(association.ResourceArn)).toMatch(
        new RegExp(`/restapis/<Ref:${logicalId(synth(), synth().stack.api.api)}>/stages/<Ref:`),
      );
      expect(acl()).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    });

    const sizeOver = (size: number) => ({
      SizeConstraintStatement: {
        FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
        ComparisonOperator: 'GT',
        Size: size,
      },
    });
    const batchPath = {
      ByteMatchStatement: {
        FieldToMatch: { UriPath: {} },
        PositionalConstraint: 'ENDS_WITH',
        SearchString: '/payments/batch',
      },
    };

    test('blocks bodies over the contract limit (4 KiB) with 413, inspecting 64 KB and matching anything larger', () => {
      // The number itself, not only the shared constant: raising the limit is a decision (execution history cost).
      expect(MAX_BODY_BYTES).toBe(4096);
      expect(rule('BodyTooLarge')).toMatchObject({
        Priority: 0,
        Action: { Block: { CustomResponse: { ResponseCode: 413, CustomResponseBodyKey: 'PayloadTooLarge' } } },
        // Every path but the batch's: a variant spelling of it keeps the 4 KiB limit.
        Statement: {
          AndStatement: { Statements: [{ NotStatement: { Statement: batchPath } }, sizeOver(MAX_BODY_BYTES)] },
        },
      });
      expect(acl().AssociationConfig).toEqual({
        RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_64' } },
      });
      expect((acl().CustomResponseBodies as Record<string, { Content: string }>).PayloadTooLarge?.Content).toBe(
        WAF_ANSWERS.bodyTooLarge(MAX_BODY_BYTES).body,
      );
    });

    test('blocks a batch over 64 KiB on its own path with 413: the most WAF inspects, all of it inspected', () => {
      expect(MAX_BATCH_BODY_BYTES).toBe(65536);
      expect(rule('BodyTooLarge-submitPaymentBatch')).toMatchObject({
        Priority: 1,
        Action: {
          Block: {
            CustomResponse: { ResponseCode: 413, CustomResponseBodyKey: 'PayloadTooLarge-submitPaymentBatch' },
          },
        },
        Statement: { AndStatement: { Statements: [batchPath, sizeOver(MAX_BATCH_BODY_BYTES)] } },
      });
      expect(
        (acl().CustomResponseBodies as Record<string, { Content: string }>)['PayloadTooLarge-submitPaymentBatch']
          ?.Content,
      ).toBe(WAF_ANSWERS.bodyTooLarge(MAX_BATCH_BODY_BYTES).body);
    });

    test('rate-limits each source IP (429) at the stage limit', () => {
      expect(rule('RatePerIp')).toMatchObject({
        Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
        Statement: {
          RateBasedStatement: {
            AggregateKeyType: 'IP',
            Limit: stageSetting(stage, 'wafRequestsPerIpPer5Min'),
            EvaluationWindowSec: 300,
          },
        },
      });
    });

    test('rate-limits each caller (429) on its access token, whatever its addresses: a tenth of the stage throttle per minute', () => {
      const limit = stageSetting(stage, 'wafRequestsPerCallerPerMinute') as number;
      expect(rule('RatePerCaller')).toMatchObject({
        Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'CallerRateLimited' } } },
        Statement: {
          RateBasedStatement: {
            AggregateKeyType: 'CUSTOM_KEYS',
            CustomKeys: [{ Header: { Name: 'authorization', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }],
            Limit: limit,
            EvaluationWindowSec: 60,
          },
        },
        VisibilityConfig: { MetricName: 'RatePerCaller', CloudWatchMetricsEnabled: true },
      });
      // No single caller can take the stage: its share per second is at most a tenth of the stage's rate.
      expect(limit / 60).toBeLessThanOrEqual((stageSetting(stage, 'apiRateLimit') as number) / 10);
      // Before the managed groups (which could otherwise end evaluation first) and after the size and IP rules.
      const priorities = Object.fromEntries(
        (acl().Rules as Array<{ Name: string; Priority: number }>).map((r) => [r.Name, r.Priority]),
      );
      expect(priorities.RatePerCaller).toBeGreaterThan(priorities.RatePerIp as number);
      expect(priorities.RatePerCaller).toBeLessThan(priorities.AWSManagedRulesAmazonIpReputationList as number);
      expect((acl().CustomResponseBodies as Record<string, { Content: string }>).CallerRateLimited?.Content).toBe(
        WAF_ANSWERS.callerRateLimited().body,
      );
    });

    test("counts a caller's batches against its share as full batches: a per-token rule on the batch path", () => {
      const share = stageSetting(stage, 'wafRequestsPerCallerPerMinute') as number;
      const batchRule = rule('RatePerCallerBatch-submitPaymentBatch');
      expect(batchRule).toMatchObject({
        Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'CallerRateLimited' } } },
        Statement: {
          RateBasedStatement: {
            AggregateKeyType: 'CUSTOM_KEYS',
            CustomKeys: [{ Header: { Name: 'authorization', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }],
            EvaluationWindowSec: 60,
            ScopeDownStatement: {
              ByteMatchStatement: {
                FieldToMatch: { UriPath: {} },
                PositionalConstraint: 'ENDS_WITH',
                SearchString: '/payments/batch',
              },
            },
          },
        },
      });
      const batches = (batchRule as { Statement: { RateBasedStatement: { Limit: number } } }).Statement
        .RateBasedStatement.Limit;
      // Full batches a minute never carry more than the share, but where WAF's least limit (10) is more.
      expect(batches).toBe(Math.max(10, Math.floor(share / MAX_BATCH_PAYMENTS)));
      expect(batches * MAX_BATCH_PAYMENTS).toBeLessThanOrEqual(Math.max(share, 10 * MAX_BATCH_PAYMENTS));
      if (stage === 'prod') expect(batches * MAX_BATCH_PAYMENTS).toBeLessThanOrEqual(share);
    });

    test('runs the AWS IP reputation and known-bad-inputs rule groups', () => {
      const groups = (acl().Rules as Array<{ Statement: { ManagedRuleGroupStatement?: { Name: string } } }>)
        .map((candidate) => candidate.Statement.ManagedRuleGroupStatement?.Name)
        .filter(Boolean);
      expect(groups).toEqual(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet']);
    });
  });
});

/** The scope each function route needs, as the local gateway and the handlers enforce it (test/e2e: 403 without it). */
const READ_SCOPES: Record<string, string> = {
  'GET /payments': SCOPES.read,
  'GET /payments/{id}': SCOPES.read,
  'GET /reports/{month}': SCOPES.read,
  'GET /reports/{month}/summary': SCOPES.reportsAdmin,
  'GET /reports/{month}/export': SCOPES.reportsAdmin,
  'GET /commitments': SCOPES.read,
  'POST /commitments/corrections': SCOPES.write,
  'POST /disputes': SCOPES.write,
  'GET /disputes': SCOPES.read,
  'GET /disputes/{id}': SCOPES.read,
  // Only the operations client holds it (contract/scopes.ts OPERATIONS_SCOPES).
  'POST /disputes/{id}/resolution': SCOPES.disputesAdmin,
  'GET /commitments/{id}/consent': SCOPES.read,
  'PUT /commitments/{id}/consent': SCOPES.write,
  // Integrations write a customer's identity, the customer reads their own, operations erase it (decision 0020).
  'PUT /customers/{userId}/identity': SCOPES.customersWrite,
  'GET /customers/me/identity': SCOPES.read,
  'DELETE /customers/{userId}/identity': SCOPES.customersErase,
  // Trusted integrations only (decisions/0019).
  'POST /payments/{id}/reversal': SCOPES.submitOnBehalf,
  'PUT /commitments/{id}/kind': SCOPES.write,
};

/** The function routes of the catalogue (what READ_ROUTES listed): each served by a function of its own. */
const READ_ROUTES = ROUTES.filter(
  (route): route is Route & { serve: { kind: 'function' } } => route.serve.kind === 'function',
);
const functionNameOf = (route: (typeof READ_ROUTES)[number]): string => route.serve.function.name;
const queryOf = (route: Route): string[] => (route.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);

describe.each(STAGES)('the read routes of the REST API (stage %s)', (stage) => {
  const synth = () => synthesized(stage);
  const resources = () => resourcesOf(synth().template, 'AWS::ApiGateway::Resource');
  const methodAt = (key: string) => {
    const construct = synth().stack.api.methods.get(key);
    if (!construct) throw new Error(`No method for ${key}`);
    return resourcesOf(synth().template, 'AWS::ApiGateway::Method')[logicalId(synth(), construct)]
      ?.Properties as Record<string, unknown>;
  };
  /** The path of a method's resource, rebuilt from the resource tree of the template. */
  const pathOf = (resourceRef: unknown): string => {
    const id = (resourceRef as { Ref?: string }).Ref;
    if (!id) return '';
    const resource = resources()[id]?.Properties as { PathPart: string; ParentId: unknown };
    return `${pathOf(resource.ParentId)}/${resource.PathPart}`;
  };
  const functionOf = (name: string) => synth().stack.readFunctions.find((f) => f.definition.name === name)!;

  test('exactly the function routes of the contract, each its method at its path', () => {
    expect(READ_ROUTES.map(routeKey).sort()).toEqual(Object.keys(READ_SCOPES).sort());
    const proxied = Object.values(resourcesOf(synth().template, 'AWS::ApiGateway::Method')).filter(
      (m) => (m.Properties.Integration as { Type?: string } | undefined)?.Type === 'AWS_PROXY',
    );
    expect(proxied.map((m) => `${String(m.Properties.HttpMethod)} ${pathOf(m.Properties.ResourceId)}`).sort()).toEqual(
      Object.keys(READ_SCOPES).sort(),
    );
  });

  test.each(Object.entries(READ_SCOPES))('%s: the Cognito authorizer with the scope %s (as locally)', (key, scope) => {
    const postAuthorizer = Object.values(resourcesOf(synth().template, 'AWS::ApiGateway::Method')).find(
      (m) => m.Properties.HttpMethod === 'POST',
    )?.Properties.AuthorizerId;
    expect(methodAt(key)).toMatchObject({
      HttpMethod: key.split(' ')[0],
      AuthorizationType: 'COGNITO_USER_POOLS',
      AuthorizationScopes: [scope],
      AuthorizerId: postAuthorizer,
    });
  });

  test.each(READ_ROUTES.map((route) => [routeKey(route), route] as const))(
    '%s: a Lambda proxy integration of its own function',
    (key, route) => {
      const path = route.path;
      const integration = methodAt(key).Integration as Record<string, unknown>;
      expect(integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
      expect(flatten(integration.Uri)).toContain(
        `<GetAtt:${logicalId(synth(), functionOf(functionNameOf(route)).fn)}.Arn>`,
      );
      // Path parameters declared required; query parameters declared optional (the handler answers a bad one with a 400 naming it).
      const declared = (methodAt(key).RequestParameters ?? {}) as Record<string, boolean>;
      for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) expect(declared[`method.request.path.${name}`]).toBe(true);
      for (const name of queryOf(route)) expect(declared[`method.request.querystring.${name}`]).toBe(false);
    },
  );

  test('the export streams (InvokeWithResponseStream, transfer mode STREAM, 15 minutes); the other reads are buffered (29 s)', () => {
    for (const route of READ_ROUTES) {
      const integration = methodAt(routeKey(route)).Integration as Record<string, unknown>;
      if (route.path === '/reports/{month}/export') {
        expect(integration).toMatchObject({ ResponseTransferMode: 'STREAM', TimeoutInMillis: 900_000 });
        expect(flatten(integration.Uri)).toMatch(
          /:lambda:path\/2021-11-15\/functions\/.*\/response-streaming-invocations$/,
        );
        expect(functionOf(functionNameOf(route)).definition.responseStreaming).toBe(true);
      } else {
        expect(integration.ResponseTransferMode).toBeUndefined();
        expect(flatten(integration.Uri)).toMatch(/\/invocations$/);
        expect(integration.TimeoutInMillis).toBeUndefined();
      }
    }
  });

  test('API Gateway may invoke each read function from its own method only (no test-invoke, no wildcard method)', () => {
    const permissions = Object.values(resourcesOf(synth().template, 'AWS::Lambda::Permission')).map(
      (p) => p.Properties,
    );
    for (const route of READ_ROUTES) {
      const fnId = logicalId(synth(), functionOf(functionNameOf(route)).fn);
      const own = permissions.filter((p) => JSON.stringify(p.FunctionName).includes(`"${fnId}"`));
      expect(own).toHaveLength(1);
      expect(own[0]).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' });
      const stageId = logicalId(synth(), synth().stack.api.api.deploymentStage);
      expect(flatten(own[0]?.SourceArn)).toMatch(
        new RegExp(`/<Ref:${stageId}>/${route.method}${route.path.replace(/\{[^}]+\}/g, '\\*')}$`),
      );
    }
  });
});
