import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { monthBefore, previousMonth } from '#domain/month';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { sharedStackAndBrowser } from '../../support/chromium-stack';
import { historyFrom, reportedCommitment, seedReport } from '../../support/commitments';
import { testDocumentClient } from '../../support/dynamodb';
import { signInThroughProvider, webAppUrl } from '../../support/web-app-page';

/**
 * The web app marks a month with a payment the bank reversed (decisions/0019) in a real headless Chromium: the cell is
 * marked ↩ besides its status mark, and the strip's text alternative names the month. The report is seeded in the
 * shape the report build writes it (the build is tested in test/workflow/payment-reversal.test.ts).
 */
let stack: RunningLocalStack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await sharedStackAndBrowser();
});

describe('a reversed payment in the web app (headless Chromium)', () => {
  test("the reversed month's cell is marked and the text alternative says so", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const commitments = page.waitForRequest((request) => new URL(request.url()).pathname === '/commitments');
    await page.goto(webAppUrl(stack));
    await signInThroughProvider(page, webAppUrl(stack), `customer-${randomUUID().slice(0, 8)}@example.com`);
    const token = (await commitments).headers().authorization?.replace(/^Bearer /, '') ?? '';
    const userId = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string })
      .sub;
    const month = monthBefore(new Date());
    const reversedMonth = previousMonth(month);
    const rent = reportedCommitment(
      'GBP#acme-lettings',
      'ACME LETTINGS',
      historyFrom(month, ['kept', 'missed', 'kept']),
      [{ id: randomUUID(), timestamp: `${month}-01T08:00:00Z`, localDate: `${month}-01`, amount: '800.00' }],
    );
    await seedReport(testDocumentClient(), stack.tableNames.payments, userId, month, [
      { ...rent, reversedMonths: [reversedMonth], reversedPayments: [] },
    ]);

    await page.reload();
    const item = page.locator('#commitment-list li.commitment').first();
    await item.waitFor({ timeout: 15_000 });
    const cells = item.locator('.history-strip li');
    expect(await cells.evaluateAll((all) => all.slice(0, 3).map((cell) => [cell.className, cell.textContent]))).toEqual(
      [
        ['cell kept', '✓'],
        ['cell missed reversed', '✗↩'],
        ['cell kept', '✓'],
      ],
    );
    expect(await cells.nth(1).getAttribute('title')).toBe(
      `${reversedMonth}: missed; a payment was reversed by the bank`,
    );
    expect(await item.locator('.history-text').textContent()).toContain(
      `A payment of ${reversedMonth} was returned or reversed by the bank: it does not count as kept.`,
    );
    await page.close();
  });
});
