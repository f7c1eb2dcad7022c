/** Cognito's endpoint paths, on the issuer's origin. */
export const PROVIDER_ROUTES = {
  authorization: '/oauth2/authorize',
  token: '/oauth2/token',
  revocation: '/oauth2/revoke',
  end_session: '/logout',
  jwks: '/.well-known/jwks.json',
  // Cognito's userInfo accepts the API's access token; oidc-provider's refuses a token with an audience, so the
  // local stack answers this path itself (userinfo.ts).
  userinfo: '/oauth2/userInfo',
  // Not enabled, or not Cognito's: kept under /oauth2 so the provider's paths are one prefix.
  introspection: '/oauth2/introspect',
  pushed_authorization_request: '/oauth2/par',
  registration: '/oauth2/register',
  code_verification: '/oauth2/device',
  device_authorization: '/oauth2/device/auth',
  backchannel_authentication: '/oauth2/backchannel',
  challenge: '/oauth2/challenge',
  credential: '/oauth2/credential',
} as const;
