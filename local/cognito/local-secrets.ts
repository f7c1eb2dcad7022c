import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { readPrivateJson, replacePrivateFile } from '#local/private-file';

/**
 * The local provider's generated secrets (the confidential clients' secrets, the cookie-signing key), kept under the
 * data dir with mode 0600, never in the repository: made on first start, the same after a restart, so an integration
 * configured with its secret keeps working.
 */
export const secretsFile = (dataDir: string): string => path.join(dataDir, 'oidc', 'secrets.json');

/** 256 bits, base64url: what Cognito's generated client secrets carry, and enough for an HMAC key. */
const newSecret = (): string => randomBytes(32).toString('base64url');

const readSecrets = async (file: string): Promise<Record<string, string>> =>
  (await readPrivateJson<Record<string, string>>(file, 'delete it and the next start makes new secrets')) ?? {};

/** The secret of each name, made for the names that have none yet. */
export const loadOrCreateSecrets = async (
  dataDir: string,
  names: readonly string[],
): Promise<Record<string, string>> => {
  const file = secretsFile(dataDir);
  const secrets = await readSecrets(file);
  const missing = names.filter((name) => typeof secrets[name] !== 'string' || secrets[name] === '');
  if (missing.length === 0) return secrets;
  for (const name of missing) secrets[name] = newSecret();
  await replacePrivateFile(file, JSON.stringify(secrets, null, 2));
  return secrets;
};
