import { randomUUID } from 'node:crypto';
import { MONTHLY_REPORT_WORKFLOW, SUBMIT_PAYMENT_WORKFLOW } from '#contract/workflows';
import type { HttpResponse } from '#contract/http-mapping';
import { CONSOLE_CONTENT_SECURITY_POLICY, type ConsoleWorkflow, consoleRouter } from '#local/console/console-router';
import { isLoopbackHost, isLoopbackSfnHost } from '#local/loopback-host';
import { paymentIdsOf, submissionIds } from '#devtools/submission-ids';
import { ExecutionStore } from '#local/step-functions/execution-store';
import { LocalWorkflow } from '#local/step-functions/workflow-runner';
import { bindLocalFunction } from '#local/lambda/lambda-runtime';
import type { EventLog } from '#local/step-functions/interpreter';
import type { ExecutionRecord } from '#local/step-functions/execution-store';
import { definitionWithFakeArns } from '../../../support/definitions';
import { scratchDir } from '../../../support/scratch-dir';

/** The console's routes over a real ExecutionStore in a temp dir, with records shaped as the runner saves them. */
const SUBMIT_ARN = 'arn:aws:states:local:000000000000:stateMachine:SubmitPayment';
const REPORT_ARN = 'arn:aws:states:local:000000000000:stateMachine:MonthlyReport';
const workflows: ConsoleWorkflow[] = [
  {
    name: 'SubmitPayment',
    type: 'EXPRESS',
    stateMachineArn: SUBMIT_ARN,
    definition: definitionWithFakeArns(SUBMIT_PAYMENT_WORKFLOW.definitionFile),
  },
  {
    name: 'MonthlyReport',
    type: 'STANDARD',
    stateMachineArn: REPORT_ARN,
    definition: definitionWithFakeArns(MONTHLY_REPORT_WORKFLOW.definitionFile),
  },
];

const refused = (paymentId: string): ExecutionRecord => {
  const requestId = randomUUID();
  const input = {
    requestId,
    receivedAt: '2026-11-23T10:00:00.000Z',
    body: JSON.stringify({ id: paymentId, amount: 'abc' }),
    caller: {},
  };
  const state = (name: string, output?: unknown) => ({
    name,
    type: name === 'ValidatePayment' ? 'Task' : 'Pass',
    input,
    ...(output ? { output } : {}),
  });
  return {
    executionArn: `arn:aws:states:local:000000000000:express:SubmitPayment:${requestId}:${randomUUID()}`,
    stateMachineArn: SUBMIT_ARN,
    name: requestId,
    status: 'SUCCEEDED',
    startDate: '2026-11-23T10:00:00.000Z',
    stopDate: '2026-11-23T10:00:00.020Z',
    input,
    output: { statusCode: 400 },
    events: [
      { type: 'StateEntered', timestamp: 1, state: state('ValidatePayment') },
      { type: 'StateFailed', timestamp: 2, state: state('ValidatePayment'), Error: 'InvalidPayment', Cause: '{}' },
      {
        type: 'StateCaught',
        timestamp: 2,
        state: state('ValidatePayment'),
        catch: { catcher: { ErrorEquals: ['InvalidPayment'], Next: 'BadRequest' } },
      },
      { type: 'StateExited', timestamp: 3, state: state('ValidatePayment', input) },
      { type: 'StateEntered', timestamp: 4, state: state('BadRequest') },
      { type: 'StateExited', timestamp: 5, state: state('BadRequest', { statusCode: 400 }) },
    ] as EventLog[],
  };
};

const reportRun = (): ExecutionRecord => ({
  executionArn: `arn:aws:states:local:000000000000:execution:MonthlyReport:${randomUUID()}`,
  stateMachineArn: REPORT_ARN,
  name: 'report-2026-10',
  status: 'FAILED',
  startDate: '2026-11-23T11:00:00.000Z',
  stopDate: '2026-11-23T11:00:01.000Z',
  input: { month: '2026-13' },
  error: 'InvalidMonth',
  cause: 'Expected a month',
  events: [],
});

let store: ExecutionStore;
let request: (method: string, pathAndQuery: string) => Promise<HttpResponse>;
const paymentId = randomUUID();
const submission = refused(paymentId);
const report = reportRun();

