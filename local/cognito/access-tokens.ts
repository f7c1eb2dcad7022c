import { randomUUID } from 'node:crypto';
import { type JSONWebKeySet, SignJWT, createLocalJWKSet, errors, jwtVerify } from 'jose';
import type { Caller } from '#contract/workflow-io';
import { SIGNING_ALGORITHM, type SigningKey } from '#local/cognito/signing-keys';

/**
 * Access tokens shaped like Cognito's: what the local OpenID provider issues (oidc-provider, configured in
 * openid-provider.ts), what `npm run token` and the test harness sign with the provider's current key, and the checks
 * API Gateway's Cognito authorizer makes before any workflow runs (the local gateway calls verifyAccessToken).
 */
const ALGORITHM = SIGNING_ALGORITHM;
/** Cognito's default access token validity. */
const DEFAULT_LIFETIME_SECONDS = 3600;
const CLOCK_TOLERANCE_SECONDS = 5;

export class TokenRejectedError extends Error {
  override readonly name = 'TokenRejected';

  /** `reason` is safe to show the caller (the 401's description); it never quotes the token. */
  constructor(
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`Access token rejected: ${reason}`, options);
  }
}

/** The `iss` of the tokens: the gateway's URL, which also serves the JWKS. */
export const issuerUrl = (port: number): string => `http://localhost:${port}`;

/**
 * The API's resource indicator (RFC 8707) at the local provider, and so the `aud` of its access tokens: oidc-provider
 * puts an audience in every JWT access token. Cognito's access tokens have none; neither authorizer reads it.
 */
export const apiResourceIndicator = (issuer: string): string => new URL('/', issuer).href;

export interface AccessTokenClaims {
  issuer: string;
  /** A user id, or the client id for a client-credentials token. */
  sub: string;
  clientId: string;
  /** Space-separated scopes. */
  scope: string;
  /** Default one hour; negative gives an already expired token (for tests of the 401 path). */
  expiresInSeconds?: number;
}

/**
 * An access token with the claims Cognito gives one, and the header and audience the local provider gives its own
 * (RFC 9068's `at+jwt`), signed with the provider's current key: for scripts and tests that need a token of a user
 * without signing in.
 */
export const issueAccessToken = async (key: SigningKey, claims: AccessTokenClaims): Promise<string> => {
  const now = Math.floor(Date.now() / 1000);
  const clientCredentials = claims.sub === claims.clientId;
  return new SignJWT({
    client_id: claims.clientId,
    scope: claims.scope,
    token_use: 'access',
    auth_time: now,
    version: 2,
    // Cognito names the user in user tokens; a client-credentials token has no user.
    ...(clientCredentials ? {} : { username: claims.sub }),
  })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'at+jwt', kid: key.kid })
    .setSubject(claims.sub)
    .setIssuer(claims.issuer)
    .setAudience(apiResourceIndicator(claims.issuer))
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.expiresInSeconds ?? DEFAULT_LIFETIME_SECONDS))
    .setJti(randomUUID())
    .sign(key.privateKey);
};

export interface VerifyOptions {
  jwks: JSONWebKeySet;
  issuer: string;
  allowedClientIds: readonly string[];
}

const reasonFor = (error: unknown): string => {
  if (error instanceof TokenRejectedError) return error.reason;
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'wrong issuer';
    if (error.claim === 'nbf' && error.reason === 'check_failed') return 'not yet valid';
    return `${error.reason === 'missing' ? 'missing' : 'invalid'} ${error.claim}`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown signing key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'invalid signature';
  return 'malformed token';
};

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

// One key set per JWKS, built on first use: a set made per call imported (parsed) the RSA public
// key again for every token, the one per-request setup the benchmark's profile found in the gateway.
// Keyed by the JWKS object, so a caller with other keys gets its own set.
const keySets = new WeakMap<JSONWebKeySet, LocalKeySet>();
const keySetOf = (set: JSONWebKeySet): LocalKeySet => {
  let keySet = keySets.get(set);
  if (!keySet) {
    keySet = createLocalJWKSet(set);
    keySets.set(set, keySet);
  }
  return keySet;
};

/**
 * What the Cognito authorizer accepts: RS256 by a key of the JWKS named by its kid, this
 * issuer, within its lifetime, an access token (not an ID token) of a known client.
 */
export const verifyAccessToken = async (token: string, options: VerifyOptions): Promise<Caller> => {
  const keySet = keySetOf(options.jwks);
  let payload;
  try {
    ({ payload } = await jwtVerify(
      token,
      (header, input) => {
        // With one key in the set jose would take it for a token without a kid; Cognito's always name theirs.
        if (!header?.kid) throw new TokenRejectedError('unknown signing key');
        return keySet(header, input);
      },
      {
        issuer: options.issuer,
        algorithms: [ALGORITHM],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'exp', 'iat'],
      },
    ));
  } catch (error) {
    throw new TokenRejectedError(reasonFor(error), { cause: error });
  }
  if (payload.token_use !== 'access') throw new TokenRejectedError('not an access token');
  if (typeof payload.client_id !== 'string' || !options.allowedClientIds.includes(payload.client_id)) {
    throw new TokenRejectedError('unknown client');
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new TokenRejectedError('missing sub');
  return {
    sub: payload.sub,
    clientId: payload.client_id,
    scope: typeof payload.scope === 'string' ? payload.scope : '',
  };
};
