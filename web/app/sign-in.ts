import * as oauth from 'oauth4webapi';
import type { WebAppConfig } from './web-app-config';

/**
 * Sign-in by authorization code + PKCE (S256) with a state and a nonce, found by OIDC discovery, through oauth4webapi:
 * the same code against the local provider and Cognito's hosted UI. The session (tokens and the expiry) lives in
 * sessionStorage: it ends with the tab, and no other site can read it.
 */
export interface Session {
  accessToken: string;
  idToken: string;
  /** The signed-in customer: the ID token's `sub`, which is the access token's and the payments' `userId`. */
  sub: string;
  email?: string;
  /** Epoch ms after which the access token is expired. */
  expiresAt: number;
}

const SESSION_KEY = 'payments-tracker.session';
const PENDING_KEY = 'payments-tracker.sign-in';

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

export interface SignIn {
  start: () => Promise<void>;
  /** Completes a sign-in from the callback URL; returns the session. */
  complete: (callbackUrl: URL) => Promise<Session>;
  session: () => Session | undefined;
  signOut: () => void;
}

export const signIn = async (config: WebAppConfig, appUrl: URL): Promise<SignIn> => {
  const issuer = new URL(config.issuer);
  const options = requestOptions(issuer);
  const server = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
  const client: oauth.Client = { client_id: config.clientId };
  const redirectUri = new URL('callback', appUrl).href;

  const start = async (): Promise<void> => {
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

  const complete = async (callbackUrl: URL): Promise<Session> => {
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
      redirectUri,
      pending.codeVerifier,
      options,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(server, client, response, {
      expectedNonce: pending.nonce,
      requireIdToken: true,
    });
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    if (!claims || !tokens.id_token) throw new SignInFailedError('The provider returned no ID token');
    const session: Session = {
      accessToken: tokens.access_token,
      idToken: tokens.id_token,
      sub: claims.sub,
      email: typeof claims.email === 'string' ? claims.email : undefined,
      expiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000,
    };
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    return session;
  };

  const session = (): Session | undefined => {
    const stored = sessionStorage.getItem(SESSION_KEY);
    if (!stored) return undefined;
    const parsed = JSON.parse(stored) as Session;
    return parsed.expiresAt > Date.now() ? parsed : undefined;
  };

  const signOut = (): void => {
    const current = session();
    sessionStorage.removeItem(SESSION_KEY);
    const returnTo = appUrl.href;
    if (server.end_session_endpoint) {
      const url = new URL(server.end_session_endpoint);
      url.search = new URLSearchParams({
        client_id: config.clientId,
        post_logout_redirect_uri: returnTo,
        ...(current ? { id_token_hint: current.idToken } : {}),
      }).toString();
      location.assign(url.href);
    } else if (config.logoutUrl) {
      const url = new URL(config.logoutUrl);
      url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: returnTo }).toString();
      location.assign(url.href);
    } else {
      location.assign(returnTo);
    }
  };

  return { start, complete, session, signOut };
};
