import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { INTEGRATION_SCOPES, OPERATIONS_SCOPES, SCOPES, USER_APP_SCOPES, parseScopeClaim } from '#contract/scopes';
import { UUID_V4_PATTERN } from '#domain/payment-schema';
import {
  LOCAL_INTEGRATION_CLIENT_ID,
  LOCAL_OPERATIONS_CLIENT_ID,
  LOCAL_USER_APP_CLIENT_ID,
  MACHINE_CLIENTS,
} from '#contract/oauth-clients';
import { type AccessTokenClaims, issueAccessToken, issuerUrl } from '#local/cognito/access-tokens';
import { loadOrCreateKeyRing, signingKeysFile } from '#local/cognito/signing-keys';
import { stackSettings } from '#devtools/stack-settings';
import { UsageError, runCli } from '#devtools/cli-runner';

/**
 * `npm run token -- --user <uuid> [--scope "a b"] [--client <id>] [--expires-in <seconds>]`:
 * an access token the local stack with the same DATA_DIR and PORT accepts, signed with its OpenID provider's current
 * key, alone on stdout so that `TOKEN=$(npm run --silent token -- --user …)` works; every note goes to stderr. (A real
 * client signs in, or asks the provider's token endpoint: this is for scripts and tests.)
 */
const USAGE = `Usage: npm run token -- --user <uuid> [--scope "<scope> <scope>"] [--client <id>] [--expires-in <seconds>]
  --user        the user id the token is for (its sub); optional with --client ${LOCAL_INTEGRATION_CLIENT_ID}
                or ${LOCAL_OPERATIONS_CLIENT_ID} (client credentials: the sub is the client id)
  --scope       space-separated scopes; default ${USER_APP_SCOPES.join(' ')},
                ${INTEGRATION_SCOPES.join(' ')} with --client ${LOCAL_INTEGRATION_CLIENT_ID},
                ${OPERATIONS_SCOPES.join(' ')} with --client ${LOCAL_OPERATIONS_CLIENT_ID}
  --client      ${LOCAL_USER_APP_CLIENT_ID} (default), ${LOCAL_INTEGRATION_CLIENT_ID} or ${LOCAL_OPERATIONS_CLIENT_ID}
  --expires-in  lifetime in seconds (default 3600)
Reads DATA_DIR (default .data) and PORT (default 3000) as npm start does.`;

const UUID_V4 = new RegExp(UUID_V4_PATTERN);
const MACHINE_CLIENT_SCOPES = new Map<string, readonly string[]>(
  MACHINE_CLIENTS.map((client) => [client.localId, client.scopes]),
);
const KNOWN_CLIENTS = [LOCAL_USER_APP_CLIENT_ID, ...MACHINE_CLIENT_SCOPES.keys()];
const KNOWN_SCOPES: readonly string[] = Object.values(SCOPES);

interface TokenRequest extends Omit<AccessTokenClaims, 'issuer'> {
  notes: string[];
}

const parseRequest = (args: string[]): TokenRequest | 'help' => {
  // A parseArgs error (unknown option, missing value) is a usage error to runCli too.
  const { values } = parseArgs({
    args,
    options: {
      user: { type: 'string' },
      scope: { type: 'string' },
      client: { type: 'string', default: LOCAL_USER_APP_CLIENT_ID },
      'expires-in': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';

  const clientId = values.client;
  if (clientId === '') throw new UsageError('--client needs a client id');
  // The client-credentials clients: their token's subject is the client itself, as in Cognito.
  const machineScopes = MACHINE_CLIENT_SCOPES.get(clientId);
  const sub = values.user ?? (machineScopes ? clientId : undefined);
  if (sub === undefined) throw new UsageError('--user <uuid> is required');
  if (values.user !== undefined && !UUID_V4.test(values.user)) {
    throw new UsageError(`--user must be a user id, a UUID v4 like the payments' userId (got "${values.user}")`);
  }

  const scopes = values.scope === undefined ? [...(machineScopes ?? USER_APP_SCOPES)] : parseScopeClaim(values.scope);
  if (scopes.length === 0) throw new UsageError('--scope needs at least one scope');

  const expiresIn = values['expires-in'];
  if (expiresIn !== undefined && !/^[1-9]\d*$/.test(expiresIn)) {
    throw new UsageError(`--expires-in must be a positive whole number of seconds (got "${expiresIn}")`);
  }

  const unknownScopes = scopes.filter((scope) => !KNOWN_SCOPES.includes(scope));
  return {
    sub,
    clientId,
    scope: scopes.join(' '),
    expiresInSeconds: expiresIn === undefined ? undefined : Number(expiresIn),
    notes: [
      ...(KNOWN_CLIENTS.includes(clientId)
        ? []
        : [`note: the local stack accepts only the clients ${KNOWN_CLIENTS.join(', ')}`]),
      ...(unknownScopes.length > 0 ? [`note: the API defines no scope ${unknownScopes.join(', ')}`] : []),
    ],
  };
};

const main = async (args: string[]): Promise<void> => {
  const request = parseRequest(args);
  if (request === 'help') {
    console.error(USAGE);
    return;
  }
  const { port, dataDir } = stackSettings();
  const issuer = issuerUrl(port);
  if (!existsSync(signingKeysFile(dataDir))) {
    request.notes.push(
      `note: no signing keys in ${dataDir} yet; made them, which npm start with this DATA_DIR will trust`,
    );
  }
  const { notes, ...claims } = request;
  const token = await issueAccessToken((await loadOrCreateKeyRing(dataDir)).current, { issuer, ...claims });
  for (const note of notes) console.error(note);
  process.stdout.write(`${token}\n`);
};

void runCli({ usage: USAGE, main, describeFailure: (error) => `Could not issue a token: ${error.message}` });
