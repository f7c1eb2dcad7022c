import type { Page, Request } from 'playwright-core';
import type { RunningLocalStack } from '#devtools/local-stack-process';

/**
 * The customer web app driven as a person drives it, in Chromium: signed in through the local provider's own pages,
 * a payment typed into the form. Shared by the web app's end-to-end tests.
 */

/** The issuer's host: the redirect URIs are registered on localhost, so the app is opened there. */
export const webAppUrl = (stack: RunningLocalStack): string => `http://localhost:${stack.port}/app/`;

/** The `sub` of the bearer token the page sends: the signed-in customer's user id. */
export const subOf = (request: Request): string | undefined => {
  const token = request.headers().authorization?.replace(/^Bearer /, '');
  const payload = token?.split('.')[1];
  return payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string }).sub : undefined;
};

/** The page's width beyond the viewport's, in CSS pixels: 0 when nothing scrolls sideways. */
export const sidewaysOverflow = (page: Page): Promise<number> =>
  page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as Promise<number>;

/** Noon UTC on the 10th of the month `months` before this one: a time inside that month whatever the zone. */
export const monthsAgo = (months: number): Date => {
  const date = new Date();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() - months);
  date.setUTCDate(10);
  date.setUTCHours(12, 0, 0, 0);
  return date;
};

/** A `datetime-local` value for the browser's zone (UTC in the test's Chromium unless TZ says otherwise). */
export const localValue = (date: Date): string =>
  new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

/**
 * Clicks the app's Sign in and gives the provider what it asks for: the sign-in form (no session at the provider),
 * the consent (no grant for the app: the first time, or after its grant was revoked), or nothing (it redirects back).
 */
export const signInThroughProvider = async (page: Page, appUrl: string, email: string): Promise<void> => {
  await page.getByRole('button', { name: 'Sign in' }).click();
  const form = page.getByLabel('E-mail');
  const allow = page.getByRole('button', { name: 'Allow' });
  // The app's own line: the provider's consent page says "Signed in as" too.
  const signedIn = page.locator('#signed-in-as', { hasText: `Signed in as ${email}` });
  await form.or(allow).or(signedIn).first().waitFor({ timeout: 15_000 });
  if (await form.isVisible()) {
    await form.fill(email);
    await page.getByLabel('Password').fill('local');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await allow.or(signedIn).first().waitFor({ timeout: 15_000 });
  }
  if (await allow.isVisible()) await allow.click();
  await page.waitForURL(appUrl);
  await signedIn.waitFor();
};

export interface PaymentFields {
  description: string;
  amount: string;
  at: Date;
}

export const fillPayment = async (page: Page, fields: PaymentFields): Promise<void> => {
  await page.getByLabel('Description').fill(fields.description);
  await page.getByLabel('Amount').fill(fields.amount);
  await page.getByLabel('Currency').fill('GBP');
  await page.getByLabel('Paid at').fill(localValue(fields.at));
};

export const addPayment = async (page: Page, fields: PaymentFields): Promise<void> => {
  await fillPayment(page, fields);
  await page.getByRole('button', { name: 'Add payment' }).click();
};

export const paymentRows = (page: Page) => page.locator('#payments tbody tr');
