import type { ExecutionSummary } from '#local/step-functions/execution-store';
import type { ExecutionRecord } from '#local/step-functions/execution-store';
import type { RecordedEvent } from '#local/step-functions/interpreter';
import type { ExecutionFilterForm } from '#local/console/execution-filter-form';
import { EXECUTION_STATUSES } from '#devtools/execution-status';
import type { ExecutionTrace, StateRun } from '#local/console/execution-trace';
import type { GraphLayout } from '#local/console/graph-layout';
import { renderGraphSvg } from '#local/console/graph-svg';
import { htmlLines, htmlText } from '#local/console/console-text';
import { exactJson } from '#devtools/visible-controls';
import { httpAnswerOf } from '#devtools/http-answer';
import { FURNISHING_COLUMNS, furnishingOf, furnishingRows } from '#domain/furnishing';

/**
 * The console's two pages as HTML strings. Everything that comes from an execution (payment
 * bodies, error causes, names) is attacker-controlled: it goes through htmlText (HTML escaped, control
 * characters shown as escapes), always, and the pages carry no script at all (the CSP forbids it).
 */
export interface ConsoleWorkflowInfo {
  name: string;
  type: string;
  stateMachineArn: string;
}

export const CONSOLE_PATH = '/console';
/** Runs shown per state: a report's Map can run a state thousands of times. */
const MAX_RUNS_SHOWN = 25;
const MAX_EXECUTIONS_SHOWN = 200;
/** A report run over many users logs tens of thousands of events. */
const MAX_EVENTS_SHOWN = 500;

export const executionHref = (executionArn: string): string =>
  `${CONSOLE_PATH}/executions/${encodeURIComponent(executionArn)}`;

const page = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlText(title)}</title>
<link rel="stylesheet" href="${CONSOLE_PATH}/console.css"><link rel="icon" href="${CONSOLE_PATH}/favicon.svg" type="image/svg+xml">
</head><body>
<header><a class="home" href="${CONSOLE_PATH}">Payments Tracker · local console</a></header>
<main>
${body}
</main></body></html>
`;

const statusBadge = (status: string): string =>
  `<span class="badge status-${htmlText(status)}">${htmlText(status)}</span>`;

/** A submission's payment id; a batch's count of payments (filtering by one of its ids finds the batch). */
const paymentCell = (execution: { paymentId?: string; paymentIds?: string[] }): string =>
  execution.paymentId ??
  (execution.paymentIds
    ? `batch: ${execution.paymentIds.length} payment${execution.paymentIds.length === 1 ? '' : 's'}`
    : '');

const durationText = (startDate: string, stopDate: string | undefined): string => {
  if (!stopDate) return '';
  return `${Date.parse(stopDate) - Date.parse(startDate)} ms`;
};

const workflowName = (workflows: readonly ConsoleWorkflowInfo[], stateMachineArn: string): string =>
  workflows.find((workflow) => workflow.stateMachineArn === stateMachineArn)?.name ??
  stateMachineArn.split(':').at(-1) ??
  stateMachineArn;

const option = (value: string, label: string, selected: string): string =>
  `<option value="${htmlText(value)}"${value === selected ? ' selected' : ''}>${htmlText(label)}</option>`;

const filterForm = (
  query: ExecutionFilterForm,
  workflows: readonly ConsoleWorkflowInfo[],
): string => `<form class="filters" method="get" action="${CONSOLE_PATH}">
<label>Workflow <select name="workflow">${option('', 'any', query.workflow)}${workflows.map((w) => option(w.name, `${w.name} (${w.type})`, query.workflow)).join('')}</select></label>
<label>Status <select name="status">${option('', 'any', query.status)}${EXECUTION_STATUSES.map((s) => option(s, s, query.status)).join('')}</select></label>
<label>HTTP answer <input name="answer" value="${htmlText(query.answer)}" size="5" placeholder="4xx" autocomplete="off"></label>
<label>Payment id <input name="paymentId" value="${htmlText(query.paymentId)}" size="38" autocomplete="off"></label>
<label>Request id <input name="requestId" value="${htmlText(query.requestId)}" size="38" autocomplete="off"></label>
<label>Since <input name="since" value="${htmlText(query.since)}" size="8" placeholder="1h" autocomplete="off"></label>
<button type="submit">Filter</button> <a href="${CONSOLE_PATH}">clear</a>
</form>`;

/** A submission's HTTP answer: a refusal (400, 403, 409) is a SUCCEEDED execution, told apart here. */
const answerCell = (httpStatus: number | undefined): string =>
  httpStatus === undefined ? '' : `<span class="answer answer-${Math.floor(httpStatus / 100)}xx">${httpStatus}</span>`;

const executionRow = (execution: ExecutionSummary, workflows: readonly ConsoleWorkflowInfo[]): string =>
  `<tr data-execution-arn="${htmlText(execution.executionArn)}">
