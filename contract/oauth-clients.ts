import { INTEGRATION_SCOPES, OPERATIONS_SCOPES, type Scope, USER_APP_SCOPES } from '#contract/scopes';

/**
 * The OAuth clients of the API, defined once: the Cognito app clients (infra/constructs/identity.ts) and the local
 * OpenID provider's clients (local/cognito/) are both built from these entries, so a flow, a scope, a lifetime or a
 * redirect path cannot differ between the deployed pool and the local stand-in.
 */
export const LOCAL_USER_APP_CLIENT_ID = 'local-user-app';
export const LOCAL_INTEGRATION_CLIENT_ID = 'local-integration';
/** Operations' client: like the deployed `operations` client, client credentials with OPERATIONS_SCOPES. */
export const LOCAL_OPERATIONS_CLIENT_ID = 'local-operations';

/** The OpenID scopes a user app asks for besides the API's: Cognito's `openid` and `email`. */
export const USER_APP_OPENID_SCOPES = ['openid', 'email'] as const;

interface ClientBase {
  /** The client id in the local stack (Cognito generates the deployed ids). */
  localId: string;
  /** The Cognito app client's name. */
  cognitoName: string;
  /** The API scopes it may be granted (contract/scopes.ts). */
  scopes: readonly Scope[];
  /** Cognito's default, and what both sides use. */
  accessTokenLifetimeSeconds: number;
}

/** A user's app: public (no secret), authorization code with PKCE S256 required, refresh tokens rotated on use. */
export interface UserAppClient extends ClientBase {
  kind: 'user-app';
  /**
   * Where the app receives its authorization code, as paths on the app's origin: the local stack's own
   * (`http://localhost:$PORT`) or the deployed web app's. Exact-matched by both providers.
   */
  callbackPaths: readonly string[];
  /** Where the app may be sent after sign-out, as paths on the same origins. */
  logoutPaths: readonly string[];
  idTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  /** A refresh token is good for one use: each refresh answers a new one (Cognito's refresh token rotation). */
  rotateRefreshTokens: true;
}

/** A trusted machine: confidential (a generated secret), client credentials only. */
export interface MachineClient extends ClientBase {
  kind: 'machine';
}

export type OAuthClient = UserAppClient | MachineClient;

const HOUR = 3600;

export const USER_APP_CLIENT: UserAppClient = {
  kind: 'user-app',
  localId: LOCAL_USER_APP_CLIENT_ID,
  cognitoName: 'user-app',
  scopes: USER_APP_SCOPES,
  // The web app's callback, and the API docs page's "try it" (Swagger UI's redirect page).
  callbackPaths: ['/app/callback', '/docs/oauth2-redirect.html'],
  logoutPaths: ['/app/'],
  accessTokenLifetimeSeconds: HOUR,
  idTokenLifetimeSeconds: HOUR,
  refreshTokenLifetimeSeconds: 30 * 24 * HOUR,
  rotateRefreshTokens: true,
};

export const INTEGRATION_CLIENT: MachineClient = {
  kind: 'machine',
  localId: LOCAL_INTEGRATION_CLIENT_ID,
  cognitoName: 'trusted-integration',
  scopes: INTEGRATION_SCOPES,
  accessTokenLifetimeSeconds: HOUR,
};

export const OPERATIONS_CLIENT: MachineClient = {
  kind: 'machine',
  localId: LOCAL_OPERATIONS_CLIENT_ID,
  cognitoName: 'operations',
  scopes: OPERATIONS_SCOPES,
  accessTokenLifetimeSeconds: HOUR,
};

export const OAUTH_CLIENTS: readonly OAuthClient[] = [USER_APP_CLIENT, INTEGRATION_CLIENT, OPERATIONS_CLIENT];

export const MACHINE_CLIENTS: readonly MachineClient[] = OAUTH_CLIENTS.filter(
  (client): client is MachineClient => client.kind === 'machine',
);

/** The client ids the local gateway accepts tokens of. */
export const LOCAL_CLIENT_IDS: readonly string[] = OAUTH_CLIENTS.map((client) => client.localId);

/** A user app's redirect (or sign-out) URLs on one origin, e.g. `http://localhost:3000` or the deployed app's. */
export const urlsAt = (origin: string, paths: readonly string[]): string[] =>
  paths.map((pathname) => new URL(pathname, origin).href);
