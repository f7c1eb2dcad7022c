import { type JsonWebKey, createPublicKey, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type JWTPayload, SignJWT, UnsecuredJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { INTEGRATION_SCOPES, USER_APP_SCOPES } from '#contract/scopes';
import type { Caller } from '#contract/workflow-io';
import {
  LOCAL_INTEGRATION_CLIENT_ID,
  LOCAL_USER_APP_CLIENT_ID,
  type SigningKey,
  TokenRejectedError,
  issueAccessToken,
  issuerUrl,
  jwks,
  loadOrCreateSigningKey,
  signingKeyFile,
  verifyAccessToken,
} from '#local/cognito/token-issuer';

const ISSUER = issuerUrl(3000);
const temporaryDataDir = (): string => mkdtempSync(path.join(tmpdir(), 'token-issuer-'));
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

describe('local token issuer', () => {
  const userId = randomUUID();
  let key: SigningKey;
  let otherKey: SigningKey;
  let verify: (token: string) => Promise<Caller>;

  beforeAll(async () => {
    [key, otherKey] = await Promise.all([
      loadOrCreateSigningKey(temporaryDataDir()),
      loadOrCreateSigningKey(temporaryDataDir()),
    ]);
    const publicKeys = await jwks(key);
    verify = (token) =>
      verifyAccessToken(token, {
        jwks: publicKeys,
        issuer: ISSUER,
        allowedClientIds: [LOCAL_USER_APP_CLIENT_ID, LOCAL_INTEGRATION_CLIENT_ID],
      });
  });

  const userToken = (
    overrides: { issuer?: string; clientId?: string; expiresInSeconds?: number } = {},
    signingKey = key,
  ) =>
    issueAccessToken(signingKey, {
      issuer: ISSUER,
      sub: userId,
      clientId: LOCAL_USER_APP_CLIENT_ID,
      scope: USER_APP_SCOPES.join(' '),
      ...overrides,
    });

  /** Valid claims, for tokens the issuer itself would never make: what a forger or a buggy client sends. */
  const claims = (overrides: JWTPayload = {}): JWTPayload => ({
    sub: userId,
    client_id: LOCAL_USER_APP_CLIENT_ID,
    scope: USER_APP_SCOPES.join(' '),
    token_use: 'access',
    iss: ISSUER,
    iat: nowSeconds(),
    exp: nowSeconds() + 600,
    ...overrides,
  });

  const signedWithOurKey = (payload: JWTPayload): Promise<string> =>
    new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);

  /** Why `token` is refused, as the gateway reads it; fails the test if it is accepted. */
  const rejectionOf = async (token: string): Promise<string> => {
    const error = await verify(token).then(
      () => {
        throw new Error('the token was accepted');
      },
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TokenRejectedError);
    expect((error as Error).name).toBe('TokenRejected');
    return (error as TokenRejectedError).reason;
  };

  test('accepts its own access token and returns the caller', async () => {
    await expect(verify(await userToken())).resolves.toEqual({
      sub: userId,
      clientId: LOCAL_USER_APP_CLIENT_ID,
      scope: USER_APP_SCOPES.join(' '),
    });
  });

  test('issues tokens shaped like Cognito access tokens', async () => {
    const token = await userToken();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: key.kid });
    const payload = decodeJwt(token);
    expect(payload).toEqual({
      sub: userId,
      username: userId,
      client_id: LOCAL_USER_APP_CLIENT_ID,
      scope: 'payments/read payments/write',
      token_use: 'access',
      iss: ISSUER,
      iat: expect.any(Number),
      auth_time: payload.iat,
      exp: (payload.iat ?? 0) + 3600,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      version: 2,
    });
  });

  test('a client-credentials token has its client as subject and names no user', async () => {
    const token = await issueAccessToken(key, {
      issuer: ISSUER,
      sub: LOCAL_INTEGRATION_CLIENT_ID,
      clientId: LOCAL_INTEGRATION_CLIENT_ID,
      scope: INTEGRATION_SCOPES.join(' '),
    });
    expect(decodeJwt(token)).not.toHaveProperty('username');
    await expect(verify(token)).resolves.toEqual({
      sub: LOCAL_INTEGRATION_CLIENT_ID,
      clientId: LOCAL_INTEGRATION_CLIENT_ID,
      scope: 'payments/write payments/submit-on-behalf',
    });
  });

  test.each([
    ['an unsigned token (alg none)', () => new UnsecuredJWT(claims()).encode(), 'algorithm not allowed'],
    [
      'an HS256 token keyed with the public key (algorithm confusion)',
      () => {
        const publicPem = createPublicKey({ key: key.publicJwk as JsonWebKey, format: 'jwk' }).export({
          type: 'spki',
          format: 'pem',
        });
        return new SignJWT(claims())
          .setProtectedHeader({ alg: 'HS256', kid: key.kid })
          .sign(new TextEncoder().encode(publicPem.toString()));
      },
      'algorithm not allowed',
    ],
    ['a token of another key (unknown kid)', () => userToken({}, otherKey), 'unknown signing key'],
    [
      'a token without a kid',
      () => new SignJWT(claims()).setProtectedHeader({ alg: 'RS256' }).sign(key.privateKey),
      'unknown signing key',
    ],
    [
      'a token of another key that claims our kid',
      () => new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(otherKey.privateKey),
      'invalid signature',
    ],
    ['an expired token', () => userToken({ expiresInSeconds: -60 }), 'expired'],
    [
      'a token not valid yet (nbf in the future)',
      () => signedWithOurKey(claims({ nbf: nowSeconds() + 600 })),
      'not yet valid',
    ],
    ['a token of another issuer', () => userToken({ issuer: issuerUrl(3001) }), 'wrong issuer'],
    ['an ID token', () => signedWithOurKey(claims({ token_use: 'id' })), 'not an access token'],
    ['a token of a client the API does not know', () => userToken({ clientId: 'someone-else' }), 'unknown client'],
    [
      'a token whose payload was changed after signing',
      async () => {
        const [header, , signature] = (await userToken()).split('.');
        const forged = Buffer.from(JSON.stringify(claims({ sub: randomUUID() }))).toString('base64url');
        return `${header}.${forged}.${signature}`;
      },
      'invalid signature',
    ],
    ['a token without sub', () => signedWithOurKey(claims({ sub: undefined })), 'missing sub'],
    ['a token with an empty sub', () => signedWithOurKey(claims({ sub: '' })), 'missing sub'],
    ['a token without exp', () => signedWithOurKey(claims({ exp: undefined })), 'missing exp'],
    ['something that is not a JWT', () => 'not-a-jwt', 'malformed token'],
  ])('rejects %s', async (_case, makeToken, reason) => {
    expect(await rejectionOf(await makeToken())).toBe(reason);
  });

  test('tolerates a few seconds of clock skew, no more', async () => {
    await expect(verify(await signedWithOurKey(claims({ exp: nowSeconds() - 2 })))).resolves.toMatchObject({
      sub: userId,
    });
    expect(await rejectionOf(await signedWithOurKey(claims({ exp: nowSeconds() - 30 })))).toBe('expired');
  });

  test('the JWKS carries the public key only, named and marked for RS256 signatures', async () => {
    const { keys } = await jwks(key);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toEqual({ kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: key.kid, alg: 'RS256', use: 'sig' });
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(keys[0]).not.toHaveProperty(member);
  });
});

