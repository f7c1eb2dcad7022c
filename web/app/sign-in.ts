import * as oauth from 'oauth4webapi';
import { SessionEndedError, type SessionKeeper, type SessionStore, sessionKeeper } from './session-keeper';
import type { WebAppConfig } from './web-app-config';

/**
 * Sign-in by authorization code + PKCE (S256) with a state and a nonce, found by OIDC discovery, through oauth4webapi:
 * the same code against the local provider and Cognito's hosted UI. The session is kept alive by the refresh token
 * (session-keeper.ts: refreshed a little before the access token expires, one refresh at a time) and ended for real
 * at sign-out: the refresh token is revoked (RFC 7009) before the provider's own session is ended.
 *
 * The session (all three tokens) lives in sessionStorage. That is acceptable for a refresh token here because no
 * script but the app's own can run in the page (the CSP allows scripts from the app's origin only: no inline script,
 * no other origin, and the app inserts every value from the API as text), so nothing else can read the storage; and
 * sessionStorage is the tab's alone, gone when the tab closes, never sent with a request. The refresh token is rotated
 * on every use, and a rotated one used again revokes the whole sign-in.
 */
export interface Session {
  accessToken: string;
  idToken: string;
  /** Absent when the provider issued none (the session then ends with its access token). */
  refreshToken?: string;
  /** The signed-in customer: the ID token's `sub`, which is the access token's and the payments' `userId`. */
  sub: string;
  email?: string;
  /** Epoch ms after which the access token is expired. */
  expiresAt: number;
  /** Epoch ms from which it is refreshed before use: refreshMarginMs before expiresAt. */
  refreshAfter: number;
}

const SESSION_KEY = 'payments-tracker.session';
const PENDING_KEY = 'payments-tracker.sign-in';

/**
 * How long before its expiry an access token is replaced: 30 s (a request made then still reaches the API before the
 * token expires, API Gateway's 29 s included), or a quarter of a short lifetime (the tests' few seconds).
 */
const refreshMarginMs = (lifetimeMs: number): number => Math.min(30_000, lifetimeMs / 4);

interface PendingSignIn {
  codeVerifier: string;
  state: string;
  nonce: string;
}

export class SignInFailedError extends Error {
  override readonly name = 'SignInFailedError';
}

/** http:// is allowed only for a provider on this machine (the local stack); anywhere else TLS is required. */
const requestOptions = (issuer: URL) =>
  issuer.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(issuer.hostname)
    ? { [oauth.allowInsecureRequests]: true }
    : {};

const storedSession: SessionStore<Session> = {
  read: () => {
    const stored = sessionStorage.getItem(SESSION_KEY);
    return stored ? (JSON.parse(stored) as Session) : undefined;
  },
  write: (session) => sessionStorage.setItem(SESSION_KEY, JSON.stringify(session)),
  clear: () => sessionStorage.removeItem(SESSION_KEY),
};

/** The session a token answer makes; `previous` keeps what a refresh answer may leave out (Cognito's refresh token). */
const sessionOf = (
  tokens: oauth.TokenEndpointResponse,
  identity: Pick<Session, 'sub' | 'email'>,
  previous?: Session,
) => {
  const lifetimeMs = (tokens.expires_in ?? 3600) * 1000;
  const issuedAt = Date.now();
  const idToken = tokens.id_token ?? previous?.idToken;
  if (!idToken) throw new SignInFailedError('The provider returned no ID token');
  const refreshToken = tokens.refresh_token ?? previous?.refreshToken;
  return {
    accessToken: tokens.access_token,
    idToken,
    ...(refreshToken ? { refreshToken } : {}),
    ...identity,
    expiresAt: issuedAt + lifetimeMs,
    refreshAfter: issuedAt + lifetimeMs - refreshMarginMs(lifetimeMs),
  } satisfies Session;
};

/** The provider's answers that refuse the refresh itself (invalid_grant and the like), as against a fault on the way. */
const isRefusal = (error: unknown): boolean =>
  (error instanceof oauth.ResponseBodyError && error.status >= 400 && error.status < 500) ||
  error instanceof oauth.WWWAuthenticateChallengeError;

export interface SignInOptions {
  /** Told when the session ends without the customer signing out: a refresh refused, or the API refusing the token. */
  onSessionEnded: () => void;
}

export interface SignIn {
  start: () => Promise<void>;
  /** Completes a sign-in from the callback URL and stores the session. */
  complete: (callbackUrl: URL) => Promise<void>;
  /** The session, refreshed first when its access token is (nearly) expired; none: signed out. */
  session: () => Promise<Session | undefined>;
  /** A fresh access token for the API client; rejects with SessionEndedError when the session is over. */
  accessToken: () => Promise<string>;
  /** The API refused the session's token (401): the session is over. */
  end: () => void;
  /** Revokes the refresh token, then ends the provider's session (the browser goes there and back to the app). */
  signOut: () => Promise<void>;
}

/** The provider as discovered, and this app as its client. */
interface Provider {
  config: WebAppConfig;
  appUrl: URL;
  server: oauth.AuthorizationServer;
  client: oauth.Client;
  options: ReturnType<typeof requestOptions>;
  redirectUri: string;
  revocationEndpoint?: string;
}

