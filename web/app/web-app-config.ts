/**
 * What the web app is told about where it runs, read at start from `config.json` beside it (the local stack serves
 * one for its port; the deployed bucket holds one written by CDK). The same build runs everywhere: only this differs.
 */
export interface WebAppConfig {
  /** The OpenID provider's issuer: the local provider (http://localhost:$PORT) or the Cognito user pool. */
  issuer: string;
  /** The public user-app client (authorization code + PKCE, no secret). */
  clientId: string;
  /** Space-separated scopes to ask for (openid and the API's read and write scopes). */
  scope: string;
  /** The API's root; absent: the app's own origin, where the local gateway and CloudFront serve the API beside it. */
  apiUrl?: string;
  /**
   * Where to send the browser to sign out when the provider's discovery has no `end_session_endpoint` (Cognito's
   * hosted UI: `https://<domain>/logout`, which takes `client_id` and `logout_uri`).
   */
  logoutUrl?: string;
  /**
   * The RFC 7009 revocation endpoint, for when the provider's discovery publishes no `revocation_endpoint` (Cognito's
   * has been seen without one: `https://<domain>/oauth2/revoke`, which takes the public client's `client_id`).
   */
  revocationUrl?: string;
}

/** The path the app is served under: /app/ locally and in CloudFront. */
export const APP_BASE_PATH = '/app/';
/** The app's redirect URI path (authorization code). */
export const CALLBACK_PATH = `${APP_BASE_PATH}callback`;
