import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import { LOCAL_INTEGRATION_CLIENT_ID } from '#contract/oauth-clients';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { INTEGRATION_SCOPES } from '#contract/scopes';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { paymentSubmission } from '#devtools/submissions';
import { expectProblem } from '../support/expectations';
import { submit } from '../support/http';
import { clientByDiscovery } from '../support/openid-client';
import { pollFor } from '#devtools/polling';
import { typeScriptProcess } from '#devtools/typescript-process';

/**
 * `npm run keys -- rotate|retire` against a running stack: the next key is in the JWKS before it signs, tokens of the
 * previous key stay good until retired, a retired key's tokens are refused; the stack picks each change up by itself.
 */
let stack: RunningLocalStack;
let integration: oidc.Configuration;

beforeAll(async () => {
  stack = await startLocalStack();
  const secret = (await stack.clientSecrets())[LOCAL_INTEGRATION_CLIENT_ID]!;
  integration = await clientByDiscovery(stack.issuer, LOCAL_INTEGRATION_CLIENT_ID, oidc.ClientSecretBasic(secret));
});

afterAll(async () => {
  await stack?.stop();
});

const keysCli = async (command: string): Promise<string> =>
  (
    await promisify(execFile)(...typeScriptProcess('local/cli/keys-cli.ts', [command]), {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, ...stack.settingsEnv },
    })
  ).stdout;

const publishedKids = async (): Promise<string[]> =>
  ((await (await fetch(`${stack.issuer}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys.map(
    (key) => key.kid,
  );

const providerToken = async (): Promise<string> =>
  (await oidc.clientCredentialsGrant(integration, { scope: INTEGRATION_SCOPES.join(' ') })).access_token;

const kidOf = (token: string): string => decodeProtectedHeader(token).kid!;

/** Until the running stack publishes what the file says (it polls the key file). */
const waitForJwks = (matches: (kids: string[]) => boolean): Promise<string[]> =>
  pollFor(
    async () => {
      const kids = await publishedKids();
      return matches(kids) ? kids : undefined;
    },
    {
      timeoutMs: 10_000,
      failure: async () => `The stack's JWKS did not change: ${(await publishedKids()).join(', ')}`,
    },
  );

const submitted = async (token: string): Promise<number> =>
  (await submit(stack.url, token, paymentSubmission({ userId: randomUUID() }))).status;

test('rotate publishes the next key before it signs; retire refuses the old key, and only it', async () => {
  const before = await publishedKids();
  const oldToken = await providerToken();
  const oldKid = kidOf(oldToken);
  expect(before[0]).toBe(oldKid);
  const [, nextKid] = before as [string, string];
  // The key that will sign next is published already.
  expect(nextKid).not.toBe(oldKid);

  expect(await keysCli('rotate')).toContain(`${nextKid} signs from now on`);
  const rotated = await waitForJwks((kids) => kids[0] === nextKid);
  expect(rotated).toEqual([nextKid, expect.any(String), oldKid]);
  const newToken = await providerToken();
  expect(kidOf(newToken)).toBe(nextKid);
  // npm run token signs with the provider's current key too.
  expect(kidOf(await stack.token({ sub: randomUUID() }))).toBe(nextKid);
  expect(await submitted(newToken)).toBe(201);
  expect(await submitted(oldToken)).toBe(201);

  expect(await keysCli('retire')).toContain(`Retired ${oldKid}`);
  await waitForJwks((kids) => !kids.includes(oldKid));
  const refused = await submit(stack.url, oldToken, paymentSubmission({ userId: randomUUID() }));
  expectProblem(refused, 401, 'unauthorized');
  expect(refused.body.detail).toContain('unknown signing key');
  expect(await submitted(newToken)).toBe(201);
});
