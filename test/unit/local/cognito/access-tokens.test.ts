import { type JsonWebKey, createPublicKey, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type JWTPayload, SignJWT, UnsecuredJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { INTEGRATION_SCOPES, USER_APP_SCOPES } from '#contract/scopes';
import type { Caller } from '#contract/workflow-io';
import { LOCAL_INTEGRATION_CLIENT_ID, LOCAL_USER_APP_CLIENT_ID } from '#contract/oauth-clients';
import { TokenRejectedError, issueAccessToken, issuerUrl, verifyAccessToken } from '#local/cognito/access-tokens';
import {
  type KeyRing,
  type SigningKey,
  loadOrCreateKeyRing,
  publicJwks,
  retireSigningKeys,
  rotateSigningKeys,
  signingKeysFile,
} from '#local/cognito/signing-keys';
import { scratchDir } from '../../../support/scratch-dir';

const ISSUER = issuerUrl(3000);
const temporaryDataDir = (): string => scratchDir('access-tokens-');
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

describe('access tokens: signed like the local provider signs them, verified as the Cognito authorizer does', () => {
  const userId = randomUUID();
  let key: SigningKey;
  let otherKey: SigningKey;
  let verify: (token: string) => Promise<Caller>;

  beforeAll(async () => {
    const [ring, otherRing] = await Promise.all([
      loadOrCreateKeyRing(temporaryDataDir()),
      loadOrCreateKeyRing(temporaryDataDir()),
    ]);
    [key, otherKey] = [ring.current, otherRing.current];
    const publicKeys = publicJwks(ring);
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
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: key.kid });
    const payload = decodeJwt(token);
    expect(payload).toEqual({
      sub: userId,
      username: userId,
      client_id: LOCAL_USER_APP_CLIENT_ID,
      scope: 'payments/read payments/write',
      token_use: 'access',
      iss: ISSUER,
      aud: `${ISSUER}/`,
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
      scope: 'payments/write payments/submit-on-behalf payments/customers-write',
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

  test('the JWKS carries public keys only (the current and the next), named and marked for RS256 signatures', async () => {
    const ring = await loadOrCreateKeyRing(temporaryDataDir());
    const { keys } = publicJwks(ring);
    expect(keys.map((published) => published.kid)).toEqual([ring.current.kid, ring.keys[1]!.kid]);
    for (const published of keys) {
      expect(published).toEqual({
        kty: 'RSA',
        n: expect.any(String),
        e: 'AQAB',
        kid: expect.any(String),
        alg: 'RS256',
        use: 'sig',
      });
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(published).not.toHaveProperty(member);
    }
  });
});

const verifierOf = (ring: KeyRing) => (token: string) =>
  verifyAccessToken(token, { jwks: publicJwks(ring), issuer: ISSUER, allowedClientIds: [LOCAL_USER_APP_CLIENT_ID] });
const tokenOf = (key: SigningKey) =>
  issueAccessToken(key, { issuer: ISSUER, sub: randomUUID(), clientId: LOCAL_USER_APP_CLIENT_ID, scope: '' });

describe('the signing keys on disk', () => {
  test('are made once (a current and a next key), private to their owner, and reused after a restart', async () => {
    const dataDir = temporaryDataDir();
    const first = await loadOrCreateKeyRing(dataDir);
    const file = signingKeysFile(dataDir);
    expect(file).toBe(path.join(dataDir, 'oidc', 'signing-keys.json'));
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.keys.map((candidate) => candidate.status)).toEqual(['current', 'next']);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      keys: [
        { status: 'current', jwk: { kty: 'RSA', kid: first.current.kid, d: expect.any(String) } },
        { status: 'next' },
      ],
    });

    const restarted = await loadOrCreateKeyRing(dataDir);
    expect(restarted.keys.map((candidate) => candidate.kid)).toEqual(first.keys.map((candidate) => candidate.kid));
    await expect(verifierOf(restarted)(await tokenOf(first.current))).resolves.toMatchObject({
      clientId: LOCAL_USER_APP_CLIENT_ID,
    });
  });

  test('first starts racing each other all end up with one ring and leave no temporary files', async () => {
    const dataDir = temporaryDataDir();
    const rings = await Promise.all(Array.from({ length: 4 }, () => loadOrCreateKeyRing(dataDir)));
    expect(new Set(rings.map((candidate) => candidate.current.kid)).size).toBe(1);
    expect((await loadOrCreateKeyRing(dataDir)).current.kid).toBe(rings[0]!.current.kid);
    expect(readdirSync(path.join(dataDir, 'oidc'))).toEqual(['signing-keys.json']);
  });

  test('a damaged key file is reported, not silently replaced', async () => {
    const dataDir = temporaryDataDir();
    mkdirSync(path.join(dataDir, 'oidc'));
    writeFileSync(signingKeysFile(dataDir), '{"keys":');
    await expect(loadOrCreateKeyRing(dataDir)).rejects.toThrow(/signing-keys\.json is not JSON/);
  });

  test("the hand-made issuer's key of an older data dir becomes the current key: its tokens stay valid", async () => {
    const dataDir = temporaryDataDir();
    const older = (await loadOrCreateKeyRing(temporaryDataDir())).current;
    mkdirSync(path.join(dataDir, 'token-issuer'));
    writeFileSync(path.join(dataDir, 'token-issuer', 'signing-key.json'), JSON.stringify(older.privateJwk));
    const ring = await loadOrCreateKeyRing(dataDir);
    expect(ring.current.kid).toBe(older.kid);
    await expect(verifierOf(ring)(await tokenOf(older))).resolves.toMatchObject({ clientId: LOCAL_USER_APP_CLIENT_ID });
  });
});

