import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import {
  INTEGRATION_SCOPES,
  OPERATIONS_SCOPES,
  RESOURCE_SERVER,
  SCOPES,
  type Scope,
  USER_APP_SCOPES,
} from '#contract/scopes';
import type { StageConfig } from '../config';

const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  [SCOPES.read]: 'Read own payments and reports',
  [SCOPES.write]: 'Submit payments',
  [SCOPES.submitOnBehalf]: 'Submit payments for any user (trusted integrations)',
  [SCOPES.reportsAdmin]: 'Run and inspect monthly report runs (operations)',
};

/**
 * Who may call the API. A user pool (no self sign-up unless a stage opts in, strong passwords,
 * optional TOTP MFA, threat protection on the Plus plan), the `payments` resource server with
 * the scopes of contract/scopes.ts, and three app clients: user apps (authorization code
 * with PKCE, no secret: a public client), trusted integrations (client credentials, secret) and
 * operations (client credentials, secret: report summaries and exports, reads, no writes).
 */
export class Identity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly userAppClient: cognito.UserPoolClient;
  readonly integrationClient: cognito.UserPoolClient;
  readonly operationsClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    const { config } = props;
    if (config.userAppCallbackUrls.length === 0) {
      throw new Error(
        `stage "${config.stage}": set userAppCallbackUrls in cdk.json (where the user app receives its authorization code)`,
      );
    }
    const plus = config.cognitoFeaturePlan === 'PLUS';

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: config.selfSignUp,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: plus ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      standardThreatProtectionMode: plus ? cognito.StandardThreatProtectionMode.FULL_FUNCTION : undefined,
      deletionProtection: true,
      // The users are the product's customers: the pool outlives the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const scopeObjects = new Map(
      Object.values(SCOPES).map((scope) => [
        scope,
        new cognito.ResourceServerScope({
          scopeName: scope.slice(RESOURCE_SERVER.length + 1),
          scopeDescription: SCOPE_DESCRIPTIONS[scope],
        }),
      ]),
    );
    const resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: RESOURCE_SERVER,
      userPoolResourceServerName: 'Payments Tracker API',
      scopes: [...scopeObjects.values()],
    });
    const oauthScopes = (scopes: readonly Scope[]) =>
      scopes.map((scope) =>
        cognito.OAuthScope.resourceServer(resourceServer, scopeObjects.get(scope) as cognito.ResourceServerScope),
      );

    this.userAppClient = this.userPool.addClient('UserAppClient', {
      userPoolClientName: 'user-app',
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, ...oauthScopes(USER_APP_SCOPES)],
        callbackUrls: config.userAppCallbackUrls,
        logoutUrls: config.userAppLogoutUrls.length > 0 ? config.userAppLogoutUrls : undefined,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    // A machine client: client credentials with a secret, only the scopes given.
    const machineClient = (id: string, name: string, scopes: readonly Scope[]): cognito.UserPoolClient =>
      this.userPool.addClient(id, {
        userPoolClientName: name,
        generateSecret: true,
        authFlows: {},
        oAuth: {
          flows: { authorizationCodeGrant: false, implicitCodeGrant: false, clientCredentials: true },
          scopes: oauthScopes(scopes),
        },
        preventUserExistenceErrors: true,
        enableTokenRevocation: true,
        accessTokenValidity: Duration.hours(1),
      });
    this.integrationClient = machineClient('IntegrationClient', 'trusted-integration', INTEGRATION_SCOPES);
    this.operationsClient = machineClient('OperationsClient', 'operations', OPERATIONS_SCOPES);

    this.domain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: {
        domainPrefix: config.cognitoDomainPrefix ?? `payments-tracker-${config.stage}-${Aws.ACCOUNT_ID}`,
      },
    });

    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is OPTIONAL by product decision (issue 3): customers opt in to TOTP; requiring it at sign-up would block the user apps. Threat protection (Plus plan) covers risky sign-ins.',
      },
      ...(plus
        ? []
        : [
            {
              id: 'AwsSolutions-COG8',
              reason: `Stage "${config.stage}" runs the Essentials plan by choice (cognitoFeaturePlan in cdk.json) to save the Plus per-user price; production keeps Plus with threat protection enforced.`,
            },
          ]),
    );
  }

  /** `https://<prefix>.auth.<region>.amazoncognito.com`: the hosted UI and the OAuth endpoints. */
  get hostedUiUrl(): string {
    return this.domain.baseUrl();
  }
}
