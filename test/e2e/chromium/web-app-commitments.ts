import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { monthBefore } from '#domain/month';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { watchForPageErrors } from '../../support/browser';
import { sharedStackAndBrowser } from '../../support/chromium-stack';
import { historyFrom, reportedCommitment, seedGymCustomer, seedReport } from '../../support/commitments';
import { testDocumentClient } from '../../support/dynamodb';
import { signInThroughProvider, subOf, webAppUrl } from '../../support/web-app-page';

/**
 * The web app's commitments in a real headless Chromium against a local stack: each commitment's 24-month history
 * as a strip of cells with a text alternative, and a merge performed through the page. The report is seeded in
 * DynamoDB Local in the shape the report build writes, so the page starts from a known history (the build is
 * tested in test/workflow).
 */
let stack: RunningLocalStack;
/** The strips as the test saw them, before the merge. */
const SCREENSHOT = path.join(tmpdir(), 'payments-tracker-commitments.png');
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await sharedStackAndBrowser();
});

describe('commitments in the web app (headless Chromium)', () => {
  test('each commitment shows its 24-month history strip with a text alternative, and a merge is performed', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1200 } });
    const errors = watchForPageErrors(page, (url) => /\/(payments|reports\/\d{4}-\d{2})$/.test(new URL(url).pathname));
    const tokenSub = page.waitForRequest((request) => new URL(request.url()).pathname === '/commitments');
    await page.goto(webAppUrl(stack));
    await signInThroughProvider(page, webAppUrl(stack), `customer-${randomUUID().slice(0, 8)}@example.com`);
    const userId = subOf(await tokenSub);
    expect(userId).toEqual(expect.any(String));
    const reportMonth = monthBefore(new Date());
    await seedGymCustomer(stack, userId!, reportMonth);

    await page.reload();
    const items = page.locator('#commitment-list li.commitment');
    await items.nth(1).waitFor({ timeout: 15_000 });
    expect(await items.count()).toBe(2);
    const first = items.first();
    expect(await first.locator('.history-strip li').count()).toBe(24);
    expect(
      await first.locator('.history-strip li').evaluateAll((cells) => cells.slice(0, 4).map((c) => c.className)),
    ).toEqual(['cell kept', 'cell kept', 'cell missed', 'cell none']);
    // The strip is hidden from screen readers; its sentence says the same.
    expect(await first.locator('.history-strip').getAttribute('aria-hidden')).toBe('true');
    const sentence = await first.locator('.history-text').textContent();
    expect(sentence).toMatch(
      new RegExp(`^Last 24 months, most recent first: ${reportMonth} to \\d{4}-\\d{2} kept; \\d{4}-\\d{2} missed; `),
    );
    expect(await page.locator('#commitments-state').textContent()).toContain(`report for ${reportMonth}`);

    await page.locator('#commitment-list').screenshot({ path: SCREENSHOT });
    await page.getByLabel('Merge').selectOption('GBP#dd-puregym');
    await page.getByLabel('into').selectOption('GBP#puregym');
    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    await page.locator('#status', { hasText: 'Done.' }).waitFor({ timeout: 15_000 });

    await items.nth(1).waitFor({ state: 'detached', timeout: 15_000 });
    expect(await items.first().getAttribute('data-commitment-id')).toBe('GBP#puregym');
    expect(await items.first().locator('.commitment-facts').textContent()).toContain('merged with 1 more');
    // The merged history: the month only the other narrative kept is kept now.
    expect(
      await items
        .first()
        .locator('.history-strip li')
        .evaluateAll((cells) => cells.slice(0, 3).map((c) => c.className)),
    ).toEqual(['cell kept', 'cell kept', 'cell kept']);
    expect(await page.locator('#commitments-state').textContent()).toContain(
      '1 correction the next report run will include',
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('the kind picker beside a commitment no integration named (headless Chromium)', () => {
  test('shown for an unknown kind only; a pick is sent as PUT /commitments/{id}/kind and its answer said', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1200 } });
    const errors = watchForPageErrors(page, (url) => /\/(payments|reports\/\d{4}-\d{2})$/.test(new URL(url).pathname));
    const tokenSub = page.waitForRequest((request) => new URL(request.url()).pathname === '/commitments');
    await page.goto(webAppUrl(stack));
    await signInThroughProvider(page, webAppUrl(stack), `customer-${randomUUID().slice(0, 8)}@example.com`);
    const userId = subOf(await tokenSub)!;
    const reportMonth = monthBefore(new Date());
    const paid = [
      { id: randomUUID(), timestamp: `${reportMonth}-01T08:00:00Z`, localDate: `${reportMonth}-01`, amount: '9.99' },
    ];
    const history = historyFrom(reportMonth, ['kept', 'kept']);
    await seedReport(testDocumentClient(), stack.tableNames.payments, userId, reportMonth, [
      { ...reportedCommitment('GBP#acme lettings', 'ACME LETTINGS', history, paid), kind: null },
      reportedCommitment('GBP#netflix', 'NETFLIX', history, paid),
    ]);

    await page.reload();
    const items = page.locator('#commitment-list li.commitment');
    await items.nth(1).waitFor({ timeout: 15_000 });
    const unnamed = page.locator('li.commitment[data-commitment-id="GBP#acme lettings"]');
    expect(await page.locator('li.commitment[data-commitment-id="GBP#netflix"] .kind-picker').count()).toBe(0);
    const put = page.waitForRequest((request) => request.method() === 'PUT' && request.url().endsWith('/kind'));
    await unnamed.getByLabel('What is this?').selectOption('rent');
    await unnamed.getByRole('button', { name: 'Save' }).click();
    expect((await put).postDataJSON()).toEqual({ kind: 'rent' });
    await unnamed.getByRole('status').filter({ hasText: 'Saved: Rent.' }).waitFor({ timeout: 15_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});
