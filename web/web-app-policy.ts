/**
 * The web app's Content-Security-Policy, one definition for the local stack and CloudFront: the console's strict
 * policy (no inline script or style, nothing from another origin) with `connect-src` opened to the API (served at
 * the app's own origin) and the OpenID provider's origins (discovery, token endpoint), and nothing else.
 */
export const webAppContentSecurityPolicy = (providerOrigins: readonly string[]): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src 'self' ${[...new Set(providerOrigins)].join(' ')}`,
    "form-action 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
