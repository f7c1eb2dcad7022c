import { parseArgs } from 'node:util';
import { UsageError, runCli } from '#devtools/cli-runner';
import { USER_APP_CLIENT } from '#contract/oauth-clients';
import { stackSettings } from '#devtools/stack-settings';
import {
  type KeyRing,
  loadOrCreateKeyRing,
  retireSigningKeys,
  rotateSigningKeys,
  signingKeysFile,
} from '#local/cognito/signing-keys';

/**
 * `npm run keys -- list|rotate|retire`: the local OpenID provider's signing keys (local/cognito/signing-keys.ts).
 * A running stack with the same DATA_DIR re-reads them within a second; a stopped one reads them when it starts.
 */
const USAGE = `Usage: npm run keys -- <list|rotate|retire>
  list    the published keys (the JWKS) and which one signs
  rotate  the next key (already in the JWKS) signs from now on; the current one stays published, so the tokens it
          signed stay valid until they expire; a new next key is published
  retire  drops the previous keys from the JWKS: the tokens they signed are refused from now on
Reads DATA_DIR (default .data) as npm start does.`;

const describeRing = (ring: KeyRing): string =>
  ring.keys
    .map(
      (key) =>
        `  ${key.status.padEnd(8)} ${key.kid}${key.status === 'current' ? '  (signs)' : ''}${key.rotatedAt ? `  (signed until ${key.rotatedAt})` : ''}`,
    )
    .join('\n');

const main = async (args: string[]): Promise<void> => {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.error(USAGE);
    return;
  }
  if (positionals.length !== 1) throw new UsageError('Name one command: list, rotate or retire');
  const { dataDir } = stackSettings();
  const [command] = positionals;
  if (command === 'list') {
    console.log(`${signingKeysFile(dataDir)}\n${describeRing(await loadOrCreateKeyRing(dataDir))}`);
  } else if (command === 'rotate') {
    const ring = await rotateSigningKeys(dataDir);
    console.log(`Rotated: ${ring.current.kid} signs from now on.\n${describeRing(ring)}`);
  } else if (command === 'retire') {
    const { ring, retired } = await retireSigningKeys(dataDir);
    if (retired.length === 0) console.log('No previous key to retire.');
    for (const key of retired) {
      const lastValid = key.rotatedAt
        ? new Date(Date.parse(key.rotatedAt) + USER_APP_CLIENT.accessTokenLifetimeSeconds * 1000).toISOString()
        : 'unknown';
      console.log(
        `Retired ${key.kid}: its tokens are refused from now on (its last ones would have expired by ${lastValid}).`,
      );
    }
    console.log(describeRing(ring));
  } else {
    throw new UsageError(`Unknown command "${command}": list, rotate or retire`);
  }
};

void runCli({ usage: USAGE, main, describeFailure: (error) => `Could not change the signing keys: ${error.message}` });
