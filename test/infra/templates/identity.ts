import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  MACHINE_CLIENTS,
  OAUTH_CLIENTS,
  USER_APP_CLIENT,
  USER_APP_OPENID_SCOPES,
  urlsAt,
} from '#contract/oauth-clients';
import { INTEGRATION_SCOPES, OPERATIONS_SCOPES, RESOURCE_SERVER, SCOPES, USER_APP_SCOPES } from '#contract/scopes';
import { PROD_SAFE_DEFAULTS } from '../../../infra/config';
import { Identity } from '../../../infra/constructs/identity';
import { STAGES, onlyResource, resourcesOf, stageSetting, synthesized } from '../support/synth';

/**
 * A client's scopes as Cognito names them: `openid`, or `<resource server>/<scope>`; CDK writes the latter as
 * `{ "Fn::Join": ["", [{ "Ref": <resource server> }, "/<scope>"]] }`.
 */
const scopeNames = (client: Record<string, unknown>): string[] =>
  (client.AllowedOAuthScopes as (string | { 'Fn::Join': [string, unknown[]] })[])
    .map((scope) => (typeof scope === 'string' ? scope : `${RESOURCE_SERVER}${String(scope['Fn::Join'][1].at(-1))}`))
    .sort();

describe.each(STAGES)('Cognito (stage %s)', (stage) => {
  const synth = () => synthesized(stage);
  const clients = () =>
    Object.values(resourcesOf(synth().template, 'AWS::Cognito::UserPoolClient')).map((client) => client.Properties);
  const client = (name: string) =>
    clients().find((candidate) => candidate.ClientName === name) as Record<string, unknown>;

  test('user pool: no self sign-up, strong passwords, optional TOTP MFA, email sign-in, retained and deletion-protected', () => {
    synth().template.hasResource('AWS::Cognito::UserPool', {
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: !stageSetting(stage, 'selfSignUp') },
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
            TemporaryPasswordValidityDays: 3,
          },
        },
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UsernameAttributes: ['email'],
        DeletionProtection: 'ACTIVE',
      }),
      DeletionPolicy: 'Retain',
    });
  });

  test('threat protection (advanced security) is enforced on the Plus plan where the stage has it', () => {
    const pool = onlyResource(synth().template, 'AWS::Cognito::UserPool').Properties;
    const plan = stageSetting(stage, 'cognitoFeaturePlan');
    expect(pool.UserPoolTier).toBe(plan);
    if (plan === 'PLUS') expect(pool.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
    if (stage === 'prod') expect(plan).toBe('PLUS');
  });

  test('a resource server with every scope of contract/scopes.ts', () => {
    const server = onlyResource(synth().template, 'AWS::Cognito::UserPoolResourceServer').Properties;
    expect(server.Identifier).toBe(RESOURCE_SERVER);
    expect(
      (server.Scopes as Array<{ ScopeName: string }>).map((scope) => `${RESOURCE_SERVER}/${scope.ScopeName}`).sort(),
    ).toEqual(Object.values(SCOPES).sort());
  });

  test('user apps: authorization code (PKCE by the public client), no secret, the user-app scopes', () => {
    const app = client('user-app');
    expect(app).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      // The stage's own URLs, then the web app's (test/infra/templates/web-app.ts checks that one).
      CallbackURLs: [...(stageSetting(stage, 'userAppCallbackUrls') as string[]), expect.anything()],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      SupportedIdentityProviders: ['COGNITO'],
    });
    const scopes = JSON.stringify(app.AllowedOAuthScopes);
    for (const scope of USER_APP_SCOPES) expect(scopes).toContain(scope.split('/')[1]);
    expect(scopes).not.toContain('submit-on-behalf');
    expect(scopes).not.toContain('reports-admin');
  });

  test('trusted integrations: client credentials with a secret, the integration scopes only', () => {
    const integration = client('trusted-integration');
    expect(integration).toMatchObject({ GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'] });
    const scopes = JSON.stringify(integration.AllowedOAuthScopes);
    for (const scope of INTEGRATION_SCOPES) expect(scopes).toContain(`/${scope.split('/')[1]}`);
    expect(scopes).not.toContain('/read');
    expect(scopes).not.toContain('openid');
  });

  test('operations: client credentials with a secret, reports-admin and read only, nothing that writes', () => {
    const operations = client('operations');
    expect(operations).toMatchObject({ GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'] });
    const scopes = JSON.stringify(operations.AllowedOAuthScopes);
    expect(operations.AllowedOAuthScopes).toHaveLength(OPERATIONS_SCOPES.length);
    for (const scope of OPERATIONS_SCOPES) expect(scopes).toContain(`/${scope.split('/')[1]}`);
    expect(scopes).not.toContain('/write');
    expect(scopes).not.toContain('submit-on-behalf');
  });

  test('MFA where operators sign in: they have no sign-in to the pool (client credentials only), and a pool user with TOTP is always challenged', () => {
    // Every client holding an operations scope (reports-admin) has no interactive flow at all: no password, no hosted
    // UI, no SRP, so no operator sign-in to the pool exists that could skip MFA (their sign-in is AWS's, docs/security.md).
    const operatorClients = clients().filter((candidate) =>
      JSON.stringify(candidate.AllowedOAuthScopes ?? []).includes(`/${SCOPES.reportsAdmin.split('/')[1]}`),
    );
    expect(operatorClients.length).toBeGreaterThan(0);
    for (const operatorClient of operatorClients) {
      expect(operatorClient.AllowedOAuthFlows).toEqual(['client_credentials']);
      expect(operatorClient.ExplicitAuthFlows ?? []).toEqual([]);
      expect(operatorClient.CallbackURLs).toBeUndefined();
    }
    // OPTIONAL: a user who set up TOTP must give it at every sign-in; TOTP only (no SMS).
    const pool = onlyResource(synth().template, 'AWS::Cognito::UserPool').Properties;
    expect(pool).toMatchObject({ MfaConfiguration: 'OPTIONAL', EnabledMfas: ['SOFTWARE_TOKEN_MFA'] });
  });

  test('no client holds both submit-on-behalf and reports-admin (and only operations holds reports-admin)', () => {
    const holders = (scope: string) =>
      clients()
        .filter((candidate) => JSON.stringify(candidate.AllowedOAuthScopes ?? []).includes(`/${scope.split('/')[1]}`))
        .map((candidate) => candidate.ClientName as string);
    expect(clients().length).toBe(3);
    expect(holders(SCOPES.reportsAdmin)).toEqual(['operations']);
    expect(holders(SCOPES.submitOnBehalf).filter((name) => holders(SCOPES.reportsAdmin).includes(name))).toEqual([]);
  });

  test('every client of contract/oauth-clients.ts, with its flows, scopes, secret and token lifetimes', () => {
    expect(
      clients()
        .map((candidate) => candidate.ClientName)
        .sort(),
    ).toEqual(OAUTH_CLIENTS.map((definition) => definition.cognitoName).sort());
    const app = client(USER_APP_CLIENT.cognitoName);
    expect(app).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AccessTokenValidity: USER_APP_CLIENT.accessTokenLifetimeSeconds / 60,
      IdTokenValidity: USER_APP_CLIENT.idTokenLifetimeSeconds / 60,
      RefreshTokenValidity: USER_APP_CLIENT.refreshTokenLifetimeSeconds / 60,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      // Rotated on use, with no grace period: the refresh token used is ended at once, as locally.
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
      LogoutURLs: [...(stageSetting(stage, 'userAppLogoutUrls') as string[]), expect.anything()],
    });
    expect(scopeNames(app)).toEqual([...USER_APP_OPENID_SCOPES, ...USER_APP_CLIENT.scopes].sort());
    for (const definition of MACHINE_CLIENTS) {
      const machine = client(definition.cognitoName);
      expect(machine).toMatchObject({
        GenerateSecret: true,
        AllowedOAuthFlows: ['client_credentials'],
        AccessTokenValidity: definition.accessTokenLifetimeSeconds / 60,
      });
      expect(machine).not.toHaveProperty('CallbackURLs');
      expect(machine).not.toHaveProperty('RefreshTokenRotation');
      expect(scopeNames(machine)).toEqual([...definition.scopes].sort());
    }
  });

  test('a hosted UI domain on the Cognito domain', () => {
    const domain = onlyResource(synth().template, 'AWS::Cognito::UserPoolDomain').Properties;
    expect(JSON.stringify(domain.Domain)).toContain(`payments-tracker-${stage}-`);
  });
});

