import type { AslDefinition } from '#local/step-functions/asl';
import type { ExecutionSummary } from '#local/step-functions/execution-store';
import type { EventLog } from '#local/step-functions/interpreter';
import { traceExecution } from '#local/console/execution-trace';
import { layoutGraph } from '#local/console/graph-layout';
import { renderExecutionList, renderExecutionPage } from '#local/console/pages';
import { escapeHtml } from '#local/html-escape';
import type { ExecutionRecord } from '#local/step-functions/execution-store';

/**
 * Everything the console shows comes from payment bodies and errors an attacker controls. The
 * pages may contain only the console's own markup: hostile text in every field must come out
 * as text.
 */
const HOSTILE = [
  `<script>alert(1)</script>`,
  `"><img src=x onerror=alert(2)>`,
  `'><svg onload=alert(3)>`,
  `</pre></code></td><iframe src="javascript:alert(4)">`,
  `<a href="javascript:alert(5)">x</a>`,
  `&lt;script&gt; already escaped, & < > " '`,
  `<style>*{display:none}</style><base href="//evil.example/">`,
  `]]><!-- --><math><mtext><table><mglyph><style><img src=x onerror=alert(6)>`,
];
const hostile = HOSTILE.join(' ');

/** The only elements the console itself writes. */
const OWN_TAGS = new Set(
  'html head meta title link body header main a h1 h2 h3 h4 p form label select option input button table thead tbody tr th td code span dl dt dd ul li pre div section small strong details summary svg defs marker path rect text g'.split(
    ' ',
  ),
);

