import { randomUUID } from 'node:crypto';
import { type JWTPayload, decodeJwt, decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  LOCAL_INTEGRATION_CLIENT_ID,
  LOCAL_OPERATIONS_CLIENT_ID,
  LOCAL_USER_APP_CLIENT_ID,
  USER_APP_CLIENT,
  USER_APP_OPENID_SCOPES,
  urlsAt,
} from '#contract/oauth-clients';
import { INTEGRATION_SCOPES, OPERATIONS_SCOPES, SCOPES, USER_APP_SCOPES } from '#contract/scopes';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { paymentSubmission } from '#devtools/submissions';
import { watchForPageErrors } from '../../support/browser';
import { ACCESS_TOKEN_SECONDS, sharedSessionsStack } from '../../support/sessions-stack';
import { testDocumentClient } from '../../support/dynamodb';
import { expectNothingWritten, expectProblem } from '../../support/expectations';
import { apiFor, submit } from '../../support/http';
import { clientByDiscovery, oauthErrorOf, userAppByDiscovery } from '../../support/openid-client';
import { pollFor, pollUntil } from '#devtools/polling';

/**
 * The local OpenID provider spoken to as a real client speaks to it: openid-client 6 (a certified relying-party
 * library) for discovery and every token request, and a person's sign-in in headless Chromium. The stack's access
 * tokens live ACCESS_TOKEN_SECONDS, so the refresh test sees one expire.
 */
const USER_SCOPE = [...USER_APP_OPENID_SCOPES, ...USER_APP_SCOPES].join(' ');

const documentClient = testDocumentClient();
let stack: RunningLocalStack;
let browser: Browser;
let userApp: oidc.Configuration;
let callbackUrl: string;

beforeAll(async () => {
  [stack, browser] = await sharedSessionsStack();
  userApp = await userAppByDiscovery(stack.issuer);
  [callbackUrl] = urlsAt(stack.issuer, USER_APP_CLIENT.callbackPaths) as [string];
});

interface Authorization {
  verifier: string;
  state: string;
  redirectUri: string;
  url: URL;
}

