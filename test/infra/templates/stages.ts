import { App } from 'aws-cdk-lib';
import { PROD_SAFE_DEFAULTS, readStageConfig } from '../../../infra/config';
import { cdkJsonContext, synthStage, synthesized } from '../support/synth';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0b7b7f0e-3c1c-4a35-9a4f-3d1d0f6f1b2a';

const configFor = (context: Record<string, unknown>) => readStageConfig(new App({ context }).node);

const API_DOMAIN = {
  name: 'api.staging.example',
  certificateArn: 'arn:aws:acm:eu-west-2:111111111111:certificate/00000000-0000-4000-8000-000000000000',
};

describe('stages by context (-c stage=dev|prod)', () => {
  test('cdk.json defaults to dev, so a bare `cdk deploy` never touches production', () => {
    expect(cdkJsonContext().stage).toBe('dev');
  });

  test('prod takes the prod-safe defaults for everything it does not name', () => {
    const prod = configFor({ ...cdkJsonContext(), stage: 'prod' });
    const named = Object.keys((cdkJsonContext().stages as Record<string, object>).prod as object);
    for (const [key, value] of Object.entries(PROD_SAFE_DEFAULTS)) {
      if (!named.includes(key)) expect({ key, value: prod[key as keyof typeof prod] }).toEqual({ key, value });
    }
    expect(prod).toMatchObject({
      reservedConcurrency: 100,
      logRetentionDays: 365,
      terminationProtection: true,
      cognitoFeaturePlan: 'PLUS',
      disableExecuteApiEndpoint: true,
    });
    expect(prod.apiDomain?.name).toEqual(expect.any(String));
  });

  test('the prod-safe defaults are the safe side of each setting', () => {
    expect(PROD_SAFE_DEFAULTS).toMatchObject({
      selfSignUp: false,
      terminationProtection: true,
      logLevel: 'INFO',
      cognitoFeaturePlan: 'PLUS',
      userAppCallbackUrls: [],
      disableExecuteApiEndpoint: true,
    });
  });

  test('a stage that names nothing gets every prod-safe default (and must still say where users return, and its API domain)', () => {
    const bare = configFor({
      stage: 'staging',
      stages: { staging: { userAppCallbackUrls: ['https://staging.example/cb'], apiDomain: API_DOMAIN } },
    });
    expect(bare).toEqual({
      ...PROD_SAFE_DEFAULTS,
      userAppCallbackUrls: ['https://staging.example/cb'],
      apiDomain: API_DOMAIN,
      stage: 'staging',
    });
  });

  test.each([
    [{ stage: 'qa', stages: { dev: {} } }, /Unknown stage "qa"/],
    [{ stage: 'dev', stages: { dev: { logRetention: 7 } } }, /unknown setting\(s\) logRetention/],
    [{ stage: 'dev', stages: { dev: { logRetentionDays: 10 } } }, /logRetentionDays must be one of/],
    [{ stage: 'dev', stages: { dev: { reservedConcurrency: 0 } } }, /reservedConcurrency/],
    [{ stage: 'dev', stages: { dev: { userAppCallbackUrls: ['http://app.example/cb'] } } }, /must be https/],
    [{ stage: 'dev', stages: { dev: { cognitoDomainPrefix: 'my-cognito-app' } } }, /cognitoDomainPrefix/],
    [
      { stage: 'dev', stages: { dev: { webAppDomain: { name: 'App.Example.com', certificateArn: CERTIFICATE } } } },
      /webAppDomain.name/,
    ],
    [{ stage: 'dev', stages: { dev: { webAppDomain: { name: 'app.example.com' } } } }, /webAppDomain.certificateArn/],
    // CloudFront takes its certificates from us-east-1 only.
    [
      {
        stage: 'dev',
        stages: {
          dev: {
            webAppDomain: { name: 'app.example.com', certificateArn: CERTIFICATE.replace('us-east-1', 'eu-west-2') },
          },
        },
      },
      /in us-east-1/,
    ],
    // The execute-api endpoint is off by default: the API's own domain is then the only way in, so it must exist.
    [
      { stage: 'dev', stages: { dev: { disableExecuteApiEndpoint: true } } },
      /disableExecuteApiEndpoint needs apiDomain/,
    ],
    [
      { stage: 'dev', stages: { dev: { disableExecuteApiEndpoint: false, apiDomain: { name: 'api.example.com' } } } },
      /apiDomain.certificateArn/,
    ],
  ])('refuses a wrong configuration: %j', (context, message) => {
    expect(() => configFor(context)).toThrow(message);
  });

  test("a stage without user-app callback URLs of its own gets the web app's alone (the deployed app is a user app)", () => {
    const { stack, template } = synthStage('prod', {
      stages: { prod: { userAppCallbackUrls: [], userAppLogoutUrls: [], apiDomain: API_DOMAIN } },
    });
    const userApp = Object.values(template.findResources('AWS::Cognito::UserPoolClient')).find(
      (client) => client.Properties.ClientName === 'user-app',
    )!;
    expect(userApp.Properties.CallbackURLs).toEqual([stack.resolve(stack.webApp.callbackUrl)]);
    expect(userApp.Properties.LogoutURLs).toEqual([stack.resolve(stack.webApp.signOutUrl)]);
  });

  test('each stage is its own stack; prod has termination protection', () => {
    const prod = synthesized('prod');
    expect(prod.stack.stackName).toBe('PaymentsTracker-prod');
    expect(prod.stack.terminationProtection).toBe(true);
  });
});
