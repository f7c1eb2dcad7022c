import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type JSONWebKeySet,
  type JWK,
  type KeyLike,
  SignJWT,
  calculateJwkThumbprint,
  createLocalJWKSet,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
} from 'jose';
import type { Caller } from '#contract/workflow-io';

/**
 * The local stand-in for Cognito: RS256 access tokens shaped like Cognito's, their JWKS, and
 * the checks API Gateway's Cognito authorizer makes before any workflow runs.
 */
export const LOCAL_USER_APP_CLIENT_ID = 'local-user-app';
export const LOCAL_INTEGRATION_CLIENT_ID = 'local-integration';
/** Operations' client: like the deployed `operations` client, client credentials with OPERATIONS_SCOPES. */
export const LOCAL_OPERATIONS_CLIENT_ID = 'local-operations';

const ALGORITHM = 'RS256';
/** Cognito's default access token validity. */
const DEFAULT_LIFETIME_SECONDS = 3600;
const CLOCK_TOLERANCE_SECONDS = 5;

export interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  /** Public members only, with kid, alg and use: what the JWKS serves. */
  publicJwk: JWK;
}

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

export const signingKeyFile = (dataDir: string): string => path.join(dataDir, 'token-issuer', 'signing-key.json');

const toSigningKey = async (file: string, stored: JWK): Promise<SigningKey> => {
  if (stored.kty !== 'RSA' || !stored.d || !stored.kid) {
    throw new Error(`${file} is not an RSA private key with a kid; delete it and the next start makes a new one`);
  }
  // Built from n and e alone, so no private member (d, p, q, dp, dq, qi) can reach the JWKS.
  const publicJwk: JWK = { kty: stored.kty, n: stored.n, e: stored.e, kid: stored.kid, alg: ALGORITHM, use: 'sig' };
  return { kid: stored.kid, privateKey: (await importJWK(stored, ALGORITHM)) as KeyLike, publicJwk };
};

const readSigningKey = async (file: string): Promise<SigningKey | undefined> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let stored: JWK;
  try {
    stored = JSON.parse(text) as JWK;
  } catch (error) {
    throw new Error(`${file} is not JSON; delete it and the next start makes a new key`, { cause: error });
  }
  return toSigningKey(file, stored);
};

const createSigningKey = async (file: string): Promise<void> => {
  const { privateKey } = await generateKeyPair(ALGORITHM, { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, n: jwk.n, e: jwk.e });
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temporary, JSON.stringify({ ...jwk, kid, alg: ALGORITHM, use: 'sig' }), { mode: 0o600, flag: 'wx' });
  try {
    // Written whole first, then linked: a reader never sees half a key. Unlike rename, link
    // never replaces, so when two first starts race (the stack and `npm run token`), the
    // loser keeps the winner's key instead of signing with one the file no longer holds.
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
};

/**
 * The issuer's key, made on first start and kept under the data dir: tokens stay valid across
 * restarts, and `npm run token` signs with the key the running stack trusts.
 */
export const loadOrCreateSigningKey = async (dataDir: string): Promise<SigningKey> => {
  const file = signingKeyFile(dataDir);
  const existing = await readSigningKey(file);
  if (existing) return existing;
  await createSigningKey(file);
  const created = await readSigningKey(file);
  if (!created) throw new Error(`${file} disappeared while it was being created`);
  return created;
};

/** The `iss` of the tokens: the gateway's URL, which also serves the JWKS. */
export const issuerUrl = (port: number): string => `http://localhost:${port}`;

export const jwks = async (key: SigningKey): Promise<JSONWebKeySet> => ({ keys: [{ ...key.publicJwk }] });

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

/** An access token with the claims and header Cognito gives one. */
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
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid })
    .setSubject(claims.sub)
    .setIssuer(claims.issuer)
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
