import { randomUUID } from 'node:crypto';
import type * as oidc from 'openid-client';
import { refreshTokenGrant, tokenRevocation } from 'openid-client';
import type { Browser, Page, Request } from 'playwright-core';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { watchForPageErrors } from '../../support/browser';
import { sharedSessionsStack } from '../../support/sessions-stack';
import { oauthErrorOf, userAppByDiscovery } from '../../support/openid-client';
import { addPayment, fillPayment, paymentRows, signInThroughProvider, webAppUrl } from '../../support/web-app-page';

/**
 * The web app's session as it lives and ends, in Chromium against a stack whose access tokens live
 * ACCESS_TOKEN_SECONDS (support/sessions-stack.ts): used past its expiry, it is refreshed (one refresh for concurrent requests, the refresh token
 * rotated) without a second sign-in, and a reload stays signed in; a revoked refresh token ends it with a message and
 * the payment being typed kept, not sent twice; sign-out revokes the refresh token before ending the provider's
 * session.
 */

let stack: RunningLocalStack;
let browser: Browser;
let userApp: oidc.Configuration;

beforeAll(async () => {
  [stack, browser] = await sharedSessionsStack();
  userApp = await userAppByDiscovery(stack.issuer);
});

const appUrl = () => webAppUrl(stack);

interface StoredSession {
  accessToken: string;
  refreshToken?: string;
  expiresAt: number;
}

/** The session as the app keeps it in the tab's sessionStorage (evaluated as text: no DOM types in the tests). */
const storedSession = async (page: Page): Promise<StoredSession | undefined> => {
  const stored = (await page.evaluate("sessionStorage.getItem('payments-tracker.session')")) as string | null;
  return stored ? (JSON.parse(stored) as StoredSession) : undefined;
};

const refreshTokenOf = async (page: Page): Promise<string> => {
  const token = (await storedSession(page))?.refreshToken;
  if (!token) throw new Error('The app keeps no refresh token');
  return token;
};

/** Waits until the app's access token has expired (and half a second more). */
const pastExpiry = async (page: Page): Promise<void> => {
  const session = await storedSession(page);
  if (!session) throw new Error('No session to wait out');
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, session.expiresAt - Date.now()) + 500));
};

const isPath = (request: Request, pathname: string) => new URL(request.url()).pathname === pathname;

/** What the page asked of the provider and the API, in order. */
const recordRequests = (page: Page) => {
  const requests: Request[] = [];
  page.on('request', (request) => requests.push(request));
  return {
    refreshes: () =>
      requests.filter(
        (request) => isPath(request, '/oauth2/token') && /grant_type=refresh_token/.test(request.postData() ?? ''),
      ),
    authorizations: () => requests.filter((request) => isPath(request, '/oauth2/authorize')),
    paymentPosts: () => requests.filter((request) => isPath(request, '/payments') && request.method() === 'POST'),
    all: () => requests,
  };
};

/** The month's report 404 ("not built yet") is asked for and shown by design. */
const reportNotBuilt = (url: string) => /^\/reports\/\d{4}-\d{2}$/.test(new URL(url).pathname);

/** A minute ago: this month's payment (but for a test started in a month's first minute). */
const justNow = () => new Date(Date.now() - 60_000);

