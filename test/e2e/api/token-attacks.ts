import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { SignJWT, type JWTPayload, exportSPKI, generateKeyPair, importJWK } from 'jose';
import { INTEGRATION_SCOPES, SCOPES, USER_APP_SCOPES } from '#contract/scopes';
import * as oidc from 'openid-client';
import { LOCAL_INTEGRATION_CLIENT_ID, LOCAL_USER_APP_CLIENT_ID } from '#contract/oauth-clients';
import { issuerUrl } from '#local/cognito/access-tokens';
import { type PrivateSigningKey, type SigningKey, loadOrCreateKeyRing } from '#local/cognito/signing-keys';
import { testDocumentClient } from '../../support/dynamodb';
import { expectNothingWritten, expectProblem } from '../../support/expectations';
import { apiFor, submit } from '../../support/http';
import { clientByDiscovery } from '../../support/openid-client';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { paymentSubmission } from '#devtools/submissions';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { sharedApiStack } from '../../support/api-stack';
import { typeScriptProcess } from '#devtools/typescript-process';

/**
 * Forged and misused tokens sent over HTTP to a running local stack. Each is built by hand
 * here (not by the provider under test), with the key its OpenID provider signs with, so a check
 * the verifier forgot shows up as a 201; then the provider's own tokens, spoilt after issue.
 */
const documentClient = testDocumentClient();
let stack: RunningLocalStack;
let key: SigningKey;

beforeAll(async () => {
  stack = await sharedApiStack();
  // The key the stack's OpenID provider signs with: a forgery below differs from its tokens by its one fault.
  key = (await loadOrCreateKeyRing(stack.dataDir)).current;
});

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The claims of a good access token of the user app for this user: each case spoils one. */
const goodClaims = (sub: string): JWTPayload => {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub,
    iss: issuerUrl(stack.port),
    client_id: LOCAL_USER_APP_CLIENT_ID,
    scope: USER_APP_SCOPES.join(' '),
    token_use: 'access',
    username: sub,
    iat: now,
    exp: now + 3600,
    jti: randomUUID(),
  };
};

const signRs256 = (
  claims: JWTPayload,
  privateKey: PrivateSigningKey = key.privateKey,
  kid = key.kid,
): Promise<string> => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey);

