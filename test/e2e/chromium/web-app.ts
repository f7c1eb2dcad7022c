import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { watchForPageErrors } from '../../support/browser';
import { sharedStackAndBrowser } from '../../support/chromium-stack';
import { npmRunReport } from '../../support/report-cli';
import { addPayment, monthsAgo, paymentRows, signInThroughProvider, webAppUrl } from '../../support/web-app-page';
import type { RunningLocalStack } from '#devtools/local-stack-process';

/**
 * The customer web app in a real headless Chromium against a local stack: signed in through the local OpenID
 * provider's own form (authorization code + PKCE, found by discovery), payments added through the form and listed by
 * month, the month's report built by `npm run report` with the commitment's streak, a 400's field error beside its
 * field, markup in a description shown as text, sign-out, and not one console error throughout.
 */
let stack: RunningLocalStack;
let browser: Browser;
/** The app as the test saw it (docs/web-app.png is one taken here). */
const SCREENSHOT = path.join(tmpdir(), 'payments-tracker-web-app.png');

const HOSTILE = `<img src=x onerror="alert('img')"><script>alert('script')</script> Gym & "spa"`;

beforeAll(async () => {
  [stack, browser] = await sharedStackAndBrowser();
});

const appUrl = () => webAppUrl(stack);

describe('the customer web app in headless Chromium', () => {
  test('sign in, add payments, see them by month, the report and streak, a field error, markup as text, sign out', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    // The API's answers the app asks for and shows: a month without its report (404), the 400 below.
    const answers: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400)
        answers.push(`${response.status()} ${response.request().method()} ${new URL(response.url()).pathname}`);
    });
    const errors = watchForPageErrors(page, (url) =>
      /\/(payments|reports\/\d{4}-\d{2})(\?|$)/.test(new URL(url).pathname + new URL(url).search.slice(0, 1)),
    );
    const email = `customer-${randomUUID().slice(0, 8)}@example.com`;

    const opened = await page.goto(appUrl());
    const csp = opened?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' http://localhost:${stack.port}`);
    await signInThroughProvider(page, appUrl(), email);

    // Last month and this month: the same payee twice, so this month's report has a streak of 2.
    const lastMonth = monthsAgo(1);
    const thisMonth = new Date(Date.now() - 60 * 60_000);
    await addPayment(page, { description: 'Netflix', amount: '9.99', at: lastMonth });
    await page.getByText('Stored: Netflix, 9.99 GBP.').waitFor();
    expect(await page.getByLabel('Month', { exact: true }).inputValue()).toBe(lastMonth.toISOString().slice(0, 7));
    expect(await paymentRows(page).allInnerTexts()).toEqual([expect.stringContaining('Netflix')]);

    await addPayment(page, { description: 'Netflix', amount: '9.99', at: thisMonth });
    await page.getByText('Stored: Netflix, 9.99 GBP.').waitFor();
    await addPayment(page, { description: HOSTILE, amount: '35', at: thisMonth });
    await page.locator('#payments tbody tr', { hasText: 'Gym & "spa"' }).waitFor();
    const thisMonthKey = thisMonth.toISOString().slice(0, 7);
    expect(await page.getByLabel('Month', { exact: true }).inputValue()).toBe(thisMonthKey);
    const rows = await paymentRows(page).allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows.join('\n')).toContain(HOSTILE);
    expect(rows.join('\n')).toContain('35.00 GBP');
    expect(await page.locator('main img, main script').count()).toBe(0);
    expect(await page.locator('#report-state').innerText()).toContain('not built yet');

    // A 400: the amount has more fraction digits than GBP has; the error is shown beside the amount, and nothing added.
    await addPayment(page, { description: 'Rent', amount: '750.001', at: thisMonth });
    const amountError = page.locator('#amount-error');
    await amountError.waitFor();
    expect(await amountError.innerText()).not.toBe('');
    expect(await page.getByLabel('Amount').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#description-error').isVisible()).toBe(false);
    expect(await paymentRows(page).count()).toBe(2);

    // The operator's monthly run, for last month then this one: the streak carries over.
    for (const month of [lastMonth.toISOString().slice(0, 7), thisMonthKey]) {
      const run = await npmRunReport(stack, month);
      expect({ status: run.status, stderr: run.stderr }).toEqual({
        status: 0,
        stderr: expect.stringContaining('SUCCEEDED'),
      });
    }
    await page.getByRole('button', { name: 'Next month' }).click();
    await page.getByRole('button', { name: 'Previous month' }).click();
    await page.locator('#report-state.built').waitFor();
    const commitments = page.locator('#commitments tbody tr');
    const netflix = commitments.filter({ hasText: 'Netflix' });
    expect(await netflix.locator('td').allInnerTexts()).toEqual([
      'Netflix',
      '9.99 GBP',
      thisMonth.toISOString().slice(0, 10),
      '2',
    ]);
    expect(await commitments.filter({ hasText: 'Gym & "spa"' }).locator('td').last().innerText()).toBe('1');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // The app's sign-out ends the provider's session too: its confirmation page, then back to the app.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign out of the Payments Tracker?' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(appUrl());
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.locator('#signed-in').isVisible()).toBe(false);

    expect(errors).toEqual([]);
    expect(new Set(answers)).toEqual(
      new Set([
        // The months paid in, before their reports were built: 404, shown as not built. The next month (opened by
        // the button) has no payments, so no report is asked for.
        `404 GET /reports/${thisMonthKey}`,
        `404 GET /reports/${lastMonth.toISOString().slice(0, 7)}`,
        '400 POST /payments',
      ]),
    );
    await page.close();
  });

  test('keyboard only: the sign-in button has focus, every form control has a label', async () => {
    const page = await browser.newPage();
    const errors = watchForPageErrors(page);
    await page.goto(appUrl());
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    // Evaluated in the page (as text: the tests' TypeScript has no DOM types).
    expect(await page.evaluate('document.activeElement.id')).toBe('sign-in');
    const unlabelled = await page.evaluate(
      "[...document.querySelectorAll('input')].filter((input) => input.labels.length === 0).map((input) => input.id)",
    );
    expect(unlabelled).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