describe('the signing key on disk', () => {
  test('is made once, private to its owner, and reused after a restart', async () => {
    const dataDir = temporaryDataDir();
    const first = await loadOrCreateSigningKey(dataDir);
    const file = signingKeyFile(dataDir);
    expect(file).toBe(path.join(dataDir, 'token-issuer', 'signing-key.json'));
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ kty: 'RSA', kid: first.kid, d: expect.any(String) });

    const restarted = await loadOrCreateSigningKey(dataDir);
    expect(restarted.kid).toBe(first.kid);
    const token = await issueAccessToken(first, {
      issuer: ISSUER,
      sub: randomUUID(),
      clientId: LOCAL_USER_APP_CLIENT_ID,
      scope: '',
    });
    await expect(
      verifyAccessToken(token, {
        jwks: await jwks(restarted),
        issuer: ISSUER,
        allowedClientIds: [LOCAL_USER_APP_CLIENT_ID],
      }),
    ).resolves.toMatchObject({ clientId: LOCAL_USER_APP_CLIENT_ID });
  });

  test('first starts racing each other all end up with one key and leave no temporary files', async () => {
    const dataDir = temporaryDataDir();
    const keys = await Promise.all(Array.from({ length: 4 }, () => loadOrCreateSigningKey(dataDir)));
    expect(new Set(keys.map((candidate) => candidate.kid)).size).toBe(1);
    expect((await loadOrCreateSigningKey(dataDir)).kid).toBe(keys[0]!.kid);
    expect(readdirSync(path.join(dataDir, 'token-issuer'))).toEqual(['signing-key.json']);
  });

  test('a damaged key file is reported, not silently replaced', async () => {
    const dataDir = temporaryDataDir();
    mkdirSync(path.join(dataDir, 'token-issuer'));
    writeFileSync(signingKeyFile(dataDir), '{"kty":');
    await expect(loadOrCreateSigningKey(dataDir)).rejects.toThrow(/signing-key\.json is not JSON/);
  });
});