<td>${htmlText(execution.startDate)}</td>
<td>${htmlText(workflowName(workflows, execution.stateMachineArn))}</td>
<td><a href="${htmlText(executionHref(execution.executionArn))}">${htmlText(execution.name)}</a></td>
<td>${statusBadge(execution.status)}</td>
<td class="number">${answerCell(execution.httpStatus)}</td>
<td class="number">${htmlText(durationText(execution.startDate, execution.stopDate))}</td>
<td><code>${htmlText(paymentCell(execution))}</code></td>
<td><code>${htmlText(execution.requestId ?? '')}</code></td>
</tr>`;

const executionTable = (rows: string): string =>
  `<table class="executions"><thead><tr><th>Started (UTC)</th><th>Workflow</th><th>Execution</th><th>Status</th><th>HTTP answer</th><th>Duration</th><th>Payment id</th><th>Request id</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;

export const renderExecutionList = (
  executions: readonly ExecutionSummary[],
  query: ExecutionFilterForm,
  workflows: readonly ConsoleWorkflowInfo[],
): string => {
  const shown = executions.slice(0, MAX_EXECUTIONS_SHOWN);
  const rows = shown.map((execution) => executionRow(execution, workflows)).join('\n');
  const count =
    executions.length > shown.length
      ? `The newest ${shown.length} of ${executions.length} executions; filter to see others.`
      : `${executions.length} execution${executions.length === 1 ? '' : 's'}, newest first.`;
  return page(
    'Executions · local console',
    `<h1>Executions</h1>
${filterForm(query, workflows)}
<p class="count">${htmlText(count)}</p>
${executionTable(rows)}`,
  );
};

const json = (value: unknown): string =>
  value === undefined ? '<p class="none">none</p>' : `<pre>${htmlLines(exactJson(value))}</pre>`;

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * A cause as readable as it can be: a Lambda error's cause is JSON (errorType, errorMessage, often
 * itself JSON, and a stack trace), shown indented, with the trace folded away.
 */
const renderCause = (cause: string): string => {
  const parsed = parseJson(cause);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return `<pre>${htmlLines(cause)}</pre>`;
  const { trace, ...rest } = parsed as Record<string, unknown>;
  const message = typeof rest.errorMessage === 'string' ? parseJson(rest.errorMessage) : undefined;
  const shown = message === undefined ? rest : { ...rest, errorMessage: message };
  const stack = Array.isArray(trace)
    ? `<details><summary>stack trace</summary><pre>${htmlLines(trace.join('\n'))}</pre></details>`
    : '';
  return `<pre>${htmlLines(exactJson(shown))}</pre>${stack}`;
};

const time = (epochMs: number | undefined): string => (epochMs === undefined ? '' : new Date(epochMs).toISOString());

/** A report run's credit-bureau files (its summary's `furnishing`), as `npm run ops` lists them. */
const furnishingSection = (output: unknown): string => {
  const outcome = furnishingOf(output);
  if (!outcome) return '';
  const cells = (row: readonly string[], tag: 'th' | 'td'): string =>
    `<tr>${row.map((cell) => `<${tag}>${htmlText(cell)}</${tag}>`).join('')}</tr>`;
  return `<h2>Furnishing files</h2>
<table class="furnishing">${cells(FURNISHING_COLUMNS, 'th')}${furnishingRows(outcome)
    .map((row) => cells(row, 'td'))
    .join('')}</table>
`;
};

