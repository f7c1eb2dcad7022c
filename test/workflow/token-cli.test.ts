import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { INTEGRATION_SCOPES, OPERATIONS_SCOPES, USER_APP_SCOPES } from '#contract/scopes';
import {
  LOCAL_CLIENT_IDS,
  LOCAL_INTEGRATION_CLIENT_ID,
  LOCAL_OPERATIONS_CLIENT_ID,
  LOCAL_USER_APP_CLIENT_ID,
} from '#contract/oauth-clients';
import { issuerUrl, verifyAccessToken } from '#local/cognito/access-tokens';
import { loadOrCreateKeyRing, publicJwks } from '#local/cognito/signing-keys';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { scratchDir } from '../support/scratch-dir';
import { typeScriptProcess } from '#devtools/typescript-process';

const PORT = 4123;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run token -- <args>` without npm's own output: the command behind the script. */
const tokenCli = (args: string[], dataDir: string): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      ...typeScriptProcess('local/cli/token-cli.ts', args),
      { cwd: REPOSITORY_ROOT, env: { ...process.env, DATA_DIR: dataDir, PORT: String(PORT) } },
      (error, stdout, stderr) => resolve({ status: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });

/** What the local stack with the same DATA_DIR and PORT makes of the token. */
const verifiedByStack = async (token: string, dataDir: string) =>
  verifyAccessToken(token, {
    jwks: publicJwks(await loadOrCreateKeyRing(dataDir)),
    issuer: issuerUrl(PORT),
    allowedClientIds: LOCAL_CLIENT_IDS,
  });

describe('npm run token', () => {
  test("prints one token alone, for the user and the stack's issuer, with a user app's scopes", async () => {
    const dataDir = scratchDir('token-cli-');
    const userId = randomUUID();
    const run = await tokenCli(['--user', userId], dataDir);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    await expect(verifiedByStack(run.stdout.trim(), dataDir)).resolves.toEqual({
      sub: userId,
      clientId: LOCAL_USER_APP_CLIENT_ID,
      scope: USER_APP_SCOPES.join(' '),
    });
  });

  test("an integration's token is its own subject, with an integration's scopes and the lifetime asked for", async () => {
    const dataDir = scratchDir('token-cli-');
    const run = await tokenCli(['--client', LOCAL_INTEGRATION_CLIENT_ID, '--expires-in', '60'], dataDir);
    expect(run.status).toBe(0);
    const token = run.stdout.trim();
    await expect(verifiedByStack(token, dataDir)).resolves.toEqual({
      sub: LOCAL_INTEGRATION_CLIENT_ID,
      clientId: LOCAL_INTEGRATION_CLIENT_ID,
      scope: INTEGRATION_SCOPES.join(' '),
    });
    const { exp, iat } = decodeJwt(token);
    expect((exp ?? 0) - (iat ?? 0)).toBe(60);
  });

  test("operations' token (--client local-operations) is its own subject, with reports-admin and read and nothing that writes", async () => {
    const dataDir = scratchDir('token-cli-');
    const run = await tokenCli(['--client', LOCAL_OPERATIONS_CLIENT_ID], dataDir);
    expect(run.status).toBe(0);
    expect(run.stderr).not.toContain('accepts only the clients');
    await expect(verifiedByStack(run.stdout.trim(), dataDir)).resolves.toEqual({
      sub: LOCAL_OPERATIONS_CLIENT_ID,
      clientId: LOCAL_OPERATIONS_CLIENT_ID,
      scope: OPERATIONS_SCOPES.join(' '),
    });
  });

  test('--scope replaces the default scopes', async () => {
    const dataDir = scratchDir('token-cli-');
    const run = await tokenCli(['--user', randomUUID(), '--scope', 'payments/read'], dataDir);
    expect((await verifiedByStack(run.stdout.trim(), dataDir)).scope).toBe('payments/read');
  });

  test('wrong arguments: exit code 2, the reason and the usage on stderr, nothing on stdout', async () => {
    const dataDir = scratchDir('token-cli-');
    const userId = randomUUID();
    const cases: Array<[string[], string]> = [
      [[], '--user <uuid> is required'],
      [['--user', 'alice'], '--user must be a user id'],
      [['--user', userId, '--expires-in', 'soon'], '--expires-in must be a positive whole number'],
      [['--user', userId, '--scope', ' '], '--scope needs at least one scope'],
      [['--user'], "Option '--user <value>' argument missing"],
      [['--user', userId, '--audience', 'x'], "Unknown option '--audience'"],
    ];
    const runs = await Promise.all(cases.map(([args]) => tokenCli(args, dataDir)));
    runs.forEach((run, index) => {
      expect(run).toEqual({ status: 2, stdout: '', stderr: expect.stringContaining(cases[index]![1]) });
      expect(run.stderr).toContain('Usage: npm run token');
    });
  });
});
