import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { LOCAL_OPERATIONS_CLIENT_ID } from '#contract/oauth-clients';
import { OPERATIONS_SCOPES } from '#contract/scopes';
import { DISPUTE_TEXT_MAX_LENGTH } from '#domain/dispute';
import { monthBefore, previousMonth } from '#domain/month';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { paymentSubmission } from '#devtools/submissions';
import { watchForPageErrors } from '../../support/browser';
import { sharedStackAndBrowser } from '../../support/chromium-stack';
import { answerOf, apiFor, submit } from '../../support/http';
import { npmRunReport } from '../../support/report-cli';
import { sidewaysOverflow, signInThroughProvider, subOf, webAppUrl } from '../../support/web-app-page';

/**
 * The customer's say over their credit file in the web app, in a real headless Chromium against the shared local
 * stack (issue 22, item 4): a signed-in customer whose real payments (over HTTP, reported by `npm run report`) make a
 * commitment opts it in to the credit file through its switch, and the API agrees; files a dispute of the month they
 * missed from the keyboard, and the page and the API show it open; operations resolve it over HTTP with the operations
 * client's disputes-admin token; the page, reloaded, shows the outcome and the operator's note.
 */
let stack: RunningLocalStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await sharedStackAndBrowser();
});

const COMMITMENT = 'GBP#puregym';
const lastMonth = monthBefore(new Date());
const missedMonth = previousMonth(lastMonth);
const firstMonth = previousMonth(missedMonth);

/** The customer's gym paid on the 5th of the first and last months, not in between; the last month reported. */
const paidAndReported = async (userId: string): Promise<string> => {
  const token = await stack.token({ sub: userId });
  for (const month of [firstMonth, lastMonth]) {
    const payment = paymentSubmission({
      userId,
      description: 'PUREGYM LTD',
      amount: '35.00',
      timestamp: `${month}-05T09:30:00Z`,
    });
    expect((await submit(stack.url, token, payment)).status).toBe(201);
  }
  const run = await npmRunReport(stack, lastMonth);
  expect([run.status, run.stderr]).toEqual([0, expect.stringContaining('SUCCEEDED')]);
  return token;
};

const operationsToken = (): Promise<string> =>
  stack.token({
    sub: LOCAL_OPERATIONS_CLIENT_ID,
    clientId: LOCAL_OPERATIONS_CLIENT_ID,
    scope: OPERATIONS_SCOPES.join(' '),
  });