const forgeries: [string, (sub: string) => Promise<string>][] = [
  ['alg none', async (sub) => `${base64url({ alg: 'none', typ: 'JWT', kid: key.kid })}.${base64url(goodClaims(sub))}.`],
  [
    'HS256 signed with the public key as the HMAC secret',
    async (sub) => {
      const publicPem = await exportSPKI((await importJWK(key.publicJwk, 'RS256')) as Parameters<typeof exportSPKI>[0]);
      return new SignJWT(goodClaims(sub))
        .setProtectedHeader({ alg: 'HS256', kid: key.kid })
        .sign(new TextEncoder().encode(publicPem));
    },
  ],
  [
    'an unknown kid',
    async (sub) => signRs256(goodClaims(sub), (await generateKeyPair('RS256')).privateKey, 'attacker-key'),
  ],
  [
    'another key under the known kid',
    async (sub) => signRs256(goodClaims(sub), (await generateKeyPair('RS256')).privateKey),
  ],
  ['no kid', async (sub) => new SignJWT(goodClaims(sub)).setProtectedHeader({ alg: 'RS256' }).sign(key.privateKey)],
  ['expired', async (sub) => signRs256({ ...goodClaims(sub), exp: Math.floor(Date.now() / 1000) - 60 })],
  ['not yet valid', async (sub) => signRs256({ ...goodClaims(sub), nbf: Math.floor(Date.now() / 1000) + 3600 })],
  [
    'a wrong issuer',
    async (sub) =>
      signRs256({ ...goodClaims(sub), iss: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_attacker' }),
  ],
  ['an ID token', async (sub) => signRs256({ ...goodClaims(sub), token_use: 'id', aud: LOCAL_USER_APP_CLIENT_ID })],
  ['a token of another client', async (sub) => signRs256({ ...goodClaims(sub), client_id: 'someone-elses-app' })],
  [
    'tampered claims (a user token given the on-behalf scope after signing)',
    async (sub) => {
      const [header, , signature] = (await signRs256(goodClaims(sub))).split('.');
      const tampered = { ...goodClaims(sub), scope: `${SCOPES.write} ${SCOPES.submitOnBehalf}` };
      return `${header}.${base64url(tampered)}.${signature}`;
    },
  ],
  [
    'tampered claims (the subject changed after signing)',
    async (sub) => {
      const [header, payload, signature] = (await signRs256(goodClaims(randomUUID()))).split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as JWTPayload;
      return `${header}.${base64url({ ...claims, sub, username: sub })}.${signature}`;
    },
  ],
];

test('the hand-built claims are accepted when nothing is spoilt (so each refusal below is for its one fault)', async () => {
  const userId = randomUUID();
  const body = paymentSubmission({ userId });
  expect((await submit(stack.url, await signRs256(goodClaims(userId)), body)).status).toBe(201);
});

test.each(forgeries)('401: %s, and nothing is written', async (_case, forge) => {
  const userId = randomUUID();
  const body = paymentSubmission({ userId });
  const answer = await submit(stack.url, await forge(userId), body);
  expectProblem(answer, 401, 'unauthorized');
  expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
  await expectNothingWritten(documentClient, stack.tableNames, body.id);
});

test.each([
  // Refused by the gateway before any workflow runs, as by the authorizer's method scopes in AWS.
  [
    'a valid token without the write scope',
    (userId: string) => ({ ...goodClaims(userId), scope: SCOPES.read }),
    'missing-scope',
  ],
  ['a valid token of another user', () => goodClaims(randomUUID()), 'not-payment-owner'],
])('403: %s, and nothing is written', async (_case, claims, type) => {
  const userId = randomUUID();
  const body = paymentSubmission({ userId });
  const answer = await submit(stack.url, await signRs256(claims(userId)), body);
  expectProblem(answer, 403, type);
  await expectNothingWritten(documentClient, stack.tableNames, body.id);
});

describe("the provider's own tokens (client credentials of the trusted integration), spoilt after issue", () => {
  const providerToken = async (): Promise<string> => {
    const secret = (await stack.clientSecrets())[LOCAL_INTEGRATION_CLIENT_ID]!;
    const integration = await clientByDiscovery(
      stack.issuer,
      LOCAL_INTEGRATION_CLIENT_ID,
      oidc.ClientSecretBasic(secret),
    );
    return (await oidc.clientCredentialsGrant(integration, { scope: INTEGRATION_SCOPES.join(' ') })).access_token;
  };
  const parts = (token: string) => {
    const [header, payload, signature] = token.split('.') as [string, string, string];
    return { header, claims: JSON.parse(Buffer.from(payload, 'base64url').toString()) as JWTPayload, signature };
  };

  test('untouched, it is accepted (201)', async () => {
    const body = paymentSubmission({ userId: randomUUID() });
    expect((await submit(stack.url, await providerToken(), body)).status).toBe(201);
  });

  test.each<[string, (token: string) => Promise<string> | string]>([
    [
      'its claims changed (another client id) with the signature kept',
      (token) => {
        const { header, claims, signature } = parts(token);
        return `${header}.${base64url({ ...claims, client_id: 'someone-elses-app' })}.${signature}`;
      },
    ],
    [
      'its lifetime extended with the signature kept',
      (token) => {
        const { header, claims, signature } = parts(token);
        return `${header}.${base64url({ ...claims, exp: (claims.exp ?? 0) + 86_400 })}.${signature}`;
      },
    ],
    [
      'its header switched to alg none',
      (token) => `${base64url({ alg: 'none', kid: key.kid })}.${token.split('.')[1]}.`,
    ],
    [
      're-signed by an attacker key under its kid',
      async (token) => signRs256(parts(token).claims, (await generateKeyPair('RS256')).privateKey),
    ],
    ['its signature cut off', (token) => token.split('.').slice(0, 2).join('.') + '.'],
  ])('401: %s, and nothing is written', async (_case, spoil) => {
    const body = paymentSubmission({ userId: randomUUID() });
    const answer = await submit(stack.url, await spoil(await providerToken()), body);
    expectProblem(answer, 401, 'unauthorized');
    await expectNothingWritten(documentClient, stack.tableNames, body.id);
  });
});

test('a token whose sub is the user id in upper case is that user: 201 on its own payment, and it reads the payment and its month', async () => {
  const userId = randomUUID();
  const token = await stack.token({ sub: userId.toUpperCase() });
  // The body in either case: both are the same user id, stored lower case.
  const bodies = [paymentSubmission({ userId }), paymentSubmission({ userId: userId.toUpperCase() })];
  for (const body of bodies) expect((await submit(stack.url, token, body)).status).toBe(201);

  const api = apiFor(stack.url, token);
  const one = await api.GET('/payments/{id}', { params: { path: { id: bodies[0]!.id } } });
  expect(one.response.status).toBe(200);
  expect(one.data).toMatchObject({ id: bodies[0]!.id, userId });
  const month = await api.GET('/payments', { params: { query: { month: '2026-10' } } });
  expect((month.data?.payments ?? []).map((payment) => payment.id).sort()).toEqual(
    bodies.map((body) => body.id).sort(),
  );

  // Another user's id in upper case is still another user.
  const other = paymentSubmission({ userId: randomUUID() });
  expectProblem(await submit(stack.url, token, other), 403, 'not-payment-owner');
  await expectNothingWritten(documentClient, stack.tableNames, other.id);
});

test("operations' token from `npm run token -- --client local-operations`: the stack accepts it for a run's summary and refuses it a submission (403, refused by the gateway before any workflow)", async () => {
  const { stdout } = await promisify(execFile)(
    ...typeScriptProcess('local/cli/token-cli.ts', ['--client', 'local-operations']),
    {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, ...stack.settingsEnv },
    },
  );
  const token = stdout.trim();
  // No report run for a month this far back: 404, past the token and the scope checks.
  const summary = await apiFor(stack.url, token).GET('/reports/{month}/summary', {
    params: { path: { month: '2001-01' } },
  });
  expect(summary.response.status).toBe(404);
  const body = paymentSubmission({ userId: randomUUID() });
  expectProblem(await submit(stack.url, token, body), 403, 'missing-scope');
  await expectNothingWritten(documentClient, stack.tableNames, body.id);
});
