import { Match } from 'aws-cdk-lib/assertions';
import { INTEGRATION_SCOPES, OPERATIONS_SCOPES, RESOURCE_SERVER, SCOPES, USER_APP_SCOPES } from '#contract/scopes';
import { STAGES, onlyResource, resourcesOf, stageSetting, synthesized } from './support/synth';

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
      // The stage's own URLs, then the web app's (test/infra/web-app.test.ts checks that one).
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

  test('no client holds both submit-on-behalf and reports-admin (and only operations holds reports-admin)', () => {
    const holders = (scope: string) =>
      clients()
        .filter((candidate) => JSON.stringify(candidate.AllowedOAuthScopes ?? []).includes(`/${scope.split('/')[1]}`))
        .map((candidate) => candidate.ClientName as string);
    expect(clients().length).toBe(3);
    expect(holders(SCOPES.reportsAdmin)).toEqual(['operations']);
    expect(holders(SCOPES.submitOnBehalf).filter((name) => holders(SCOPES.reportsAdmin).includes(name))).toEqual([]);
  });

  test('a hosted UI domain on the Cognito domain', () => {
    const domain = onlyResource(synth().template, 'AWS::Cognito::UserPoolDomain').Properties;
    expect(JSON.stringify(domain.Domain)).toContain(`payments-tracker-${stage}-`);
  });
});