beforeAll(async () => {
  store = await ExecutionStore.open(scratchDir('console-executions-'), {
    describe: submissionIds,
    index: paymentIdsOf,
  });
  await Promise.all([store.save(submission), store.save(report), store.save(refused(randomUUID()))]);
  const route = consoleRouter({ executions: store, workflows });
  request = (method, pathAndQuery) => route(method, new URL(pathAndQuery, 'http://localhost'), 'request-1');
});

const body = (answer: HttpResponse): Record<string, unknown> => JSON.parse(answer.body) as Record<string, unknown>;
const namesIn = (answer: HttpResponse): string[] =>
  (body(answer).executions as Array<{ name: string }>).map((execution) => execution.name);

describe('console routes', () => {
  test("GET /console: every workflow's executions, newest first, as HTML under a no-script CSP", async () => {
    const answer = await request('GET', '/console');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['Content-Security-Policy']).toBe(CONSOLE_CONTENT_SECURITY_POLICY);
    expect(CONSOLE_CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONSOLE_CONTENT_SECURITY_POLICY).not.toMatch(/script-src|unsafe/);
    expect(answer.body.indexOf(report.name)).toBeLessThan(answer.body.indexOf(submission.name));
  });

  test('filters by workflow, status, payment id and request id', async () => {
    expect(namesIn(await request('GET', '/console/api/executions?workflow=MonthlyReport'))).toEqual([report.name]);
    expect(namesIn(await request('GET', '/console/api/executions?status=FAILED'))).toEqual([report.name]);
    expect(namesIn(await request('GET', `/console/api/executions?paymentId=${paymentId}`))).toEqual([submission.name]);
    expect(
      namesIn(await request('GET', `/console/api/executions?requestId=${submission.name}&workflow=SubmitPayment`)),
    ).toEqual([submission.name]);
    expect(namesIn(await request('GET', '/console/api/executions?since=2026-11-23T10:30:00Z'))).toEqual([report.name]);
    // An HTML form sends empty fields: they mean "any".
    expect(
      namesIn(await request('GET', '/console/api/executions?status=&workflow=&paymentId=&requestId=&since=')),
    ).toHaveLength(3);
    const html = await request('GET', `/console?paymentId=${paymentId}`);
    expect(html.body).toContain(submission.name);
    expect(html.body).not.toContain(report.name);
  });

  test.each([
    ['status', 'status=DONE'],
    ['workflow', 'workflow=Nope'],
    ['since', 'since=yesterday'],
    ['paymentId', `paymentId=${'x'.repeat(201)}`],
    ['requestId', 'requestId=a%00b'],
    ['answer', 'answer=4x'],
  ])('a bad %s is a 400 problem naming it, on the page and in the API', async (field, query) => {
    for (const route of ['/console', '/console/api/executions']) {
      const answer = await request('GET', `${route}?${query}`);
      expect(answer.statusCode).toBe(400);
      expect(answer.headers['Content-Type']).toBe('application/problem+json');
      expect(body(answer)).toEqual(
        expect.objectContaining({ status: 400, errors: [expect.objectContaining({ field })] }),
      );
    }
  });

  test('filters by HTTP answer, and shows it as a column: a refused submission SUCCEEDED with a 400', async () => {
    expect(namesIn(await request('GET', '/console/api/executions?answer=4xx')).sort()).toEqual(
      namesIn(await request('GET', '/console/api/executions?workflow=SubmitPayment')).sort(),
    );
    expect(namesIn(await request('GET', `/console/api/executions?answer=400&paymentId=${paymentId}`))).toEqual([
      submission.name,
    ]);
    expect(namesIn(await request('GET', '/console/api/executions?answer=409'))).toEqual([]);
    expect(namesIn(await request('GET', '/console/api/executions?answer=2xx'))).toEqual([]);
    const html = (await request('GET', `/console?answer=4xx&paymentId=${paymentId}`)).body;
    expect(html).toContain('<th>HTTP answer</th>');
    expect(html).toMatch(/<span class="answer answer-4xx">400<\/span>/);
    expect(html).toContain('name="answer" value="4xx"');
  });

  test('an execution: its page with the graph, and as JSON with its trace and layout', async () => {
    const encoded = encodeURIComponent(submission.executionArn);
    const page = await request('GET', `/console/executions/${encoded}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<svg class="graph"');
    expect(page.body).toContain('data-state="ValidatePayment" data-status="caught"');

    const answer = body(await request('GET', `/console/api/executions/${encoded}`));
    expect(answer.execution).toEqual(expect.objectContaining({ executionArn: submission.executionArn }));
    expect(answer.trace).toEqual(
      expect.objectContaining({ transitions: [{ from: 'ValidatePayment', to: 'BadRequest' }] }),
    );
    const nodes = (answer.graph as { nodes: Array<{ name: string; status: string }> }).nodes;
    expect(nodes.find((node) => node.name === 'BadRequest')?.status).toBe('succeeded');
    expect(nodes.find((node) => node.name === 'StorePayment')?.status).toBe('not-run');
  });

  test('an execution of a workflow the stack does not run: its page, without a graph', async () => {
    const orphan = { ...reportRun(), stateMachineArn: 'arn:aws:states:local:000000000000:stateMachine:Retired' };
    const own = await ExecutionStore.open(scratchDir('console-executions-'));
    await own.save(orphan);
    const route = consoleRouter({ executions: own, workflows });
    const page = await route(
      'GET',
      new URL(`/console/executions/${encodeURIComponent(orphan.executionArn)}`, 'http://localhost'),
      'request-2',
    );
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(orphan.stateMachineArn);
    expect(page.body).not.toContain('<a href="#state-');
  });

  test('an unknown or malformed ARN, or an unknown path, is a 404 problem; anything but GET a 405', async () => {
    for (const pathname of [
      '/console/executions/arn%3Anope',
      '/console/executions/%E0%A4%A',
      '/console/api/executions/x',
      '/console/nothing',
    ]) {
      const answer = await request('GET', pathname);
      expect([pathname, answer.statusCode, answer.headers['Content-Type']]).toEqual([
        pathname,
        404,
        'application/problem+json',
      ]);
    }
    const post = await request('POST', '/console');
    expect(post.statusCode).toBe(405);
    expect(post.headers.Allow).toBe('GET');
  });

  test('serves its stylesheet and icon itself (the CSP allows nothing else)', async () => {
    const css = await request('GET', '/console/console.css');
    expect([css.statusCode, css.headers['Content-Type']]).toEqual([200, 'text/css; charset=utf-8']);
    expect(css.body).toContain('.state-detail:target');
    const icon = await request('GET', '/console/favicon.svg');
    expect([icon.statusCode, icon.headers['Content-Type']]).toEqual([200, 'image/svg+xml']);
  });
});

describe('console host check (no token: DNS rebinding must not reach it)', () => {
  test.each(['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST:1', 'localhost'])(
    '%s is this machine',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );
  test.each([
    undefined,
    '',
    'attacker.example:3000',
    'localhost.attacker.example:3000',
    '127.0.0.1.nip.io:3000',
    'evil-localhost:3000',
  ])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('Step Functions API host check (the local IAM: only this machine may call it)', () => {
  test.each(['localhost:8083', '127.0.0.1:8083', '[::1]:8083', 'sync-localhost:8083', 'SYNC-127.0.0.1:8083'])(
    '%s is this machine',
    (host) => {
      expect(isLoopbackSfnHost(host)).toBe(true);
    },
  );
  test.each([
    undefined,
    '',
    'rebind.attacker.example:8083',
    'sync-attacker.example:8083',
    'sync-:8083',
    'localhost.attacker.example',
    'sync-sync-localhost',
  ])('%s is not', (host) => {
    expect(isLoopbackSfnHost(host)).toBe(false);
  });
  test('the console takes no sync- prefix', () => {
    expect(isLoopbackHost('sync-localhost:3000')).toBe(false);
  });
});

describe("a report run's child executions (its Distributed Map's items)", () => {
  const report = new LocalWorkflow({
    workflow: MONTHLY_REPORT_WORKFLOW,
    functions: MONTHLY_REPORT_WORKFLOW.functions.map((definition) => bindLocalFunction(definition, async () => ({}))),
  });
  const [map] = report.distributedMapChildren;
  const entered = (name: string, type: string, timestamp: number) =>
    [
      { type: 'StateEntered', timestamp, state: { name, type, input: {} } },
      { type: 'StateExited', timestamp: timestamp + 1, state: { name, type, input: {}, output: {} } },
    ] as EventLog[];
  const run = (childStatuses: Array<'SUCCEEDED' | 'FAILED'>) => {
    const name = `report-2026-10-${randomUUID()}`;
    const parent: ExecutionRecord = {
      executionArn: report.executionArn(name),
      stateMachineArn: report.stateMachineArn,
      name,
      status: 'SUCCEEDED',
      startDate: '2026-11-23T12:00:00.000Z',
      stopDate: '2026-11-23T12:00:09.000Z',
      input: { month: '2026-10' },
      output: {},
      events: [...entered('StartReportRun', 'Task', 1), ...entered('ReportShards', 'Map', 3)],
    };
    const children = childStatuses.map((status, index): ExecutionRecord => ({
      executionArn: map!.workflow.executionArn(`${name}-${index}`),
      stateMachineArn: map!.workflow.stateMachineArn,
      name: `${name}-${index}`,
      status,
      startDate: `2026-11-23T12:00:0${index + 1}.000Z`,
      stopDate: `2026-11-23T12:00:0${index + 2}.000Z`,
      input: { shard: index },
      ...(status === 'FAILED' ? { error: 'States.TaskFailed' } : { output: {} }),
      parentExecutionArn: parent.executionArn,
      events: [],
    }));
    return { parent, children };
  };
  const succeeded = run(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  const oneFailed = run(['SUCCEEDED', 'FAILED']);
  let route: ReturnType<typeof consoleRouter>;
  const get = (pathAndQuery: string) => route('GET', new URL(pathAndQuery, 'http://localhost'), 'request-3');
  const graphNode = async (executionArn: string, name: string) =>
    (
      body(await get(`/console/api/executions/${encodeURIComponent(executionArn)}`)).graph as {
        nodes: Array<{ name: string; status: string; runs: number }>;
      }
    ).nodes.find((node) => node.name === name);

  beforeAll(async () => {
    const own = await ExecutionStore.open(scratchDir('console-executions-'));
    await Promise.all(
      [succeeded, oneFailed].flatMap(({ parent, children }) => [parent, ...children].map((record) => own.save(record))),
    );
    route = consoleRouter({ executions: own, workflows: [report] });
  });

  test('the list shows the runs, not their children', async () => {
    // Both runs start at the same instant, so their order in the list is not what is checked.
    expect(namesIn(await get('/console/api/executions')).sort()).toEqual(
      [oneFailed.parent.name, succeeded.parent.name].sort(),
    );
    expect((await get('/console')).body).not.toContain(succeeded.children[0]!.name);
  });

  test("the parent's page lists its children, and each child's page links back to its parent", async () => {
    const page = (await get(`/console/executions/${encodeURIComponent(succeeded.parent.executionArn)}`)).body;
    expect(page).toContain('<h2 id="child-executions">Child executions</h2>');
    expect(page).toContain('3 child executions of its map run: 3 SUCCEEDED.');
    for (const child of succeeded.children) expect(page).toContain(`>${child.name}</a>`);
    expect(page).not.toContain(oneFailed.children[0]!.name);

    const child = (await get(`/console/executions/${encodeURIComponent(succeeded.children[1]!.executionArn)}`)).body;
    expect(child).toContain(
      `<a class="parent" href="/console/executions/${encodeURIComponent(succeeded.parent.executionArn)}">`,
    );
    // Drawn from the child workflow's own definition.
    expect(child).toContain('data-state="RebuildLateReports"');
  });

  test("the map's iteration is drawn as run, once per child: succeeded, or caught where a tolerated child failed", async () => {
    expect(map?.iterationState).toBe('ReportShards.ChildExecution');
    expect(await graphNode(succeeded.parent.executionArn, map!.iterationState)).toMatchObject({
      status: 'succeeded',
      runs: 3,
    });
    expect(await graphNode(oneFailed.parent.executionArn, map!.iterationState)).toMatchObject({
      status: 'caught',
      runs: 2,
    });
    const page = (await get(`/console/executions/${encodeURIComponent(succeeded.parent.executionArn)}`)).body;
    expect(page).toContain(`data-state="${map!.iterationState}" data-status="succeeded"`);
    expect(page).toContain('×3');
  });
});