const newAuthorization = async (redirectUri = callbackUrl): Promise<Authorization> => {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(userApp, {
    redirect_uri: redirectUri,
    scope: USER_SCOPE,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  return { verifier, state, redirectUri, url };
};

/**
 * A browser page whose requests to the app's URLs are answered here (the web app is not part of this test): the URL
 * the provider redirected to is what a client reads its code from. Chromium's own interception (CDP Fetch) sees each
 * hop of a redirect chain, which Playwright's route() does not, and the page never reaches the real app, which would
 * otherwise spend the code.
 */
const appPage = async (context: BrowserContext): Promise<{ page: Page; arrivals: URL[] }> => {
  const page = await context.newPage();
  const arrivals: URL[] = [];
  const appPaths = [...USER_APP_CLIENT.callbackPaths, ...USER_APP_CLIENT.logoutPaths];
  const cdp = await context.newCDPSession(page);
  cdp.on('Fetch.requestPaused', (event: { requestId: string; request: { url: string } }) => {
    const url = new URL(event.request.url);
    if (url.origin === stack.issuer && appPaths.includes(url.pathname)) {
      arrivals.push(url);
      void cdp.send('Fetch.fulfillRequest', {
        requestId: event.requestId,
        responseCode: 200,
        responseHeaders: [{ name: 'Content-Type', value: 'text/html' }],
        // With an icon of its own, so the browser asks the gateway for no /favicon.ico.
        body: Buffer.from('<!doctype html><link rel="icon" href="data:,"><p>the app</p>').toString('base64'),
      });
    } else {
      void cdp.send('Fetch.continueRequest', { requestId: event.requestId });
    }
  });
  await cdp.send('Fetch.enable', {
    patterns: [{ urlPattern: `${stack.issuer}/app/*` }, { urlPattern: `${stack.issuer}/docs/*` }],
  });
  return { page, arrivals };
};

const appContext = async (): Promise<{ context: BrowserContext; page: Page; arrivals: URL[] }> => {
  const context = await browser.newContext();
  return { context, ...(await appPage(context)) };
};

const arrivalAt = (arrivals: URL[], pathname: string, after: number): Promise<URL> =>
  pollFor(() => arrivals.slice(after).find((url) => url.pathname === pathname), {
    timeoutMs: 15_000,
    intervalMs: 50,
    failure: () => `The browser never reached ${pathname}`,
  });

/** Signs in as a person does: the form filled by its labels, the button clicked, then consent given. */
const signIn = async (page: Page, authorization: Authorization, email: string, arrivals: URL[]): Promise<URL> => {
  const before = arrivals.length;
  await page.goto(authorization.url.href);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('local');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Allow' }).click();
  return arrivalAt(arrivals, new URL(authorization.redirectUri).pathname, before);
};

/**
 * Another authorization in a browser already signed in: the provider redirects at once, or after consent is given
 * again when an earlier test's refused exchange revoked the grant (a reused code revokes what it issued).
 */
const authorizeAgain = async (page: Page, authorization: Authorization, arrivals: URL[]): Promise<URL> => {
  const before = arrivals.length;
  await page.goto(authorization.url.href);
  if (arrivals.length === before) await page.getByRole('button', { name: 'Allow' }).click();
  return arrivalAt(arrivals, new URL(authorization.redirectUri).pathname, before).catch(async (error: Error) => {
    throw new Error(`${error.message}: the page is at ${page.url()}: ${await page.locator('body').textContent()}`);
  });
};

const waitUntilRefused = (token: string): Promise<void> =>
  pollUntil(
    async () =>
      (await apiFor(stack.url, token).GET('/payments', { params: { query: { month: '2026-10' } } })).response.status ===
      401,
    { timeoutMs: 30_000, intervalMs: 500, failure: () => 'The expired access token was still accepted after 30 s' },
  );

describe('discovery', () => {
  test("the discovery document names the issuer, Cognito's endpoint paths, PKCE S256 and the JWKS", async () => {
    const metadata = userApp.serverMetadata();
    expect(metadata).toMatchObject({
      issuer: stack.issuer,
      authorization_endpoint: `${stack.issuer}/oauth2/authorize`,
      token_endpoint: `${stack.issuer}/oauth2/token`,
      userinfo_endpoint: `${stack.issuer}/oauth2/userInfo`,
      revocation_endpoint: `${stack.issuer}/oauth2/revoke`,
      end_session_endpoint: `${stack.issuer}/logout`,
      jwks_uri: `${stack.issuer}/.well-known/jwks.json`,
      code_challenge_methods_supported: ['S256'],
    });
    const jwks = (await (await fetch(metadata.jwks_uri!)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.length).toBeGreaterThanOrEqual(2);
    for (const key of jwks.keys) expect(key).not.toHaveProperty('d');
  });
});

describe('authorization code + PKCE, signed in by a person in Chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let arrivals: URL[];
  let pageErrors: string[];
  const email = `customer-${randomUUID()}@example.com`;
  let userId: string;

  beforeAll(async () => {
    ({ context, page, arrivals } = await appContext());
    pageErrors = watchForPageErrors(page);
  });
  afterAll(async () => context?.close());

  /** A new authorization by the person already signed in, its code exchanged as the app exchanges it. */
  const tokensOfNewAuthorization = async () => {
    const authorization = await newAuthorization();
    const arrival = await authorizeAgain(page, authorization, arrivals);
    return oidc.authorizationCodeGrant(userApp, arrival, {
      pkceCodeVerifier: authorization.verifier,
      expectedState: authorization.state,
    });
  };

  test('the sign-in page: labelled fields, no script, a strict CSP; a wrong password keeps the user there', async () => {
    const authorization = await newAuthorization();
    const answer = await page.goto(authorization.url.href);
    expect(new URL(page.url()).pathname).toMatch(/^\/interaction\//);
    const csp = answer!.headers()['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await page.locator('script').count()).toBe(0);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('not-local');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('password "local"');
    expect(arrivals).toHaveLength(0);
  });

  test("sign in, consent listing the scopes, code exchanged with the verifier: tokens shaped like Cognito's", async () => {
    const authorization = await newAuthorization();
    const before = arrivals.length;
    await page.goto(authorization.url.href);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('local');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const consent = await page.locator('main').textContent();
    for (const scope of USER_SCOPE.split(' ')) expect(consent).toContain(scope);
    await page.getByRole('button', { name: 'Allow' }).click();
    const arrival = await arrivalAt(arrivals, '/app/callback', before);
    expect(arrival.searchParams.get('state')).toBe(authorization.state);

    const tokens = await oidc.authorizationCodeGrant(userApp, arrival, {
      pkceCodeVerifier: authorization.verifier,
      expectedState: authorization.state,
    });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const claims = decodeJwt(tokens.access_token);
    userId = claims.sub!;
    expect(userId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(claims).toMatchObject({
      sub: userId,
      username: userId,
      client_id: LOCAL_USER_APP_CLIENT_ID,
      token_use: 'access',
      iss: stack.issuer,
      jti: expect.any(String),
    } satisfies JWTPayload);
    expect((claims.scope as string).split(' ').sort()).toEqual(USER_SCOPE.split(' ').sort());
    expect(claims.exp! - claims.iat!).toBe(ACCESS_TOKEN_SECONDS);
    const header = decodeProtectedHeader(tokens.access_token);
    expect(header.alg).toBe('RS256');
    const published = (await (await fetch(`${stack.issuer}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    expect(published.keys.map((key) => key.kid)).toContain(header.kid);
    expect(tokens.claims()).toMatchObject({ sub: userId, email, aud: LOCAL_USER_APP_CLIENT_ID });

    // The gateway takes the provider's token: the user's own payment is stored.
    const body = paymentSubmission({ userId });
    expect((await submit(stack.url, tokens.access_token, body)).status).toBe(201);
    // userInfo takes the same access token, as Cognito's does.
    await expect(oidc.fetchUserInfo(userApp, tokens.access_token, userId)).resolves.toMatchObject({
      sub: userId,
      email,
    });
    expect(pageErrors).toEqual([]);
  });

  test('a code is exchanged once: the second exchange is refused', async () => {
    const authorization = await newAuthorization();
    const arrival = await authorizeAgain(page, authorization, arrivals);
    const checks = { pkceCodeVerifier: authorization.verifier, expectedState: authorization.state };
    await oidc.authorizationCodeGrant(userApp, arrival, checks);
    expect(await oauthErrorOf(oidc.authorizationCodeGrant(userApp, arrival, checks))).toBe('invalid_grant');
  });

  test('an exchange without the verifier, or with a verifier of another request, is refused (PKCE required)', async () => {
    const authorization = await newAuthorization();
    const arrival = await authorizeAgain(page, authorization, arrivals);
    expect(
      await oauthErrorOf(oidc.authorizationCodeGrant(userApp, arrival, { expectedState: authorization.state })),
    ).toBe('invalid_grant');
    const other = await newAuthorization();
    const another = await authorizeAgain(page, other, arrivals);
    expect(
      await oauthErrorOf(
        oidc.authorizationCodeGrant(userApp, another, {
          pkceCodeVerifier: authorization.verifier,
          expectedState: other.state,
        }),
      ),
    ).toBe('invalid_grant');
  });

  test('an authorization without a PKCE challenge is refused before any code is issued', async () => {
    const url = oidc.buildAuthorizationUrl(userApp, { redirect_uri: callbackUrl, scope: USER_SCOPE, state: 'x' });
    const before = arrivals.length;
    await page.goto(url.href);
    const arrival = await arrivalAt(arrivals, '/app/callback', before);
    expect(arrival.searchParams.get('error')).toBe('invalid_request');
    expect(arrival.searchParams.has('code')).toBe(false);
  });

  test('an exchange naming another redirect URI than the authorization did is refused', async () => {
    const authorization = await newAuthorization();
    const arrival = await authorizeAgain(page, authorization, arrivals);
    // openid-client sends the URL the code arrived at as redirect_uri: here another registered one.
    const elsewhere = new URL(arrival);
    elsewhere.pathname = '/docs/oauth2-redirect.html';
    const checks = { pkceCodeVerifier: authorization.verifier, expectedState: authorization.state };
    expect(await oauthErrorOf(oidc.authorizationCodeGrant(userApp, elsewhere, checks))).toBe('invalid_grant');
  });

  test('a redirect URI that is not registered exactly is refused at the authorization endpoint (no redirect)', async () => {
    for (const unregistered of [`${callbackUrl}/`, `${callbackUrl}?x=1`, 'http://localhost:1/app/callback']) {
      const authorization = await newAuthorization(unregistered);
      const before = arrivals.length;
      const answer = await page.goto(authorization.url.href);
      expect(answer!.status()).toBe(400);
      expect(await page.locator('main').textContent()).toContain('redirect_uri');
      expect(arrivals.length).toBe(before);
    }
  });

  test('state is checked: an answer with another state, or none, is refused before the code is sent', async () => {
    const authorization = await newAuthorization();
    const arrival = await authorizeAgain(page, authorization, arrivals);
    expect(arrival.searchParams.get('state')).toBe(authorization.state);
    await expect(
      oidc.authorizationCodeGrant(userApp, arrival, {
        pkceCodeVerifier: authorization.verifier,
        expectedState: oidc.randomState(),
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/"state"/) } });
    const stripped = new URL(arrival);
    stripped.searchParams.delete('state');
    await expect(
      oidc.authorizationCodeGrant(userApp, stripped, {
        pkceCodeVerifier: authorization.verifier,
        expectedState: authorization.state,
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/"state"/) } });
    // The code was not spent by the refused attempts: the real answer still exchanges.
    await expect(
      oidc.authorizationCodeGrant(userApp, arrival, {
        pkceCodeVerifier: authorization.verifier,
        expectedState: authorization.state,
      }),
    ).resolves.toHaveProperty('access_token');
  });

  test('refresh after the access token expired: a new refresh token each time, the used one refused', async () => {
    const first = await tokensOfNewAuthorization();
    await waitUntilRefused(first.access_token);

    const second = await oidc.refreshTokenGrant(userApp, first.refresh_token!);
    expect(second.refresh_token).toEqual(expect.any(String));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(decodeJwt(second.access_token).sub).toBe(userId);
    const body = paymentSubmission({ userId });
    expect((await submit(stack.url, second.access_token, body)).status).toBe(201);

    const third = await oidc.refreshTokenGrant(userApp, second.refresh_token!);
    expect(third.refresh_token).not.toBe(second.refresh_token);
    // A rotated refresh token used again is a stolen one: refused, and (OAuth 2.0 security BCP) the whole grant
    // is revoked with it, so the thief's use also ends the newest refresh token.
    expect(await oauthErrorOf(oidc.refreshTokenGrant(userApp, first.refresh_token!))).toBe('invalid_grant');
    expect(await oauthErrorOf(oidc.refreshTokenGrant(userApp, third.refresh_token!))).toBe('invalid_grant');
  });

  test('revocation: a revoked refresh token is refused, and ends its grant', async () => {
    const tokens = await tokensOfNewAuthorization();
    const refreshed = await oidc.refreshTokenGrant(userApp, tokens.refresh_token!);
    await oidc.tokenRevocation(userApp, refreshed.refresh_token!);
    expect(await oauthErrorOf(oidc.refreshTokenGrant(userApp, refreshed.refresh_token!))).toBe('invalid_grant');
    // The next authorization in the same browser needs consent again: the grant went with its refresh token.
    await page.goto((await newAuthorization()).url.href);
    await expect(page.getByRole('button', { name: 'Allow' }).isVisible()).resolves.toBe(true);
  });

  test('the same e-mail signs in again, in another browser and in other letter case, as the same user', async () => {
    const { context: other, page: otherPage, arrivals: otherArrivals } = await appContext();
    try {
      const authorization = await newAuthorization();
      const arrival = await signIn(otherPage, authorization, email.toUpperCase(), otherArrivals);
      const tokens = await oidc.authorizationCodeGrant(userApp, arrival, {
        pkceCodeVerifier: authorization.verifier,
        expectedState: authorization.state,
      });
      expect(decodeJwt(tokens.access_token).sub).toBe(userId);
    } finally {
      await other.close();
    }
  });

  test('sign-out: the end-session page signs the user out and returns to the app; the next sign-in asks again', async () => {
    const errorsBefore = pageErrors.length;
    const tokens = await tokensOfNewAuthorization();
    const [afterSignOut] = urlsAt(stack.issuer, USER_APP_CLIENT.logoutPaths) as [string];
    const before = arrivals.length;
    await page.goto(
      oidc.buildEndSessionUrl(userApp, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: afterSignOut })
        .href,
    );
    expect(await page.locator('script').count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect((await arrivalAt(arrivals, new URL(afterSignOut).pathname, before)).href).toBe(afterSignOut);
    await page.goto((await newAuthorization()).url.href);
    await expect(page.getByLabel('E-mail').isVisible()).resolves.toBe(true);
    expect(pageErrors.slice(errorsBefore)).toEqual([]);
  });
});

describe('client credentials', () => {
  const machine = async (clientId: string) => {
    const secret = (await stack.clientSecrets())[clientId]!;
    expect(stack.output()).toContain(secret);
    return clientByDiscovery(stack.issuer, clientId, oidc.ClientSecretBasic(secret));
  };

  test('the integration gets a token of its own (sub = its client id) and submits for any user', async () => {
    const integration = await machine(LOCAL_INTEGRATION_CLIENT_ID);
    const tokens = await oidc.clientCredentialsGrant(integration, { scope: INTEGRATION_SCOPES.join(' ') });
    expect(tokens.refresh_token).toBeUndefined();
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      sub: LOCAL_INTEGRATION_CLIENT_ID,
      client_id: LOCAL_INTEGRATION_CLIENT_ID,
      token_use: 'access',
      scope: INTEGRATION_SCOPES.join(' '),
      iss: stack.issuer,
    });
    expect(decodeJwt(tokens.access_token)).not.toHaveProperty('username');
    const body = paymentSubmission({ userId: randomUUID() });
    expect((await submit(stack.url, tokens.access_token, body)).status).toBe(201);
  });

  test('a scope the client is not registered for is refused with invalid_scope (RFC 6749 §5.2), not dropped', async () => {
    const operations = await machine(LOCAL_OPERATIONS_CLIENT_ID);
    for (const scope of [
      [...OPERATIONS_SCOPES, SCOPES.write, SCOPES.submitOnBehalf].join(' '),
      SCOPES.write,
      `${SCOPES.read} openid`,
      `${SCOPES.read} payments/unknown`,
    ]) {
      expect({ scope, error: await oauthErrorOf(oidc.clientCredentialsGrant(operations, { scope })) }).toEqual({
        scope,
        error: 'invalid_scope',
      });
    }
    const integration = await machine(LOCAL_INTEGRATION_CLIENT_ID);
    expect(
      await oauthErrorOf(oidc.clientCredentialsGrant(integration, { scope: `${SCOPES.write} ${SCOPES.reportsAdmin}` })),
    ).toBe('invalid_scope');
  });

  test('client_secret_post is refused (invalid_client): the clients are registered for client_secret_basic', async () => {
    const secret = (await stack.clientSecrets())[LOCAL_INTEGRATION_CLIENT_ID]!;
    const posting = await clientByDiscovery(stack.issuer, LOCAL_INTEGRATION_CLIENT_ID, oidc.ClientSecretPost(secret));
    expect(posting.serverMetadata().token_endpoint_auth_methods_supported).not.toContain('client_secret_post');
    expect(await oauthErrorOf(oidc.clientCredentialsGrant(posting, { scope: SCOPES.write }))).toBe('invalid_client');
    // The same secret sent as the registration says (HTTP Basic) gets its token.
    const basic = await machine(LOCAL_INTEGRATION_CLIENT_ID);
    expect((await oidc.clientCredentialsGrant(basic, { scope: SCOPES.write })).access_token).toEqual(
      expect.any(String),
    );
  });

  test('operations get read and reports-admin, never write: a summary read, a submission refused', async () => {
    const operations = await machine(LOCAL_OPERATIONS_CLIENT_ID);
    const tokens = await oidc.clientCredentialsGrant(operations, { scope: OPERATIONS_SCOPES.join(' ') });
    expect((decodeJwt(tokens.access_token).scope as string).split(' ').sort()).toEqual([...OPERATIONS_SCOPES].sort());
    const summary = await apiFor(stack.url, tokens.access_token).GET('/reports/{month}/summary', {
      params: { path: { month: '2001-01' } },
    });
    expect(summary.response.status).toBe(404);
    const body = paymentSubmission({ userId: randomUUID() });
    expectProblem(await submit(stack.url, tokens.access_token, body), 403, 'missing-scope');
    await expectNothingWritten(documentClient, stack.tableNames, body.id);
  });

  test('a wrong secret, or the public user app, gets no client-credentials token', async () => {
    const impostor = await clientByDiscovery(
      stack.issuer,
      LOCAL_INTEGRATION_CLIENT_ID,
      oidc.ClientSecretBasic('not-the-secret'),
    );
    expect(await oauthErrorOf(oidc.clientCredentialsGrant(impostor, { scope: SCOPES.write }))).toBe('invalid_client');
    // The user app is public: it cannot authenticate, so the token endpoint refuses it the grant.
    expect(await oauthErrorOf(oidc.clientCredentialsGrant(userApp, { scope: SCOPES.write }))).toMatch(
      /^(unauthorized_client|invalid_request|invalid_client)$/,
    );
  });
});
