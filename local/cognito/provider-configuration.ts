import type { ClientMetadata, Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { errors } from 'oidc-provider';
import {
  MACHINE_CLIENTS,
  type OAuthClient,
  OAUTH_CLIENTS,
  USER_APP_CLIENT,
  USER_APP_OPENID_SCOPES,
  urlsAt,
} from '#contract/oauth-clients';
import { apiResourceIndicator } from '#local/cognito/access-tokens';
import type { LocalAccounts } from '#local/cognito/local-accounts';
import type { ProviderStore } from '#local/cognito/provider-store';
import type { KeyRing } from '#local/cognito/signing-keys';
import { errorPage, signOutPage, signedOutPage } from '#local/cognito/sign-in-pages';
import { PROVIDER_ROUTES } from '#local/cognito/provider-routes';

const OIDC_CLAIMS = { openid: ['sub'], email: ['email', 'email_verified'] };

/**
 * oidc-provider's configuration for the local stand-in of the Cognito user pool, from the one client definition
 * (contract/oauth-clients.ts). Where Cognito and oidc-provider differ by default, this follows Cognito:
 * - the endpoints are at Cognito's paths (`/oauth2/authorize`, `/oauth2/token`, `/oauth2/revoke`, `/logout`,
 *   `/.well-known/jwks.json`);
 * - every access token is a JWT for the API (RFC 8707's default resource), with Cognito's claims added
 *   (`token_use: access`, `username`, `version`); a client-credentials token's `sub` is its client id;
 * - an authorization code always comes with a refresh token (no `offline_access` scope needed), rotated on each use.
 * - a scope the client is not registered for is refused (`invalid_scope`), not dropped.
 * One difference stays: a client-credentials request must name its scopes (Cognito grants all the client's without).
 */
export interface ProviderConfigurationOptions {
  issuer: string;
  keys: KeyRing;
  store: ProviderStore;
  accounts: LocalAccounts;
  /** The confidential clients' secrets, by local client id. */
  clientSecrets: Record<string, string>;
  cookieKeys: string[];
  /** Overrides every client's access-token lifetime (LOCAL_ACCESS_TOKEN_SECONDS: tests of expiry). */
  accessTokenLifetimeSeconds?: number;
}

const clientById = new Map(OAUTH_CLIENTS.map((client) => [client.localId, client]));

const clientMetadata = (issuer: string, secrets: Record<string, string>): ClientMetadata[] => [
  {
    client_id: USER_APP_CLIENT.localId,
    client_name: 'Payments Tracker',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: urlsAt(issuer, USER_APP_CLIENT.callbackPaths),
    post_logout_redirect_uris: urlsAt(issuer, USER_APP_CLIENT.logoutPaths),
    scope: USER_APP_OPENID_SCOPES.join(' '),
  },
  ...MACHINE_CLIENTS.map((client): ClientMetadata => ({
    client_id: client.localId,
    client_secret: secrets[client.localId],
    client_name: client.cognitoName,
    // How they are registered, and the only method accepted (clientAuthMethods below); Cognito takes
    // client_secret_post too (docs/security.md, where AWS and the local stack differ).
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  })),
];

const accessTokenLifetime = (options: ProviderConfigurationOptions, clientId: string | undefined): number =>
  options.accessTokenLifetimeSeconds ?? clientById.get(clientId ?? '')?.accessTokenLifetimeSeconds ?? 3600;

/** As in Cognito's access tokens, a user app's `scope` claim names the OpenID scopes too (userInfo needs `openid`). */
const accessTokenScopesOf = (client: OAuthClient | undefined): string =>
  [...(client?.kind === 'user-app' ? USER_APP_OPENID_SCOPES : []), ...(client?.scopes ?? [])].join(' ');

/**
 * RFC 6749 §5.2: a request naming a scope its client is not registered for is refused with `invalid_scope` (as
 * Cognito does), not answered with a token that silently lacks it. Only a request that names scopes is checked.
 */
const refuseUnregisteredScopes = (ctx: KoaContextWithOIDC, client: OAuthClient | undefined): void => {
  const requested = ctx.oidc.params?.scope;
  if (typeof requested !== 'string') return;
  const registered = new Set(accessTokenScopesOf(client).split(' '));
  const [first, ...others] = requested.split(' ').filter((scope) => scope !== '' && !registered.has(scope));
  if (first !== undefined) {
    throw new errors.InvalidScope(
      `requested scope is not registered for this client: ${[first, ...others].join(' ')}`,
      first,
    );
  }
};

/** oidc-provider's features as Cognito has them: client credentials, revocation, logout, every token for the API; its own login pages and userInfo off. */
const providerFeatures = (options: ProviderConfigurationOptions, api: string): Configuration['features'] => ({
  devInteractions: { enabled: false },
  clientCredentials: { enabled: true },
  revocation: { enabled: true },
  userinfo: { enabled: false },
  rpInitiatedLogout: {
    enabled: true,
    logoutSource: async (ctx, form) => {
      ctx.type = 'html';
      ctx.body = signOutPage(form);
    },
    postLogoutSuccessSource: async (ctx) => {
      ctx.type = 'html';
      ctx.body = signedOutPage();
    },
  },
  resourceIndicators: {
    enabled: true,
    // No `resource` parameter needed (Cognito has none): every token is for the API.
    defaultResource: async () => api,
    useGrantedResource: async () => true,
    getResourceServerInfo: async (ctx, resourceIndicator, client) => {
      if (resourceIndicator !== api) throw new errors.InvalidTarget();
      refuseUnregisteredScopes(ctx, clientById.get(client.clientId));
      return {
        scope: accessTokenScopesOf(clientById.get(client.clientId)),
        audience: api,
        accessTokenTTL: accessTokenLifetime(options, client.clientId),
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      };
    },
  },
});

const tokenLifetimes = (options: ProviderConfigurationOptions): Configuration['ttl'] => ({
  AccessToken: (_ctx, _token, client) => accessTokenLifetime(options, client.clientId),
  ClientCredentials: (_ctx, _token, client) => accessTokenLifetime(options, client.clientId),
  AuthorizationCode: 60,
  IdToken: USER_APP_CLIENT.idTokenLifetimeSeconds,
  // A rotated refresh token keeps its first one's end: rotation does not extend a sign-in.
  RefreshToken: (ctx) =>
    ctx.oidc?.entities.RotatedRefreshToken?.remainingTTL ?? USER_APP_CLIENT.refreshTokenLifetimeSeconds,
  Interaction: 3600,
  Session: USER_APP_CLIENT.refreshTokenLifetimeSeconds,
  Grant: USER_APP_CLIENT.refreshTokenLifetimeSeconds,
});

/** The local accounts, as oidc-provider asks for them: the ID token's claims. */
const findAccount =
  (accounts: LocalAccounts): Configuration['findAccount'] =>
  async (_ctx, sub) => {
    const account = await accounts.bySub(sub);
    if (!account) return undefined;
    return {
      accountId: account.sub,
      claims: async () => ({ sub: account.sub, email: account.email, email_verified: true }),
    };
  };

export const providerConfiguration = (options: ProviderConfigurationOptions): Configuration => {
  const { issuer } = options;
  const api = apiResourceIndicator(issuer);
  return {
    clients: clientMetadata(issuer, options.clientSecrets),
    jwks: { keys: options.keys.keys.map((key) => key.privateJwk) as NonNullable<Configuration['jwks']>['keys'] },
    adapter: options.store.adapterFor,
    cookies: { keys: options.cookieKeys },
    routes: PROVIDER_ROUTES,
    scopes: [...USER_APP_OPENID_SCOPES],
    claims: OIDC_CLAIMS,
    pkce: { required: () => true },
    // The machine clients are registered for client_secret_basic (RFC 7591): a secret in the body
    // (client_secret_post) is not read, so such a request is not authenticated (invalid_client).
    clientAuthMethods: ['none', 'client_secret_basic'],
    // Cognito's user-pool clients take the code flow only (the implicit grant is off in infra too).
    responseTypes: ['code'],
    findAccount: findAccount(options.accounts),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: providerFeatures(options, api),
    discovery: { userinfo_endpoint: new URL(PROVIDER_ROUTES.userinfo, issuer).href },
    extraTokenClaims: async (_ctx, token) => {
      const user = 'accountId' in token && typeof token.accountId === 'string' ? token.accountId : undefined;
      return {
        token_use: 'access',
        version: 2,
        // Cognito names the user in user tokens; a client-credentials token has no user.
        ...(user ? { username: user } : {}),
      };
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: (ctx) => clientById.get(ctx.oidc.client?.clientId ?? '')?.kind === 'user-app',
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
    ttl: tokenLifetimes(options),
    renderError: async (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(String(out.error), out.error_description ? String(out.error_description) : undefined);
    },
  };
};