describe('the user app client and the deployed web app', () => {
  test("the web app's URLs passed by the stack that hosts it join the stage's callback and sign-out URLs", () => {
    const stack = new Stack(new App(), 'IdentityOnly');
    const appUrl = 'https://d111111abcdef8.cloudfront.net';
    new Identity(stack, 'Identity', {
      config: { ...PROD_SAFE_DEFAULTS, stage: 'test', userAppCallbackUrls: ['https://mobile.example/callback'] },
      userAppUrls: {
        callbackUrls: urlsAt(appUrl, USER_APP_CLIENT.callbackPaths),
        logoutUrls: urlsAt(appUrl, USER_APP_CLIENT.logoutPaths),
      },
    });
    const clients = Object.values(Template.fromStack(stack).findResources('AWS::Cognito::UserPoolClient')).map(
      (resource) => resource.Properties as Record<string, unknown>,
    );
    expect(clients.find((candidate) => candidate.ClientName === USER_APP_CLIENT.cognitoName)).toMatchObject({
      CallbackURLs: [
        'https://mobile.example/callback',
        `${appUrl}/app/callback`,
        `${appUrl}/docs/oauth2-redirect.html`,
      ],
      LogoutURLs: [`${appUrl}/app/`],
    });
  });

  test('without any callback URL the construct refuses to build', () => {
    const stack = new Stack(new App(), 'NoCallbacks');
    expect(() => new Identity(stack, 'Identity', { config: { ...PROD_SAFE_DEFAULTS, stage: 'test' } })).toThrow(
      /userAppCallbackUrls/,
    );
  });
});
