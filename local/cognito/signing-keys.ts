import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type JSONWebKeySet,
  type JWK,
  type SignJWT,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
} from 'jose';
import { replacePrivateFile, temporaryFileFor } from '#local/private-file';

/**
 * The local OpenID provider's signing keys, kept under the data dir so that tokens stay valid across restarts and
 * `npm run token` signs with the key the running stack trusts. A key ring, as Cognito rotates its keys:
 * - `current` signs every new token;
 * - `next` is published in the JWKS before it signs anything, so verifiers that cache the JWKS know it in time;
 * - `previous` keys are published until retired, so the tokens they signed stay valid until they expire.
 * `npm run keys -- rotate` makes next current, current previous and a fresh next; `-- retire` drops the previous keys,
 * whose tokens are then refused. The running stack re-reads the file when it changes.
 */
export const SIGNING_ALGORITHM = 'RS256';

export type KeyStatus = 'current' | 'next' | 'previous';

interface StoredKey {
  status: KeyStatus;
  /** The private JWK, with kid, alg and use. */
  jwk: JWK;
  /** When it stopped signing (a previous key): its last tokens expire an access-token lifetime later. */
  rotatedAt?: string;
}

interface StoredRing {
  keys: StoredKey[];
}

/** What jose signs with (a CryptoKey in Node). */
export type PrivateSigningKey = Parameters<SignJWT['sign']>[0];

export interface SigningKey {
  kid: string;
  status: KeyStatus;
  rotatedAt?: string;
  privateKey: PrivateSigningKey;
  /** The private JWK (for the provider's keystore; never served). */
  privateJwk: JWK;
  /** Public members only, with kid, alg and use: what the JWKS serves. */
  publicJwk: JWK;
}

export interface KeyRing {
  /** The key that signs. */
  current: SigningKey;
  /** Every published key, the current one first (the provider signs with the first key that fits). */
  keys: SigningKey[];
}

export class InvalidKeyRingError extends Error {
  override readonly name = 'InvalidKeyRingError';
}

export const signingKeysFile = (dataDir: string): string => path.join(dataDir, 'oidc', 'signing-keys.json');

/** Where the hand-made issuer before the provider kept its one key: adopted as the first current key. */
const legacySigningKeyFile = (dataDir: string): string => path.join(dataDir, 'token-issuer', 'signing-key.json');

const toSigningKey = async (file: string, stored: StoredKey): Promise<SigningKey> => {
  const { jwk } = stored;
  if (jwk.kty !== 'RSA' || !jwk.d || !jwk.kid) {
    throw new InvalidKeyRingError(`${file} holds a key that is not an RSA private key with a kid; delete the file`);
  }
  // Built from n and e alone, so no private member (d, p, q, dp, dq, qi) can reach the JWKS.
  const publicJwk: JWK = { kty: jwk.kty, n: jwk.n, e: jwk.e, kid: jwk.kid, alg: SIGNING_ALGORITHM, use: 'sig' };
  return {
    kid: jwk.kid,
    status: stored.status,
    rotatedAt: stored.rotatedAt,
    privateKey: await importJWK(jwk, SIGNING_ALGORITHM),
    privateJwk: { ...jwk, alg: SIGNING_ALGORITHM, use: 'sig' },
    publicJwk,
  };
};

const parseRing = async (file: string, text: string): Promise<KeyRing> => {
  let stored: StoredRing;
  try {
    stored = JSON.parse(text) as StoredRing;
  } catch (error) {
    throw new InvalidKeyRingError(`${file} is not JSON; delete it and the next start makes new keys`, { cause: error });
  }
  const keys = await Promise.all((stored.keys ?? []).map((key) => toSigningKey(file, key)));
  const current = keys.filter((key) => key.status === 'current');
  if (current.length !== 1) throw new InvalidKeyRingError(`${file} must hold exactly one current key`);
  const order: KeyStatus[] = ['current', 'next', 'previous'];
  keys.sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
  return { current: current[0]!, keys };
};

const readText = async (file: string): Promise<string | undefined> => {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

const newPrivateJwk = async (): Promise<JWK> => {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint({ kty: jwk.kty!, n: jwk.n!, e: jwk.e! });
  return { ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
};

/** Written whole, then renamed over the old file: a reader (the running stack) never sees half a ring. */
const replaceRing = (file: string, ring: StoredRing): Promise<void> =>
  replacePrivateFile(file, JSON.stringify(ring, null, 2));

const createRing = async (dataDir: string, file: string): Promise<void> => {
  const legacy = await readText(legacySigningKeyFile(dataDir));
  const currentJwk = legacy ? (JSON.parse(legacy) as JWK) : await newPrivateJwk();
  const ring: StoredRing = {
    keys: [
      { status: 'current', jwk: currentJwk },
      { status: 'next', jwk: await newPrivateJwk() },
    ],
  };
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = temporaryFileFor(file);
  await writeFile(temporary, JSON.stringify(ring, null, 2), { mode: 0o600, flag: 'wx' });
  try {
    // Unlike rename, link never replaces: when two first starts race (the stack and `npm run token`), the loser
    // keeps the winner's ring instead of signing with a key the file no longer holds.
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temporary);
  }
};

/** The key ring under the data dir; made on first use (a current and a next key). */
export const loadOrCreateKeyRing = async (dataDir: string): Promise<KeyRing> => {
  const file = signingKeysFile(dataDir);
  const existing = await readText(file);
  if (existing !== undefined) return parseRing(file, existing);
  await createRing(dataDir, file);
  const created = await readText(file);
  if (created === undefined) throw new InvalidKeyRingError(`${file} disappeared while it was being created`);
  return parseRing(file, created);
};

const storedOf = (key: SigningKey): StoredKey => ({
  status: key.status,
  jwk: key.privateJwk,
  ...(key.rotatedAt ? { rotatedAt: key.rotatedAt } : {}),
});

/** Next signs from now on, current becomes previous (still published), and a fresh next is published. */
export const rotateSigningKeys = async (dataDir: string, now = new Date()): Promise<KeyRing> => {
  const ring = await loadOrCreateKeyRing(dataDir);
  const next = ring.keys.find((key) => key.status === 'next');
  const keys: StoredKey[] = [
    // A ring always has a next key; one edited by hand without it gets its next made current at once.
    { status: 'current', jwk: next?.privateJwk ?? (await newPrivateJwk()) },
    { status: 'next', jwk: await newPrivateJwk() },
    { status: 'previous', jwk: ring.current.privateJwk, rotatedAt: now.toISOString() },
    ...ring.keys.filter((key) => key.status === 'previous').map(storedOf),
  ];
  await replaceRing(signingKeysFile(dataDir), { keys });
  return loadOrCreateKeyRing(dataDir);
};

/** Drops the previous keys from the JWKS: the tokens they signed are refused from now on. */
export const retireSigningKeys = async (dataDir: string): Promise<{ ring: KeyRing; retired: SigningKey[] }> => {
  const ring = await loadOrCreateKeyRing(dataDir);
  const retired = ring.keys.filter((key) => key.status === 'previous');
  const kept = ring.keys.filter((key) => key.status !== 'previous');
  await replaceRing(signingKeysFile(dataDir), { keys: kept.map(storedOf) });
  return { ring: await loadOrCreateKeyRing(dataDir), retired };
};

/** The JWKS: every published key's public members. */
export const publicJwks = (ring: KeyRing): JSONWebKeySet => ({ keys: ring.keys.map((key) => ({ ...key.publicJwk })) });