describe('signing-key rotation', () => {
  test('rotate: the next key, published before, signs; the previous key stays published, its tokens valid', async () => {
    const dataDir = temporaryDataDir();
    const before = await loadOrCreateKeyRing(dataDir);
    const next = before.keys.find((candidate) => candidate.status === 'next')!;
    const tokenOfPrevious = await tokenOf(before.current);

    const after = await rotateSigningKeys(dataDir, new Date('2026-10-05T09:30:00Z'));
    expect(after.current.kid).toBe(next.kid);
    expect(after.keys.map((candidate) => [candidate.status, candidate.kid])).toEqual([
      ['current', next.kid],
      ['next', expect.not.stringMatching(new RegExp(`^(${before.current.kid}|${next.kid})$`))],
      ['previous', before.current.kid],
    ]);
    expect(after.keys[2]!.rotatedAt).toBe('2026-10-05T09:30:00.000Z');
    // A verifier that fetched the JWKS before the rotation already knows the key that signs after it.
    await expect(verifierOf(before)(await tokenOf(after.current))).resolves.toBeDefined();
    await expect(verifierOf(after)(tokenOfPrevious)).resolves.toBeDefined();
  });

  test("retire: the previous keys leave the JWKS and their tokens are refused; the current key's are not", async () => {
    const dataDir = temporaryDataDir();
    const first = await loadOrCreateKeyRing(dataDir);
    const tokenOfRetired = await tokenOf(first.current);
    const rotated = await rotateSigningKeys(dataDir);
    const { ring, retired } = await retireSigningKeys(dataDir);
    expect(retired.map((candidate) => candidate.kid)).toEqual([first.current.kid]);
    expect(ring.keys.map((candidate) => candidate.status)).toEqual(['current', 'next']);
    expect(publicJwks(ring).keys.map((published) => published.kid)).not.toContain(first.current.kid);
    await expect(verifierOf(ring)(tokenOfRetired)).rejects.toMatchObject({ reason: 'unknown signing key' });
    await expect(verifierOf(ring)(await tokenOf(rotated.current))).resolves.toBeDefined();
    expect((await retireSigningKeys(dataDir)).retired).toEqual([]);
  });
});
