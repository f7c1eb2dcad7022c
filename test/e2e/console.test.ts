import type { PaymentSubmission } from '#client/payments-api';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, watchForPageErrors } from '../support/browser';
import { submit } from '../support/http';
import { type RunningLocalStack, startLocalStack } from '#harness/local-stack-process';
import { paymentSubmission } from '../support/submissions';

/**
 * The local console in a real headless Chromium, against a local stack's real executions: the
 * list filtered by payment id, the graph of a rejected submission, a state's details on click,
 * and hostile payment text shown as text. One browser for the file.
 */
let stack: RunningLocalStack;
let browser: Browser;
/** The execution view, as the test saw it (docs/console.png is one taken here). */
const SCREENSHOT = path.join(tmpdir(), 'payments-tracker-console.png');

beforeAll(async () => {
  [stack, browser] = await Promise.all([startLocalStack(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const HOSTILE = `<script>alert('script')</script><img src=x onerror="alert('img')">"'&`;

/** One payment's whole story: refused for another user, accepted, replayed, then its id reused with other (hostile) content. */
const submitStory = async () => {
  const userId = randomUUID();
  const token = await stack.token({ sub: userId });
  const payment = paymentSubmission({ userId });
  const post = (body: PaymentSubmission, bearer = token) => submit(stack.url, bearer, body);
  const forbidden = await post(payment, await stack.token({ sub: randomUUID() }));
  const created = await post(payment);
  const replayed = await post(payment);
  const conflict = await post({ ...payment, description: HOSTILE });
  expect([forbidden.status, created.status, replayed.status, conflict.status]).toEqual([403, 201, 200, 409]);
  const requestId = (answer: { headers: Headers }): string => answer.headers.get('x-request-id') ?? '';
  return {
    paymentId: String(payment.id),
    forbidden: requestId(forbidden),
    conflict: requestId(conflict),
    created: requestId(created),
  };
};

const stateNode = (page: Page, name: string) => page.locator(`svg.graph a.node[data-state="${name}"]`);

describe('the local console in headless Chromium', () => {
  test('lists the executions of a payment, draws the rejected one, shows a state on click, renders hostile text inertly', async () => {
    const story = await submitStory();
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const errors = watchForPageErrors(page);

    const listed = await page.goto(`${stack.url}/console`);
    expect(listed?.status()).toBe(200);
    expect(listed?.headers()['content-security-policy']).toContain("default-src 'none'");
    await page.selectOption('select[name="workflow"]', 'SubmitPayment');
    await page.fill('input[name="paymentId"]', story.paymentId);
    await Promise.all([page.waitForURL(/paymentId=/), page.click('button[type="submit"]')]);

    const rows = page.locator('table.executions tbody tr');
    expect(await rows.count()).toBe(4);
    expect(await rows.locator('td:nth-child(6)').allTextContents()).toEqual(Array(4).fill(story.paymentId));
    // Newest first: the conflict was the last submission, the refusal the first.
    const names = await rows.locator('td:nth-child(3)').allTextContents();
    expect(names[0]).toBe(story.conflict);
    expect(names[3]).toBe(story.forbidden);

    await Promise.all([page.waitForURL(/\/console\/executions\//), page.click(`text=${story.forbidden}`)]);
    expect(await page.locator('svg.graph').isVisible()).toBe(true);
    expect(await page.locator('dd.http-status').textContent()).toBe('403');
    const statusOf = (name: string) => stateNode(page, name).getAttribute('data-status');
    expect(await statusOf('ValidatePayment')).toBe('succeeded');
    expect(await statusOf('AuthorizeOwner')).toBe('caught');
    expect(await statusOf('Forbidden')).toBe('succeeded');
    expect(await statusOf('RespondWithProblem')).toBe('succeeded');
    expect(await statusOf('CheckIdempotency')).toBe('not-run');
    expect(await statusOf('StorePayment')).toBe('not-run');
    const taken = await page.locator('svg.graph path.edge.taken > title').allTextContents();
    expect(taken.map((title) => title.split(' (')[0]).sort()).toEqual(
      ['AuthorizeOwner → Forbidden', 'Forbidden → RespondWithProblem', 'ValidatePayment → AuthorizeOwner'].sort(),
    );

    const details = page.locator('section.state-detail[data-state="AuthorizeOwner"]');
    expect(await details.isVisible()).toBe(false);
    await stateNode(page, 'AuthorizeOwner').click();
    expect(await details.isVisible()).toBe(true);
    const shown = await details.innerText();
    expect(shown).toContain('NotPaymentOwner');
    expect(shown).toMatch(/caught → Forbidden/);
    expect(shown).toContain(story.paymentId);
    expect(shown).toMatch(/Duration\s+\d+ ms/);
    await page.screenshot({ path: SCREENSHOT, fullPage: true, clip: { x: 0, y: 0, width: 1440, height: 1000 } });

    await stateNode(page, 'RespondWithProblem').click();
    const answer = page.locator('section.state-detail[data-state="RespondWithProblem"]');
    expect(await answer.isVisible()).toBe(true);
    expect(await details.isVisible()).toBe(false);
    expect(await answer.innerText()).toContain('"statusCode": 403');

    // The conflicting submission carried markup: it must show as text and run nothing.
    await page.goto(`${stack.url}/console?paymentId=${story.paymentId}`);
    await Promise.all([page.waitForURL(/\/console\/executions\//), page.click(`text=${story.conflict}`)]);
    expect(await statusOf('CheckIdempotency')).toBe('caught');
    expect(await page.locator('pre', { hasText: HOSTILE.slice(0, 20) }).count()).toBeGreaterThan(0);
    expect(await page.locator('main img, main script').count()).toBe(0);

    expect(errors).toEqual([]);
    await page.close();
  });

  test('answers only requests addressed to localhost: another Host (DNS rebinding) gets 403 and no data', async () => {
    const get = (host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpRequest(`${stack.url}/console/api/executions`, { headers: { Host: host } }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        request.on('error', reject);
        request.end();
      });
    const foreign = await get(`attacker.example:${stack.port}`);
    expect(foreign.status).toBe(403);
    expect(foreign.body).not.toContain('executionArn');
    expect((await get(`localhost:${stack.port}`)).status).toBe(200);
  });
});