const runSection = (run: StateRun, index: number): string => {
  const failures = run.failures
    .map(
      (failure) =>
        `<li class="failure outcome-${failure.outcome}"><strong>${htmlText(failure.error)}</strong> at ${htmlText(time(failure.at))}: ${htmlText(failure.outcome)}${failure.next ? ` → ${htmlText(failure.next)}` : ''}${renderCause(failure.cause)}</li>`,
    )
    .join('');
  return `<section class="run">
<h3>Run ${index + 1}${run.iteration === undefined ? '' : ` (item ${run.iteration})`}</h3>
<dl class="timing"><dt>Entered</dt><dd>${htmlText(time(run.enteredAt))}</dd><dt>Exited</dt><dd>${htmlText(time(run.exitedAt)) || 'not yet'}</dd><dt>Duration</dt><dd class="duration">${run.durationMs === undefined ? '' : `${run.durationMs} ms`}</dd></dl>
${failures ? `<ul class="failures">${failures}</ul>` : ''}
<div class="io"><div><h4>Input</h4>${json(run.input)}</div><div><h4>Output</h4>${json(run.output)}</div></div>
</section>`;
};

const stateDetails = (name: string, type: string, anchor: string, trace: ExecutionTrace): string => {
  const state = trace.states[name];
  const runs = state?.runs ?? [];
  const more =
    runs.length > MAX_RUNS_SHOWN
      ? `<p>… and ${runs.length - MAX_RUNS_SHOWN} more runs (the API has them all).</p>`
      : '';
  return `<section class="state-detail" id="${htmlText(anchor)}" data-state="${htmlText(name)}">
<h2>${htmlText(name)} <small>${htmlText(type)}</small> ${statusBadge(state?.status ?? 'not-run')}${state?.retries ? ` <span class="retries">${state.retries} ${state.retries === 1 ? 'retry' : 'retries'}</span>` : ''}</h2>
${runs.length === 0 ? '<p class="none">Not entered in this execution.</p>' : runs.slice(0, MAX_RUNS_SHOWN).map(runSection).join('\n')}
${more}
</section>`;
};

const eventRow = (event: RecordedEvent, startedAt: number): string => {
  const state = 'state' in event ? event.state.name : 'parentState' in event ? event.parentState.name : '';
  const index = 'index' in event && event.index !== undefined ? ` [${event.index}]` : '';
  const error = 'Error' in event ? event.Error : '';
  return `<tr><td class="number">+${event.timestamp - startedAt} ms</td><td>${htmlText(event.type)}</td><td>${htmlText(state + index)}</td><td>${htmlText(error)}</td></tr>`;
};

const LEGEND = `<ul class="legend">
<li><span class="swatch status-succeeded"></span>succeeded</li><li><span class="swatch status-caught"></span>failed, caught</li>
<li><span class="swatch status-failed"></span>failed</li><li><span class="swatch status-running"></span>running</li>
<li><span class="swatch status-not-run"></span>not entered</li><li><span class="line taken"></span>path taken</li>
<li>↻n retries, ×n runs (Map items)</li></ul>`;

/** A submission's HTTP answer: a SUCCEEDED execution may well have answered 403, a FAILED one answered 500. */
const httpAnswer = (execution: ExecutionRecord): string => {
  const statusCode = httpAnswerOf(execution);
  return statusCode === undefined ? '' : `<dt>HTTP answer</dt><dd class="http-status">${statusCode}</dd>\n`;
};

const statusCounts = (children: readonly ExecutionSummary[]): string => {
  const byStatus = new Map<string, number>();
  for (const child of children) byStatus.set(child.status, (byStatus.get(child.status) ?? 0) + 1);
  return [...byStatus].map(([status, count]) => `${count} ${status}`).join(', ');
};

/** The children counted per map run (a report run has two Distributed Maps: its shards, then their furnishing). */
const childCounts = (children: readonly ExecutionSummary[], workflows: readonly ConsoleWorkflowInfo[]): string => {
  const runs = new Map<string, ExecutionSummary[]>();
  for (const child of children) runs.set(child.stateMachineArn, [...(runs.get(child.stateMachineArn) ?? []), child]);
  if (runs.size === 1) return `of its map run: ${statusCounts(children)}`;
  const nameOf = (arn: string): string =>
    workflows.find((workflow) => workflow.stateMachineArn === arn)?.name ?? arn.split(':').pop() ?? arn;
  const each = [...runs].map(([arn, run]) => `${nameOf(arn)} ${run.length} (${statusCounts(run)})`);
  return `of its ${runs.size} map runs: ${each.join('; ')}`;
};

