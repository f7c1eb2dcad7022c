import * as oidc from 'openid-client';
import { LOCAL_USER_APP_CLIENT_ID } from '#contract/oauth-clients';

/**
 * The local provider spoken to by openid-client 6 (a certified relying-party library), as a test speaks to it from
 * outside the browser: the user app's configuration found by discovery, and the token endpoint's refusals by code.
 */
export const clientByDiscovery = (
  issuer: string,
  clientId: string,
  authentication: oidc.ClientAuth,
): Promise<oidc.Configuration> =>
  // The issuer is plain http on localhost: openid-client refuses that unless told, as it should.
  oidc.discovery(new URL(issuer), clientId, undefined, authentication, { execute: [oidc.allowInsecureRequests] });

/** The public user app (no client authentication). */
export const userAppByDiscovery = (issuer: string): Promise<oidc.Configuration> =>
  clientByDiscovery(issuer, LOCAL_USER_APP_CLIENT_ID, oidc.None());

/** The token endpoint's refusal, as openid-client reports it (the OAuth error code). */
export const oauthErrorOf = async (call: Promise<unknown>): Promise<string> => {
  const error = await call.then(
    () => {
      throw new Error('the provider accepted it');
    },
    (thrown: unknown) => thrown,
  );
  // A 401 with a WWW-Authenticate challenge (a client that failed to authenticate) is reported as that challenge.
  if (error instanceof oidc.WWWAuthenticateChallengeError) return error.cause[0]?.parameters.error ?? error.code;
  expect(error).toBeInstanceOf(oidc.ResponseBodyError);
  return (error as oidc.ResponseBodyError).error;
};
