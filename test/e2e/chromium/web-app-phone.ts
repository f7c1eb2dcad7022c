import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DESCRIPTION_MAX_LENGTH } from '#domain/description';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { watchForPageErrors } from '../../support/browser';
import { sharedStackAndBrowser } from '../../support/chromium-stack';
import { npmRunReport } from '../../support/report-cli';
import { addPayment, monthsAgo, sidewaysOverflow, webAppUrl } from '../../support/web-app-page';

/**
 * The customer web app on a phone, in Chromium: at 320, 375 and 414 px nothing is wider than the screen (the month bar
 * wraps, table headers break between words, never inside one), and the provider's sign-in, consent and sign-out pages
 * wear the app's look. The description field stops where the API does; a past month without payments asks for no
 * report and says why there is none (no 404, so nothing in the console); a past month paid in but not yet reported
 * says so, not that the month has still to end.
 */
const PHONE_WIDTHS = [320, 375, 414] as const;
/** The app at 375 px, as the test saw it (docs/web-app-phone.png is one taken here). */
const SCREENSHOT = path.join(tmpdir(), 'payments-tracker-web-app-phone.png');
const APP_GREEN = 'rgb(11, 110, 79)';

let stack: RunningLocalStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await sharedStackAndBrowser();
});

/** The table headers whose words were broken across lines ("Amou|nt"), evaluated in the page. */
const headersBrokenMidWord = (page: Page): Promise<string[]> =>
  page.evaluate(`[...document.querySelectorAll('th')].filter((th) => th.offsetParent !== null).flatMap((th) => {
    const text = th.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) return [];
    const broken = [];
    for (const match of text.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(text, match.index);
      range.setEnd(text, match.index + match[0].length);
      if (range.getClientRects().length > 1) broken.push(match[0]);
    }
    return broken;
  })`) as Promise<string[]>;

const expectFitsEveryPhone = async (page: Page, what: string): Promise<void> => {
  for (const width of PHONE_WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    expect({ what, width, overflow: await sidewaysOverflow(page) }).toEqual({ what, width, overflow: 0 });
    expect({ what, width, broken: await headersBrokenMidWord(page) }).toEqual({ what, width, broken: [] });
  }
};

/** The provider's page looks like the app: its background, its green buttons. */
const expectAppLook = async (page: Page, button: string): Promise<void> => {
  // Evaluated in the page (as text: the tests' TypeScript has no DOM types).
  const look = await page.evaluate(`(() => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === ${JSON.stringify(button)});
    return {
      background: getComputedStyle(button).backgroundColor,
      page: getComputedStyle(document.documentElement).backgroundColor,
    };
  })()`);
  expect(look).toEqual({ background: APP_GREEN, page: 'rgb(246, 247, 247)' });
};

describe('the web app at phone widths in Chromium', () => {
  test('no sideways scroll at 320-414 px, the provider pages styled, the API limit, past months without noise', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 800 }, deviceScaleFactor: 2 });
    const lastMonth = monthsAgo(1);
    const lastMonthKey = lastMonth.toISOString().slice(0, 7);
    // The one 404 the app asks for: last month, paid in, before its run (shown as not built yet).
    const errors = watchForPageErrors(page, (url) => new URL(url).pathname === `/reports/${lastMonthKey}`);
    const appUrl = webAppUrl(stack);
    const email = `phone-${randomUUID().slice(0, 8)}@a-rather-long-domain-name.example.com`;

    await page.goto(appUrl);
    await expectFitsEveryPhone(page, 'signed out');
    await page.setViewportSize({ width: 320, height: 800 });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('E-mail').waitFor();
    await expectFitsEveryPhone(page, 'provider sign-in');
    await expectAppLook(page, 'Sign in');
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill('local');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    await expectFitsEveryPhone(page, 'provider consent');
    await expectAppLook(page, 'Allow');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(appUrl);
    await page.locator('#signed-in-as', { hasText: email }).waitFor();

    // The form holds no more than the API takes.
    const description = page.getByLabel('Description');
    await description.fill('x'.repeat(DESCRIPTION_MAX_LENGTH + 60));
    expect((await description.inputValue()).length).toBe(DESCRIPTION_MAX_LENGTH);

    await addPayment(page, { description: 'Netflix Premium (family plan)', amount: '17.99', at: lastMonth });
    await page.getByText('Stored: Netflix Premium (family plan), 17.99 GBP.').waitFor();
    await addPayment(page, { description: 'Rent, flat 2, Acacia Avenue', amount: '1250.00', at: lastMonth });
    await page.getByText('Stored: Rent, flat 2, Acacia Avenue, 1250.00 GBP.').waitFor();
    expect(await page.locator('#report-state').innerText()).toBe(
      `The report for ${lastMonthKey} is not built yet: the month has ended, and its monthly run has not reported it.`,
    );
    const run = await npmRunReport(stack, lastMonthKey);
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 0,
      stderr: expect.stringContaining('SUCCEEDED'),
    });
    await page.getByRole('button', { name: 'Previous month' }).click();
    await page.getByRole('button', { name: 'Next month' }).click();
    await page.locator('#report-state.built').waitFor();
    await page.locator('#commitments tbody tr').first().waitFor();
    await expectFitsEveryPhone(page, 'a month with its report');
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Two months back: the month has ended, the customer paid nothing in it, so no report is asked for or promised.
    const reportRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/reports/')) reportRequests.push(request.url());
    });
    await page.getByRole('button', { name: 'Previous month' }).click();
    await page
      .getByText(`No report for ${monthsAgo(2).toISOString().slice(0, 7)}: you have no payments in it.`)
      .waitFor();
    expect(await page.locator('#report-state').innerText()).not.toContain('after the month ends');
    expect(reportRequests).toEqual([]);
    await expectFitsEveryPhone(page, 'a past month without payments');

    await page.setViewportSize({ width: 320, height: 800 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign out of the Payments Tracker?' }).waitFor();
    await expectFitsEveryPhone(page, 'provider sign-out');
    await expectAppLook(page, 'Sign out');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(appUrl);

    expect(errors).toEqual([]);
    await page.close();
  });
});