describe('the web app keeps its session alive, and ends it for real', () => {
  test('past expiry: one refresh for concurrent reads, a payment stored without a second sign-in, a reload stays signed in', async () => {
    const page = await browser.newPage();
    const errors = watchForPageErrors(page, reportNotBuilt);
    const requests = recordRequests(page);
    const email = `refresh-${randomUUID().slice(0, 8)}@example.com`;
    await page.goto(appUrl());
    await signInThroughProvider(page, appUrl(), email);
    const first = await refreshTokenOf(page);
    expect(requests.refreshes()).toHaveLength(0);

    // Two reads at once with an expired token (last month's payments and this month's: Previous and Next clicked in
    // one task; neither month has payments, so no report is asked for): one refresh, shared.
    await pastExpiry(page);
    const monthsRead = () => requests.all().filter((request) => isPath(request, '/payments')).length;
    const readsBefore = monthsRead();
    await Promise.all([
      page.waitForResponse((response) => isPath(response.request(), '/payments') && response.status() === 200),
      page.evaluate("document.getElementById('previous-month').click(); document.getElementById('next-month').click()"),
    ]);
    await page.waitForLoadState('networkidle');
    expect(monthsRead() - readsBefore).toBe(2);
    expect(requests.refreshes()).toHaveLength(1);
    const second = await refreshTokenOf(page);
    expect(second).not.toBe(first);

    // Expired again: the form's payment is stored (201) and listed, after a refresh, with no new sign-in.
    await pastExpiry(page);
    const stored = page.waitForResponse(
      (response) => isPath(response.request(), '/payments') && response.request().method() === 'POST',
    );
    await addPayment(page, { description: 'Gym', amount: '29.99', at: justNow() });
    expect((await stored).status()).toBe(201);
    await page.getByText('Stored: Gym, 29.99 GBP.').waitFor();
    expect(await paymentRows(page).allInnerTexts()).toEqual([expect.stringContaining('Gym')]);
    expect(requests.refreshes()).toHaveLength(2);
    const third = await refreshTokenOf(page);
    expect(third).not.toBe(second);

    // A reload with an expired access token: refreshed on load, still signed in, the payment still there.
    await pastExpiry(page);
    await page.reload();
    await page.getByText(`Signed in as ${email}`).waitFor();
    await paymentRows(page).filter({ hasText: 'Gym' }).waitFor();
    expect(requests.refreshes()).toHaveLength(3);
    expect(await refreshTokenOf(page)).not.toBe(third);
    expect(requests.authorizations()).toHaveLength(1);
    expect(errors).toEqual([]);

    // The first refresh token was rotated away: the token endpoint refuses it (and, a replay, ends the grant).
    expect(await oauthErrorOf(refreshTokenGrant(userApp, first))).toBe('invalid_grant');
    await page.close();
  });

  test('a revoked refresh token: past expiry the app signs out with the message, and the typed payment is kept, then sent once', async () => {
    const page = await browser.newPage();
    // The app's refresh, refused with invalid_grant (400), is the one failed request it makes by design here.
    const errors = watchForPageErrors(page, (url) => reportNotBuilt(url) || new URL(url).pathname === '/oauth2/token');
    const requests = recordRequests(page);
    const email = `revoked-${randomUUID().slice(0, 8)}@example.com`;
    await page.goto(appUrl());
    await signInThroughProvider(page, appUrl(), email);
    await tokenRevocation(userApp, await refreshTokenOf(page));

    await fillPayment(page, { description: 'Rent', amount: '750', at: justNow() });
    await pastExpiry(page);
    await page.getByRole('button', { name: 'Add payment' }).click();
    const ended = page.locator('#session-ended');
    await ended.waitFor();
    expect(await ended.innerText()).toBe(
      'Your session has ended; sign in again. The payment you were adding (Rent, 750 GBP) was not sent: it is kept, and after you sign in it is back in the form.',
    );
    expect(await page.locator('#signed-in').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(false);
    expect(await page.evaluate('document.activeElement.id')).toBe('sign-in');
    expect(await storedSession(page)).toBeUndefined();
    expect(requests.paymentPosts()).toHaveLength(0);
    const kept = JSON.parse(
      (await page.evaluate("sessionStorage.getItem('payments-tracker.unsent-payment')")) as string,
    ) as { id: string };

    // Signed in again (the provider's session is alive; its grant went with the revoked token: consent again): the
    // payment is back in the form, and Add payment stores it under the id it was kept with.
    await signInThroughProvider(page, appUrl(), email);
    expect(await page.getByLabel('Description').inputValue()).toBe('Rent');
    expect(await page.locator('#form-note').innerText()).toContain('is back in the form');
    const stored = page.waitForResponse(
      (response) => isPath(response.request(), '/payments') && response.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Add payment' }).click();
    expect((await stored).status()).toBe(201);
    await page.getByText('Stored: Rent, 750.00 GBP.').waitFor();
    expect(requests.paymentPosts().map((request) => (request.postDataJSON() as { id: string }).id)).toEqual([kept.id]);
    expect(await page.evaluate("sessionStorage.getItem('payments-tracker.unsent-payment')")).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });

  test('sign-out revokes the refresh token before ending the provider session: it is refused afterwards', async () => {
    const page = await browser.newPage();
    const errors = watchForPageErrors(page, reportNotBuilt);
    const requests = recordRequests(page);
    const email = `sign-out-${randomUUID().slice(0, 8)}@example.com`;
    await page.goto(appUrl());
    await signInThroughProvider(page, appUrl(), email);
    const refreshToken = await refreshTokenOf(page);

    const revoked = page.waitForResponse((response) => isPath(response.request(), '/oauth2/revoke'));
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect((await revoked).status()).toBe(200);
    await page.getByRole('heading', { name: 'Sign out of the Payments Tracker?' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(appUrl());
    await page.getByRole('button', { name: 'Sign in' }).waitFor();

    const order = requests.all().map((request) => `${request.method()} ${new URL(request.url()).pathname}`);
    const revocation = order.indexOf('POST /oauth2/revoke');
    expect(revocation).toBeGreaterThan(-1);
    expect(revocation).toBeLessThan(order.indexOf('GET /logout'));
    const revocationRequest = requests.all().find((request) => isPath(request, '/oauth2/revoke'))!;
    expect(new URLSearchParams(revocationRequest.postData() ?? '').get('token')).toBe(refreshToken);
    expect(await storedSession(page)).toBeUndefined();
    expect(await page.locator('#session-ended').isVisible()).toBe(false);
    expect(await oauthErrorOf(refreshTokenGrant(userApp, refreshToken))).toBe('invalid_grant');
    expect(errors).toEqual([]);
    await page.close();
  });
});
