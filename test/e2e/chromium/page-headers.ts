import { randomUUID } from 'node:crypto';
import type { Browser, Page, Response } from 'playwright-core';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { LOCAL_USER_APP_CLIENT_ID } from '#contract/oauth-clients';
import { watchForPageErrors } from '../../support/browser';
import { sharedStackAndBrowser } from '../../support/chromium-stack';
import { signInThroughProvider, webAppUrl } from '../../support/web-app-page';

/**
 * Every answer of the local stack's port carries the protections every page needs: not framed (CSP frame-ancestors
 * and X-Frame-Options), not sniffed (nosniff), a CSP that loads nothing unless it says so, and no inline script in
 * any HTML page. Walked two ways: each path by fetch (no redirect followed: a redirect is an answer too), and the
 * pages a person goes through in Chromium (the app, its sign-in, consent and sign-out at the provider, the provider's
 * self-submitting page, the docs page, the console), every response the browser got.
 */
let stack: RunningLocalStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await sharedStackAndBrowser();
});

interface Answer {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What is wrong with one answer's protections: nothing when it has them all. */
const faultsOf = ({ url, status, headers, body }: Answer): string[] => {
  const csp = headers['content-security-policy'] ?? '';
  const faults = [
    headers['x-content-type-options'] === 'nosniff' ? '' : 'no nosniff',
    headers['x-frame-options'] === 'DENY' ? '' : 'no X-Frame-Options: DENY',
    csp.includes("frame-ancestors 'none'") ? '' : "no frame-ancestors 'none'",
    csp.includes("default-src 'none'") ? '' : "no default-src 'none'",
    /script-src[^;]*'unsafe-inline'/.test(csp) ? "script-src 'unsafe-inline'" : '',
  ];
  if ((headers['content-type'] ?? '').startsWith('text/html')) {
    const inline = [...body.matchAll(/<script\b([^>]*)>/gi)].filter(([, attributes]) => !/\bsrc=/i.test(attributes!));
    faults.push(inline.length > 0 ? `${inline.length} inline script(s)` : '');
    faults.push(/<[^>]+\son[a-z]+=/i.test(body) ? 'an inline event handler' : '');
  }
  return faults.filter(Boolean).map((fault) => `${status} ${new URL(url).pathname}: ${fault}`);
};

const fetched = async (path: string, init?: RequestInit): Promise<Answer> => {
  const url = `${stack.url}${path}`;
  const response = await fetch(url, { redirect: 'manual', ...init });
  return { url, status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
};

const authorizePath = (clientId: string): string =>
  `/oauth2/authorize?${new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: `${stack.issuer}/app/callback`,
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbkRLAvN0yQM',
    code_challenge_method: 'S256',
  })}`;

/** Every response a page got from the stack, kept with its body (read while the page is open). */
const recordAnswers = (page: Page): Promise<Answer>[] => {
  const answers: Promise<Answer>[] = [];
  page.on('response', (response: Response) => {
    if (!response.url().startsWith(stack.url) && !response.url().startsWith(stack.issuer)) return;
    answers.push(
      (async () => ({
        url: response.url(),
        status: response.status(),
        headers: await response.allHeaders(),
        body: response.status() >= 300 && response.status() < 400 ? '' : await response.text().catch(() => ''),
      }))(),
    );
  });
  return answers;
};

describe('the protections of every page the local stack serves', () => {
  test('every path, fetched: the headers, and no inline script', async () => {
    const paths = [
      '/app',
      '/app/',
      '/app/callback',
      '/app/app.js',
      '/app/app.css',
      '/app/config.json',
      '/app/favicon.svg',
      '/app/missing',
      '/docs/',
      '/docs/docs-initializer.js',
      '/docs/oauth2-redirect.html',
      '/docs/oauth2-redirect.js',
      '/docs/swagger-ui.css',
      '/console',
      '/console/console.css',
      '/console/api/executions',
      '/openapi.json',
      '/health',
      '/no-such-page',
      '/.well-known/openid-configuration',
      '/.well-known/jwks.json',
      authorizePath(LOCAL_USER_APP_CLIENT_ID),
      authorizePath('no-such-client'),
      '/oauth2/authorize',
      '/oauth2/userInfo',
      '/oauth2/no-such-endpoint',
      '/logout',
      '/interaction/pages.css',
      '/interaction/favicon.svg',
      '/interaction/auto-submit.js',
      '/interaction/no-such-interaction',
    ];
    const answers = await Promise.all(paths.map((path) => fetched(path)));
    answers.push(
      await fetched('/oauth2/token', { method: 'POST', body: new URLSearchParams({ grant_type: 'nonsense' }) }),
      await fetched('/interaction/expired/login', { method: 'POST', body: new URLSearchParams({ email: 'a@b.c' }) }),
    );
    expect(answers.flatMap(faultsOf)).toEqual([]);
    // The walk covered the provider's error page and its self-submitting page (sign-out with no one signed in).
    expect(answers.map((answer) => answer.body)).toEqual(
      expect.arrayContaining([expect.stringContaining('Sign-in failed'), expect.stringContaining('Continuing')]),
    );
  });

  test('in Chromium: the app, sign-in, consent, sign-out, the self-submitting page, docs and console', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const answers = recordAnswers(page);
    const errors = watchForPageErrors(page);
    const appUrl = webAppUrl(stack);

    await page.goto(appUrl);
    await signInThroughProvider(page, appUrl, `headers-${randomUUID().slice(0, 8)}@example.com`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign out of the Payments Tracker?' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(appUrl);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();

    // Signed out at the provider: /logout answers with the page that submits itself, by its script file, under the CSP.
    await page.goto(`${stack.issuer}/logout`);
    await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
    await page.goto(`${stack.issuer}${authorizePath('no-such-client')}`);
    await page.getByRole('heading', { name: 'Sign-in failed' }).waitFor();
    await page.goto(`${stack.issuer}/docs/`);
    await page.locator('.opblock').first().waitFor();
    await page.goto(`${stack.issuer}/console`);
    await page.locator('h1').first().waitFor();

    const seen = await Promise.all(answers);
    const pages = seen.filter((answer) => (answer.headers['content-type'] ?? '').startsWith('text/html'));
    expect(pages.map((answer) => new URL(answer.url).pathname)).toEqual(
      expect.arrayContaining(['/app/', '/logout', '/logout/confirm', '/docs/', '/console']),
    );
    expect(seen.flatMap(faultsOf)).toEqual([]);
    // Only the unknown client's error page is a failed load the browser reports.
    expect(errors.filter((error) => !error.includes('status of 400'))).toEqual([]);
    await context.close();
  });
});