const tagsIn = (html: string): string[] =>
  [...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((match) => (match[1] as string).toLowerCase());

const expectOnlyOwnMarkup = (html: string): void => {
  expect(tagsIn(html).filter((tag) => !OWN_TAGS.has(tag))).toEqual([]);
  // Escaping leaves no raw quote in text, so every raw `"` delimits one of our attribute values.
  const withoutValues = html.replace(/"[^"]*"/g, '""');
  expect(withoutValues).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
  expect(withoutValues).not.toMatch(/<[a-z][^>]*\sstyle\s*=/i);
  expect(html).not.toMatch(/=\s*"\s*javascript:/i);
  // And the hostile text is there, as text.
  expect(html).toContain(escapeHtml('<script>alert(1)</script>'));
};

const definition: AslDefinition = {
  StartAt: 'Check',
  States: {
    Check: {
      Type: 'Task',
      Resource: 'arn:aws:lambda:local:000000000000:function:x',
      Next: 'Done',
      Catch: [{ ErrorEquals: [hostile], Next: 'Refuse' }],
    },
    Refuse: { Type: 'Pass', End: true },
    Done: { Type: 'Succeed' },
  },
};

const input = { requestId: hostile, body: JSON.stringify({ id: hostile, description: hostile }) };
const events = [
  { type: 'ExecutionStarted', timestamp: 1, input },
  { type: 'StateEntered', timestamp: 2, state: { name: 'Check', type: 'Task', input } },
  {
    type: 'StateFailed',
    timestamp: 3,
    state: { name: 'Check', type: 'Task', input },
    Error: hostile,
    Cause: JSON.stringify({ errorMessage: hostile }),
  },
  {
    type: 'StateCaught',
    timestamp: 3,
    state: { name: 'Check', type: 'Task', input },
    catch: { catcher: { ErrorEquals: [hostile], Next: 'Refuse' } },
  },
  { type: 'StateExited', timestamp: 4, state: { name: 'Check', type: 'Task', input, output: { error: hostile } } },
  { type: 'StateEntered', timestamp: 5, state: { name: 'Refuse', type: 'Pass', input: { error: hostile } } },
  {
    type: 'StateExited',
    timestamp: 6,
    state: { name: 'Refuse', type: 'Pass', input: { error: hostile }, output: { body: hostile } },
  },
  { type: 'ExecutionSucceeded', timestamp: 7, output: { body: hostile } },
] as EventLog[];

const record: ExecutionRecord = {
  executionArn: `arn:aws:states:local:000000000000:express:SubmitPayment:${hostile}`,
  stateMachineArn: 'arn:aws:states:local:000000000000:stateMachine:SubmitPayment',
  name: hostile,
  status: 'FAILED',
  startDate: '2026-11-23T10:00:00.000Z',
  stopDate: '2026-11-23T10:00:00.007Z',
  input,
  output: { body: hostile },
  error: hostile,
  cause: hostile,
  events,
};

const workflow = { name: 'SubmitPayment', type: 'EXPRESS', stateMachineArn: record.stateMachineArn };

/** The record as the list shows it, with `text` as its name, payment id and request id. */
const listedAs = (text: string): ExecutionSummary => ({
  executionArn: record.executionArn,
  stateMachineArn: record.stateMachineArn,
  name: text,
  status: 'SUCCEEDED',
  startDate: record.startDate,
  paymentId: text,
  requestId: text,
});

describe('console pages escape what executions carry', () => {
  test('the executions list: names, ARNs, ids and the filter echoed back', () => {
    const summary = listedAs(hostile);
    const html = renderExecutionList(
      [summary],
      { status: hostile, answer: hostile, workflow: hostile, paymentId: hostile, requestId: hostile, since: hostile },
      [workflow],
    );
    expectOnlyOwnMarkup(html);
    // The link to the execution carries the ARN percent-encoded, inside a quoted attribute.
    expect(html).toContain(`href="/console/executions/${escapeHtml(encodeURIComponent(record.executionArn))}"`);
  });

  test('the execution view: input, output, errors, causes, catch labels and event history', () => {
    const trace = traceExecution(definition, events);
    const html = renderExecutionPage(record, workflow, layoutGraph(definition, trace), trace);
    expectOnlyOwnMarkup(html);
    expect(html).toContain('data-state="Check" data-status="caught"');
  });

  test('a long history is cut at 500 rows on the page, saying so', () => {
    const many = Array.from({ length: 600 }, (_, index) => ({
      type: 'StateEntered',
      timestamp: index,
      state: { name: 'Check', type: 'Task', input: {} },
    })) as EventLog[];
    const html = renderExecutionPage(
      { ...record, events: many },
      workflow,
      layoutGraph(definition),
      traceExecution(definition, []),
    );
    expect(html.match(/<tr><td class="number">/g)).toHaveLength(500);
    expect(html).toContain('600 events, the first 500 shown');
  });

  test('state names from a definition are escaped too', () => {
    const named: AslDefinition = { StartAt: hostile, States: { [hostile]: { Type: 'Succeed' } } };
    const hostileEvents = [
      { type: 'StateEntered', timestamp: 2, state: { name: hostile, type: 'Succeed', input: {} } },
      { type: 'StateExited', timestamp: 3, state: { name: hostile, type: 'Succeed', input: {}, output: {} } },
    ] as EventLog[];
    const trace = traceExecution(named, hostileEvents);
    expectOnlyOwnMarkup(
      renderExecutionPage({ ...record, events: hostileEvents }, workflow, layoutGraph(named, trace), trace),
    );
  });
});

/** A forged client id: OSC (retitle the terminal), CSI (clear the screen), a C1 CSI and a bidi override. */
const FORGED = '\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202eevil';
/** Any control character but the line breaks the page's own markup uses. */
const RAW_CONTROL = /(?!\n)[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

describe('console pages show control characters as visible escapes', () => {
  const forgedInput = { requestId: FORGED, body: `{"id":"${FORGED}"}`, caller: { sub: FORGED, clientId: FORGED } };
  const forged: ExecutionRecord = {
    ...record,
    name: FORGED,
    input: forgedInput,
    output: { statusCode: 403, body: { detail: FORGED } },
    error: FORGED,
    cause: `${FORGED}\nsecond line`,
    events: [
      { type: 'StateEntered', timestamp: 2, state: { name: 'Check', type: 'Task', input: forgedInput } },
    ] as EventLog[],
  };

  test('the list: a forged name, payment and request id', () => {
    const summary: ExecutionSummary = { ...listedAs(FORGED), httpStatus: 403 };
    const html = renderExecutionList(
      [summary],
      { status: '', answer: FORGED, workflow: '', paymentId: FORGED, requestId: '', since: '' },
      [workflow],
    );
    expect(html).not.toMatch(RAW_CONTROL);
    expect(html).toContain('\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202eevil');
  });

  test('the execution page: input, output, error, cause and the trace', () => {
    const trace = traceExecution(definition, forged.events);
    const html = renderExecutionPage(forged, workflow, layoutGraph(definition, trace), trace);
    expect(html).not.toMatch(RAW_CONTROL);
    // The JSON blocks stay JSON (their own \u escapes); the texts show \xNN.
    expect(html).toContain('\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m\\u202eevil');
    expect(html).toContain('<strong>\\x1b]0;pwned\\x07');
    expect(html).toContain('second line');
  });
});
