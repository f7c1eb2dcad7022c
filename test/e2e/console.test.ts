import type { PaymentSubmission } from '#client/payments-api';
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, watchForPageErrors } from '../support/browser';
import { postPayment, submit } from '../support/http';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { paymentSubmission } from '#devtools/submissions';
import { executionEnd, sfnClient, submitPastTheGateway } from '../support/sfn';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { MONTH_SHARDS } from '#contract/tables';

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

const REPORT_ARN = 'arn:aws:states:local:000000000000:stateMachine:MonthlyReport';
/** A client id that retitles a terminal (OSC), clears it (CSI), starts a C1 CSI and reverses the text (bidi). */
const FORGED = '\u001b]0;owned\u0007\u001b[2J\u009b31m\u202eapp';

/** Any control character but the page's own line breaks. */
const TERMINAL_CONTROL = /(?!\n)[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

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
    expect(await rows.locator('td:nth-child(7)').allTextContents()).toEqual(Array(4).fill(story.paymentId));
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

  test("shows each submission's HTTP answer and filters by it: the refusals of a payment are its 4xx, the conflict its 409", async () => {
    const story = await submitStory();
    const page = await browser.newPage();
    const answersOf = async (query: string): Promise<Array<[string, string]>> => {
      await page.goto(`${stack.url}/console?paymentId=${story.paymentId}${query}`);
      const rows = page.locator('table.executions tbody tr');
      const names = await rows.locator('td:nth-child(3)').allTextContents();
      const answers = await rows.locator('td:nth-child(5)').allTextContents();
      return names.map((name, index) => [name, answers[index] ?? '']);
    };
    expect((await answersOf('')).map(([, answer]) => answer)).toEqual(['409', '200', '201', '403']);
    expect(await answersOf('&answer=4xx')).toEqual([
      [story.conflict, '409'],
      [story.forbidden, '403'],
    ]);
    expect(await answersOf('&answer=409')).toEqual([[story.conflict, '409']]);
    expect(await page.locator('input[name="answer"]').inputValue()).toBe('409');
    // Every refused execution SUCCEEDED: the status filter alone cannot find them.
    expect(await answersOf('&status=FAILED')).toEqual([]);
    await page.close();
  });

  test('a report run: its 64 shard executions are under it, not on the first page; its map drawn as run, ×64', async () => {
    const story = await submitStory();
    const client = sfnClient(stack.sfnUrl);
    const started = await client.send(
      new StartExecutionCommand({ stateMachineArn: REPORT_ARN, input: JSON.stringify({ month: '2026-10' }) }),
    );
    expect((await executionEnd(client, started.executionArn ?? '')).status).toBe('SUCCEEDED');
    client.destroy();

    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const errors = watchForPageErrors(page);
    await page.goto(`${stack.url}/console`);
    const workflowsListed = await page.locator('table.executions tbody tr td:nth-child(2)').allTextContents();
    expect(workflowsListed[0]).toBe('MonthlyReport');
    expect(workflowsListed.filter((workflow) => workflow !== 'SubmitPayment')).toEqual(['MonthlyReport']);
    expect(await page.locator('table.executions tbody tr td:nth-child(3)').allTextContents()).toContain(story.conflict);

    await page.goto(`${stack.url}/console/executions/${encodeURIComponent(started.executionArn ?? '')}`);
    // Two Distributed Maps, each with one child per shard: the report shards, then their furnishing parts.
    const count = (await page.locator('p.count').textContent()) ?? '';
    expect(count).toMatch(new RegExp(`^${2 * MONTH_SHARDS} child executions of its 2 map runs: `));
    expect(count).toMatch(new RegExp(`ReportShard ${MONTH_SHARDS} \\(${MONTH_SHARDS} SUCCEEDED\\)`));
    expect(count).toMatch(new RegExp(`FurnishShard ${MONTH_SHARDS} \\(${MONTH_SHARDS} SUCCEEDED\\)`));
    const children = page.locator('table.executions tbody tr');
    expect(await children.count()).toBe(2 * MONTH_SHARDS);
    const iteration = stateNode(page, 'ReportShards.ChildExecution');
    expect(await iteration.getAttribute('data-status')).toBe('succeeded');
    expect(await iteration.locator('text.badge').textContent()).toBe(`×${MONTH_SHARDS}`);
    expect(await stateNode(page, 'ReportShards').getAttribute('data-status')).toBe('succeeded');

    // A child's page draws its own workflow and leads back to its parent.
    await Promise.all([
      page.waitForURL(/\/console\/executions\//),
      children.filter({ hasText: 'ReportShard' }).first().locator('td:nth-child(3) a').click(),
    ]);
    expect(await stateNode(page, 'BuildReports').getAttribute('data-status')).toBe('succeeded');
    await Promise.all([page.waitForURL(/\/console\/executions\//), page.click('a.parent')]);
    expect(page.url()).toContain(encodeURIComponent(started.executionArn ?? ''));
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a forged client id and payment id with terminal escapes show as visible escapes, never raw', async () => {
    const userId = randomUUID();
    const payment = paymentSubmission({ userId });
    // The client id past the gateway (which admits only registered clients), the payment id through it (refused, listed).
    const client = sfnClient(stack.sfnUrl);
    const executionArn = await submitPastTheGateway(client, JSON.stringify(payment), {
      sub: userId,
      clientId: FORGED,
      scope: '',
    });
    client.destroy();
    const refused = await postPayment(stack.url, {
      token: await stack.token({ sub: userId }),
      body: JSON.stringify({ ...payment, id: FORGED }),
    });
    expect(refused.status).toBe(400);

    const list = await (await fetch(`${stack.url}/console?answer=400`)).text();
    const page = await (await fetch(`${stack.url}/console/executions/${encodeURIComponent(executionArn)}`)).text();
    for (const html of [list, page]) expect(TERMINAL_CONTROL.exec(html)).toBeNull();
    expect(list).toContain('<code>\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202eapp</code>');
    // In the input's JSON: JSON's own escapes, C1 and bidi included.
    expect(page).toContain('\\u001b]0;owned\\u0007\\u001b[2J\\u009b31m\\u202eapp');
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