/** A Distributed Map's children, listed on their parent's page (AWS shows them under the map run, not among executions). */
const childExecutions = (children: readonly ExecutionSummary[], workflows: readonly ConsoleWorkflowInfo[]): string => {
  if (children.length === 0) return '';
  const shown = children.slice(0, MAX_EXECUTIONS_SHOWN);
  return `<h2 id="child-executions">Child executions</h2>
<p class="count">${children.length} child execution${children.length === 1 ? '' : 's'} ${htmlText(childCounts(children, workflows))}.${shown.length < children.length ? ` The newest ${shown.length} shown.` : ''}</p>
${executionTable(shown.map((child) => executionRow(child, workflows)).join('\n'))}`;
};

export const renderExecutionPage = (
  execution: ExecutionRecord,
  workflow: ConsoleWorkflowInfo | undefined,
  layout: GraphLayout,
  trace: ExecutionTrace,
  related: { children: readonly ExecutionSummary[]; workflows: readonly ConsoleWorkflowInfo[] } = {
    children: [],
    workflows: [],
  },
): string => {
  const anchors = new Map(layout.nodes.map((node, index) => [node.name, `state-${index}`]));
  const anchorOf = (name: string): string => anchors.get(name) ?? 'state-unknown';
  const startedAt = Date.parse(execution.startDate);
  const error = execution.error
    ? `<dt>Error</dt><dd class="error"><strong>${htmlText(execution.error)}</strong>${renderCause(execution.cause ?? '')}</dd>`
    : '';
  return page(
    `${execution.name} · local console`,
    `<p><a href="${CONSOLE_PATH}">← all executions</a></p>
<h1>${htmlText(execution.name)} ${statusBadge(execution.status)}</h1>
<dl class="summary">
<dt>Workflow</dt><dd>${htmlText(workflow ? `${workflow.name} (${workflow.type})` : execution.stateMachineArn)}</dd>
<dt>Execution ARN</dt><dd><code>${htmlText(execution.executionArn)}</code></dd>
<dt>Started</dt><dd>${htmlText(execution.startDate)}</dd>
<dt>Stopped</dt><dd>${htmlText(execution.stopDate ?? 'still running')}</dd>
<dt>Duration</dt><dd>${htmlText(durationText(execution.startDate, execution.stopDate))}</dd>
${execution.parentExecutionArn ? `<dt>Parent execution</dt><dd><a class="parent" href="${htmlText(executionHref(execution.parentExecutionArn))}"><code>${htmlText(execution.parentExecutionArn)}</code></a></dd>\n` : ''}${httpAnswer(execution)}${error}
</dl>
${childExecutions(related.children, related.workflows)}
<h2>Path</h2>
${LEGEND}
<div class="execution-view">
<div class="graph-frame">${renderGraphSvg(layout, anchorOf)}</div>
<div class="states">
<p class="hint placeholder">No state selected: click one in the graph.</p>
${layout.nodes.map((node) => stateDetails(node.name, node.type, anchorOf(node.name), trace)).join('\n')}
</div>
</div>
${furnishingSection(execution.output)}<div class="io"><div><h2>Execution input</h2>${json(execution.input)}</div><div><h2>Execution output</h2>${json(execution.output)}</div></div>
<details><summary>Event history (${execution.events.length} events${execution.events.length > MAX_EVENTS_SHOWN ? `, the first ${MAX_EVENTS_SHOWN} shown; the JSON API has them all` : ''})</summary>
<table class="events"><thead><tr><th>Time</th><th>Event</th><th>State</th><th>Error</th></tr></thead><tbody>
${execution.events
  .slice(0, MAX_EVENTS_SHOWN)
  .map((event) => eventRow(event, startedAt))
  .join('\n')}
</tbody></table></details>`,
  );
};