const discover = async (config: WebAppConfig, appUrl: URL): Promise<Provider> => {
  const issuer = new URL(config.issuer);
  const options = requestOptions(issuer);
  const server = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
  // The local provider publishes its revocation endpoint; Cognito's discovery may not, so config.json names it.
  const revocationEndpoint = server.revocation_endpoint ?? config.revocationUrl;
  return {
    config,
    appUrl,
    server,
    client: { client_id: config.clientId },
    options,
    redirectUri: new URL('callback', appUrl).href,
    ...(revocationEndpoint ? { revocationEndpoint } : {}),
  };
};

/** Sends the browser to the provider's sign-in page, with a fresh PKCE verifier, state and nonce kept for the callback. */
const startSignIn = async ({ config, server, redirectUri }: Provider): Promise<void> => {
  if (!server.authorization_endpoint) throw new SignInFailedError('The provider publishes no authorization endpoint');
  const pending: PendingSignIn = {
    codeVerifier: oauth.generateRandomCodeVerifier(),
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(server.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: config.scope,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(pending.codeVerifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.href);
};

const completeSignIn = async (provider: Provider, callbackUrl: URL): Promise<void> => {
  const { server, client } = provider;
  const stored = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (!stored) throw new SignInFailedError('No sign-in was started in this tab: sign in again');
  const pending = JSON.parse(stored) as PendingSignIn;
  // Checks the state and that the answer is a code, not an error.
  const parameters = oauth.validateAuthResponse(server, client, callbackUrl, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    server,
    client,
    oauth.None(),
    parameters,
    provider.redirectUri,
    pending.codeVerifier,
    provider.options,
  );
  const tokens = await oauth.processAuthorizationCodeResponse(server, client, response, {
    expectedNonce: pending.nonce,
    requireIdToken: true,
  });
  const claims = oauth.getValidatedIdTokenClaims(tokens);
  if (!claims) throw new SignInFailedError('The provider returned no ID token');
  const email = typeof claims.email === 'string' ? claims.email : undefined;
  storedSession.write(sessionOf(tokens, { sub: claims.sub, ...(email ? { email } : {}) }));
};

const refreshSession = async ({ server, client, options }: Provider, previous: Session): Promise<Session> => {
  if (!previous.refreshToken) throw new SessionEndedError('The access token expired and there is no refresh token');
  const response = await oauth.refreshTokenGrantRequest(server, client, oauth.None(), previous.refreshToken, options);
  const tokens = await oauth.processRefreshTokenResponse(server, client, response).catch((error: unknown) => {
    if (isRefusal(error)) throw new SessionEndedError('The provider refused to refresh the session', { cause: error });
    throw error;
  });
  // A refreshed ID token must name the same customer (OpenID Connect Core 12.2).
  const claims = oauth.getValidatedIdTokenClaims(tokens);
  if (claims && claims.sub !== previous.sub) throw new SessionEndedError('The refreshed ID token names another user');
  return sessionOf(tokens, { sub: previous.sub, ...(previous.email ? { email: previous.email } : {}) }, previous);
};

/** RFC 7009: the refresh token (and, at Cognito, the access tokens it issued) ends at the provider. */
const revoke = async ({ server, client, options, revocationEndpoint }: Provider, refreshToken: string) => {
  if (!revocationEndpoint) return;
  const response = await oauth.revocationRequest(
    { ...server, revocation_endpoint: revocationEndpoint },
    client,
    oauth.None(),
    refreshToken,
    { ...options, additionalParameters: { token_type_hint: 'refresh_token' } },
  );
  await oauth.processRevocationResponse(response);
};

/** Where the browser goes to end the provider's session: its end-session endpoint, Cognito's logout, or straight back. */
const signOutUrl = ({ config, server, appUrl }: Provider, current: Session | undefined): string => {
  const returnTo = appUrl.href;
  if (server.end_session_endpoint) {
    const url = new URL(server.end_session_endpoint);
    url.search = new URLSearchParams({
      client_id: config.clientId,
      post_logout_redirect_uri: returnTo,
      ...(current ? { id_token_hint: current.idToken } : {}),
    }).toString();
    return url.href;
  }
  if (config.logoutUrl) {
    const url = new URL(config.logoutUrl);
    url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: returnTo }).toString();
    return url.href;
  }
  return returnTo;
};

const signOut = async (provider: Provider): Promise<void> => {
  const current = storedSession.read();
  storedSession.clear();
  // The customer asked to sign out, so a failed revocation (the network, the provider) does not keep them here:
  // the tab forgets the token at once, and the provider's session ends below. Such a token still ends with its
  // sign-in (30 days), unused by anyone: only this tab ever held it.
  if (current?.refreshToken) await revoke(provider, current.refreshToken).catch(() => undefined);
  location.assign(signOutUrl(provider, current));
};

export const signIn = async (config: WebAppConfig, appUrl: URL, signInOptions: SignInOptions): Promise<SignIn> => {
  const provider = await discover(config, appUrl);
  const keeper: SessionKeeper<Session> = sessionKeeper({
    store: storedSession,
    refresh: (previous) => refreshSession(provider, previous),
    onEnded: signInOptions.onSessionEnded,
  });
  const accessToken = async (): Promise<string> => {
    const session = await keeper.current();
    if (!session) throw new SessionEndedError('The session has ended');
    return session.accessToken;
  };
  return {
    start: () => startSignIn(provider),
    complete: (callbackUrl) => completeSignIn(provider, callbackUrl),
    session: keeper.current,
    accessToken,
    end: keeper.end,
    signOut: () => signOut(provider),
  };
};
