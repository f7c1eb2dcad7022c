import { randomUUID } from 'node:crypto';
import type { Browser, Page, Response } from 'playwright-core';
import { DOCS_CONTENT_SECURITY_POLICY } from '#local/api-gateway/docs-page';
import { watchForPageErrors } from '../../support/browser';
import { sharedStackAndBrowser } from '../../support/chromium-stack';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { USER_APP_OPENID_SCOPES } from '#contract/oauth-clients';
import { USER_APP_SCOPES } from '#contract/scopes';

/**
 * The API docs page (Swagger UI from node_modules) in headless Chromium: "Authorize" offers the API's scopes and signs
 * in through the local provider (authorization code + PKCE, client local-user-app, the provider's own form in Swagger
 * UI's pop-up), and "Try it out" on POST /payments, Execute with the example as the page shows it, stores a payment of
 * the signed-in user: 201 shown, under the page's CSP, with no console error.
 */
let stack: RunningLocalStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await sharedStackAndBrowser();
});

/** The `sub` of the access token the page got from the token endpoint: the user the provider made for this e-mail. */
const subOfIssuedToken = async (tokenResponse: Response): Promise<string> => {
  const { access_token: accessToken } = (await tokenResponse.json()) as { access_token: string };
  const payload = accessToken.split('.')[1]!;
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string }).sub;
};

const isCodeExchange = (response: Response): boolean =>
  response.request().method() === 'POST' &&
  (response.request().postData() ?? '').includes('grant_type=authorization_code');

const signInInPopup = async (page: Page, email: string): Promise<Response> => {
  const modal = page.locator('.modal-ux');
  await modal.waitFor();
  const [popup] = await Promise.all([page.waitForEvent('popup'), modal.locator('button.authorize').first().click()]);
  const exchanged = page.waitForResponse(isCodeExchange);
  await popup.getByLabel('E-mail').fill(email);
  await popup.getByLabel('Password').fill('local');
  await popup.getByRole('button', { name: 'Sign in' }).click();
  const allow = popup.getByRole('button', { name: 'Allow' });
  await Promise.race([popup.waitForEvent('close'), allow.waitFor().then(() => allow.click())]);
  const response = await exchanged;
  // Swagger UI's buttons carry aria-labels of their own ("Remove authorization"): found by their text.
  await modal.locator('button', { hasText: 'Logout' }).first().waitFor();
  await modal.locator('button', { hasText: 'Close' }).first().click();
  return response;
};

describe('the API docs page (Swagger UI) in headless Chromium', () => {
  test('"Authorize" signs in by PKCE through the local provider; "Try it out" on POST /payments shows the 201', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors = watchForPageErrors(page);
    const opened = await page.goto(`http://localhost:${stack.port}/docs/`);
    expect(opened?.headers()['content-security-policy']).toBe(DOCS_CONTENT_SECURITY_POLICY);
    await page.locator('.opblock').first().waitFor();

    await page.locator('.auth-wrapper button.authorize').click();
    // The dialog offers the scopes a user's app is granted, the API's among them.
    const offered = await Promise.all(
      (await page.locator('.modal-ux .scopes input[type=checkbox]').all()).map((box) => box.getAttribute('data-value')),
    );
    expect(offered).toEqual(expect.arrayContaining([...USER_APP_OPENID_SCOPES, ...USER_APP_SCOPES]));
    const tokenResponse = await signInInPopup(page, `docs-${randomUUID().slice(0, 8)}@example.com`);
    expect(tokenResponse.status()).toBe(200);
    const userId = await subOfIssuedToken(tokenResponse);

    // Under its tag, not "default"; its example is the signed-in user's, sent as shown.
    const operation = page.locator('#operations-payments-submitPayment');
    await operation.locator('.opblock-summary').click();
    const tryItOut = operation.getByRole('button', { name: 'Try it out' });
    if (await tryItOut.isVisible()) await tryItOut.click();
    const payment = JSON.parse(await operation.locator('textarea.body-param__text').inputValue()) as {
      id: string;
      userId: string;
    };
    expect(payment.userId).toBe(userId);
    const [answer] = await Promise.all([
      page.waitForResponse(
        (response) => response.url().endsWith('/payments') && response.request().method() === 'POST',
      ),
      operation.getByRole('button', { name: 'Execute' }).click(),
    ]);
    expect(answer.status()).toBe(201);
    expect(answer.request().headers().authorization).toMatch(/^Bearer ey/);
    const shown = operation.locator('.live-responses-table tbody .response-col_status');
    await shown.first().waitFor();
    expect((await shown.first().innerText()).trim()).toBe('201');
    expect(await operation.locator('.live-responses-table').innerText()).toContain(payment.id);

    expect(errors).toEqual([]);
    await page.close();
  });
});
