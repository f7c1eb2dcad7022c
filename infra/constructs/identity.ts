import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import {
  INTEGRATION_CLIENT,
  type MachineClient,
  OPERATIONS_CLIENT,
  USER_APP_CLIENT,
  USER_APP_OPENID_SCOPES,
} from '#contract/oauth-clients';
import { RESOURCE_SERVER, SCOPES, SCOPE_DESCRIPTIONS, type Scope } from '#contract/scopes';
import type { StageConfig } from '../config';

export interface IdentityProps {
  config: StageConfig;
  /**
   * Where else the user app receives its code and returns after sign-out, besides the stage's URLs in cdk.json:
   * the deployed web app's (e.g. `urlsAt(appUrl, USER_APP_CLIENT.callbackPaths)`), passed by the stack that hosts it.
   */
  userAppUrls?: { callbackUrls: readonly string[]; logoutUrls: readonly string[] };
}

const OPENID_SCOPES: Record<(typeof USER_APP_OPENID_SCOPES)[number], cognito.OAuthScope> = {
  openid: cognito.OAuthScope.OPENID,
  email: cognito.OAuthScope.EMAIL,
};

/** A client's OAuth scopes of the resource server, from the contract's scope names. */
type OAuthScopes = (scopes: readonly Scope[]) => cognito.OAuthScope[];

/**
 * Who may call the API. A user pool (no self sign-up unless a stage opts in, strong passwords,
 * optional TOTP MFA, threat protection on the Plus plan), the `payments` resource server with
 * the scopes of contract/scopes.ts, and the app clients of contract/oauth-clients.ts (the local
 * OpenID provider's are built from the same entries): user apps (authorization code with PKCE,
 * no secret: a public client; refresh tokens rotated), trusted integrations (client credentials,
 * secret) and operations (client credentials, secret: report summaries and exports, reads, no writes).
 */
export class Identity extends Construct {
  readonly userPool: cognito.UserPool;
  readonly userAppClient: cognito.UserPoolClient;
  readonly integrationClient: cognito.UserPoolClient;
  readonly operationsClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    const { config } = props;
    const plus = config.cognitoFeaturePlan === 'PLUS';
    const userAppUrls = this.userAppUrls(config, props.userAppUrls);

    this.userPool = this.createUserPool(config, plus);
    const oauthScopes = this.addResourceServer();
    this.userAppClient = this.addUserAppClient(userAppUrls, oauthScopes);
    this.integrationClient = this.addMachineClient('IntegrationClient', INTEGRATION_CLIENT, oauthScopes);
    this.operationsClient = this.addMachineClient('OperationsClient', OPERATIONS_CLIENT, oauthScopes);

    this.domain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: {
        domainPrefix: config.cognitoDomainPrefix ?? `payments-tracker-${config.stage}-${Aws.ACCOUNT_ID}`,
      },
    });
    this.acknowledgeFindings(config, plus);
  }

  /** The stage's own callback and sign-out URLs, then the stack's (the web app's); at least one callback. */
  private userAppUrls(
    config: StageConfig,
    extra: IdentityProps['userAppUrls'],
  ): { callbackUrls: string[]; logoutUrls: string[] } {
    const callbackUrls = [...config.userAppCallbackUrls, ...(extra?.callbackUrls ?? [])];
    const logoutUrls = [...config.userAppLogoutUrls, ...(extra?.logoutUrls ?? [])];
    if (callbackUrls.length === 0) {
      throw new Error(
        `stage "${config.stage}": set userAppCallbackUrls in cdk.json (where the user app receives its authorization code)`,
      );
    }
    return { callbackUrls, logoutUrls };
  }

  private createUserPool(config: StageConfig, plus: boolean): cognito.UserPool {
    return new cognito.UserPool(this, 'UserPool', {
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
  }

  /** The `payments` resource server with the contract's scopes; answers how to name its scopes to a client. */
  private addResourceServer(): OAuthScopes {
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
    return (scopes: readonly Scope[]) =>
      scopes.map((scope) =>
        cognito.OAuthScope.resourceServer(resourceServer, scopeObjects.get(scope) as cognito.ResourceServerScope),
      );
  }

  private addUserAppClient(
    { callbackUrls, logoutUrls }: { callbackUrls: string[]; logoutUrls: string[] },
    oauthScopes: OAuthScopes,
  ): cognito.UserPoolClient {
    const seconds = (value: number) => Duration.seconds(value);
    return this.userPool.addClient('UserAppClient', {
      userPoolClientName: USER_APP_CLIENT.cognitoName,
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [...USER_APP_OPENID_SCOPES.map((name) => OPENID_SCOPES[name]), ...oauthScopes(USER_APP_CLIENT.scopes)],
        callbackUrls,
        logoutUrls: logoutUrls.length > 0 ? logoutUrls : undefined,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: seconds(USER_APP_CLIENT.accessTokenLifetimeSeconds),
      idTokenValidity: seconds(USER_APP_CLIENT.idTokenLifetimeSeconds),
      refreshTokenValidity: seconds(USER_APP_CLIENT.refreshTokenLifetimeSeconds),
      // Each refresh answers a new refresh token and ends the one used (no grace period), as the local provider does.
      ...(USER_APP_CLIENT.rotateRefreshTokens ? { refreshTokenRotationGracePeriod: Duration.seconds(0) } : {}),
    });
  }

  /** A machine client: client credentials with a secret, only the scopes its definition gives. */
  private addMachineClient(id: string, client: MachineClient, oauthScopes: OAuthScopes): cognito.UserPoolClient {
    return this.userPool.addClient(id, {
      userPoolClientName: client.cognitoName,
      generateSecret: true,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: false, implicitCodeGrant: false, clientCredentials: true },
        scopes: oauthScopes(client.scopes),
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.seconds(client.accessTokenLifetimeSeconds),
    });
  }

  private acknowledgeFindings(config: StageConfig, plus: boolean): void {
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