describe('consent and disputes in the web app (headless Chromium)', () => {
  test('a customer opts a commitment in, disputes a missed month from the keyboard, and sees the outcome operations give', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1200 } });
    const errors = watchForPageErrors(page, (url) =>
      /\/(payments|disputes|reports\/\d{4}-\d{2})$/.test(new URL(url).pathname),
    );
    const tokenSub = page.waitForRequest((request) => new URL(request.url()).pathname === '/commitments');
    await page.goto(webAppUrl(stack));
    await signInThroughProvider(page, webAppUrl(stack), `customer-${randomUUID().slice(0, 8)}@example.com`);
    const userId = subOf(await tokenSub)!;
    expect(userId).toEqual(expect.any(String));
    const customer = apiFor(stack.url, await paidAndReported(userId));

    await page.reload();
    const gym = page.locator(`#commitment-list li.commitment[data-commitment-id="${COMMITMENT}"]`);
    const toggle = gym.getByRole('switch', { name: 'Report to my credit file (PUREGYM LTD (GBP))' });
    await toggle.and(page.locator(':enabled')).waitFor({ timeout: 15_000 });
    // Never changed: the stage default (opted out), with what opting in means beside it.
    expect(await toggle.isChecked()).toBe(false);
    expect(await gym.locator('.consent-state').textContent()).toBe('Off: not sent to your credit file.');
    expect(await gym.locator('.consent-meaning').textContent()).toContain('credit reference agencies');

    await toggle.check();
    await gym.locator('.consent-state', { hasText: 'On since' }).waitFor({ timeout: 15_000 });
    const consent = answerOf(await customer.GET('/commitments/{id}/consent', { params: { path: { id: COMMITMENT } } }));
    expect(consent).toMatchObject({
      status: 200,
      body: { consent: { report: true }, changes: [{ from: false, to: true, by: userId, clientId: 'local-user-app' }] },
    });

    // The months under their disclosure, opened and used from the keyboard.
    const months = gym.locator('details.dispute-months');
    await months.locator('summary').focus();
    await page.keyboard.press('Enter');
    const missedRow = months.locator(`li[data-month="${missedMonth}"]`);
    expect(await missedRow.locator('.dispute-month').textContent()).toBe(`${missedMonth}: missed`);
    const dispute = missedRow.getByRole('button', { name: `Dispute this month (${missedMonth}, PUREGYM LTD (GBP))` });
    await dispute.focus();
    await page.keyboard.press('Enter');
    expect(await dispute.getAttribute('aria-expanded')).toBe('true');
    const reason = missedRow.getByLabel('Reason');
    expect(await reason.evaluate((select) => select === select.ownerDocument.activeElement)).toBe(true);
    await reason.selectOption('paid-on-time');
    // The words stop where the API does.
    const words = missedRow.getByLabel('What is wrong, in your words');
    expect(await words.getAttribute('maxlength')).toBe(String(DISPUTE_TEXT_MAX_LENGTH));
    // Words with nothing visible pass the browser's `required`; the API refuses them, and the form says why.
    await page.keyboard.press('Tab');
    await page.keyboard.type('   ');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const refused = missedRow.locator('.dispute-form .form-error');
    await refused.waitFor({ timeout: 15_000 });
    expect(await refused.textContent()).toMatch(/^Not filed \(400\): .+ \(text [^)]+\)$/);
    // Focus is back in the words, which the customer types again.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Paid in cash at the desk on the 5th');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    const state = gym.locator(`.dispute-states li[data-month="${missedMonth}"]`);
    await state.and(page.locator('[data-state="open"]')).waitFor({ timeout: 15_000 });
    expect(await state.textContent()).toMatch(
      new RegExp(`^${missedMonth}: Dispute open since \\d{4}-\\d{2}-\\d{2}: we answer within 30 days\\.$`),
    );
    expect(await state.evaluate((item) => item === item.ownerDocument.activeElement)).toBe(true);
    expect(await missedRow.locator('.dispute-month-state').textContent()).toBe('Dispute open');
    const listed = answerOf(await customer.GET('/disputes'));
    expect(listed).toMatchObject({
      status: 200,
      body: {
        disputes: [
          {
            commitmentId: COMMITMENT,
            month: missedMonth,
            paymentId: null,
            reason: 'paid-on-time',
            text: 'Paid in cash at the desk on the 5th',
            state: 'open',
            filed: { by: userId, clientId: 'local-user-app' },
          },
        ],
      },
    });

    // On a phone the open form fits the screen.
    await missedRow.locator('.dispute-month-state').waitFor();
    await page.setViewportSize({ width: 320, height: 800 });
    await gym.locator(`details.dispute-months li[data-month="${lastMonth}"]`).getByRole('button').click();
    expect(await sidewaysOverflow(page)).toBe(0);

    const disputeId = (listed.body.disputes as { disputeId: string }[])[0]!.disputeId;
    const resolved = answerOf(
      await apiFor(stack.url, await operationsToken()).POST('/disputes/{id}/resolution', {
        params: { path: { id: disputeId } },
        body: { outcome: 'corrected', note: 'A cash payment on the 5th was found and added.' },
      }),
    );
    expect(resolved).toMatchObject({ status: 200, body: { state: 'corrected' } });

    await page.reload();
    await state.and(page.locator('[data-state="corrected"]')).waitFor({ timeout: 15_000 });
    expect(await state.textContent()).toMatch(
      new RegExp(
        `^${missedMonth}: Dispute resolved on \\d{4}-\\d{2}-\\d{2}, corrected\\. ` +
          'Note: A cash payment on the 5th was found and added\\.$',
      ),
    );
    // Resolved is final; the month may be disputed again with a new dispute.
    await months.locator('summary').click();
    await dispute.waitFor();
    // The consent as stored, once its GET has answered (the switch stays disabled until then).
    await toggle.and(page.locator(':enabled')).waitFor({ timeout: 15_000 });
    expect(await toggle.isChecked()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
