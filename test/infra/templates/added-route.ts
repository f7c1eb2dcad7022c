import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ROUTES } from '#contract/routes';
import { SCOPES } from '#contract/scopes';
import { readStageConfig } from '../../../infra/config';
import { PaymentsTrackerStack } from '../../../infra/stack';
import { ADDED_ROUTE } from '../../support/added-route';
import { cdkJsonContext, resourcesOf } from '../support/synth';

/**
 * Adding a route is one catalogue entry plus its handler (test/support/added-route.ts): the stack built with it
 * deploys its function and its method, behind the authorizer with its scope, as a proxy integration of that function.
 */
const synthWithAddedRoute = () => {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], stage: 'dev' } });
  const routes = [...ROUTES, ADDED_ROUTE];
  const stack = new PaymentsTrackerStack(app, 'PaymentsTracker-added-route', {
    config: readStageConfig(app.node),
    routes,
  });
  return { stack, template: Template.fromStack(stack) };
};

test('the CDK stack synthesizes the added route: its function, its method with the authorizer scope and its integration', () => {
  const { stack, template } = synthWithAddedRoute();
  const fn = stack.readFunctions.find((candidate) => candidate.definition.name === 'GetGreeting');
  expect(fn).toBeDefined();
  const method = stack.api.methods.get('GET /greetings/{name}');
  expect(method).toBeDefined();
  const properties = resourcesOf(template, 'AWS::ApiGateway::Method')[
    stack.getLogicalId(method!.node.defaultChild as never)
  ]?.Properties;
  const fnId = stack.getLogicalId(fn!.fn.node.defaultChild as never);
  expect(properties).toMatchObject({
    HttpMethod: 'GET',
    OperationName: 'getGreeting',
    AuthorizationType: 'COGNITO_USER_POOLS',
    AuthorizationScopes: [SCOPES.reportsAdmin],
    RequestParameters: { 'method.request.path.name': true },
    Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
  });
  expect(JSON.stringify(properties?.Integration)).toContain(`"${fnId}"`);
  const resources = Object.values(resourcesOf(template, 'AWS::ApiGateway::Resource')).map(
    (resource) => resource.Properties.PathPart,
  );
  expect(resources).toEqual(expect.arrayContaining(['greetings', '{name}']));
});
