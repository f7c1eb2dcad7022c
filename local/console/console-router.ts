import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type HttpResponse, REQUEST_ID_HEADER, problemResponse } from '#contract/http-mapping';
import { invalidParameterAnswer, jsonAnswer } from '#contract/read-api';
import type { AslDefinition } from '#local/step-functions/asl';
import type { ExecutionStore } from '#local/step-functions/execution-store';
import {
  InvalidQueryParameterError,
  type ExecutionFilterForm,
  readExecutionFilterForm,
  toExecutionFilter,
} from '#local/console/execution-filter-form';
import { traceExecution } from '#local/console/execution-trace';
import { type DistributedMapOf, withChildExecutions } from '#local/console/map-run-children';
import { layoutGraph } from '#local/console/graph-layout';
import { CONSOLE_PATH, type ConsoleWorkflowInfo, renderExecutionList, renderExecutionPage } from '#local/console/pages';

/**
 * The local console, mounted by the gateway at /console: the executions list, one execution's
 * graph and states, and the same data as JSON under /console/api/. Read-only, GET only, no
 * token (an operator's localhost tool; nothing deployed serves it).
 */
export interface ConsoleWorkflow extends ConsoleWorkflowInfo {
  /** The ASL as run, ARNs substituted. */
  definition: AslDefinition;
  /** Its Distributed Maps, whose iterations run as child executions of this workflow. */
  distributedMapChildren?: ReadonlyArray<DistributedMapOf & { workflow: ConsoleWorkflow }>;
}

/** The workflows and, after each, the workflows its Distributed Maps' children run as. */
const withChildWorkflows = (workflows: readonly ConsoleWorkflow[]): ConsoleWorkflow[] =>
  workflows.flatMap((workflow) => [
    workflow,
    ...withChildWorkflows((workflow.distributedMapChildren ?? []).map((map) => map.workflow)),
  ]);

export interface ConsoleSources {
  executions: Pick<ExecutionStore, 'list' | 'get'>;
  workflows: readonly ConsoleWorkflow[];
}

/** No script at all; styles and the icon from the gateway itself; forms submit only back to it. */
export const CONSOLE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLESHEET_FILE = path.join(__dirname, 'console.css');
const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#232f3e"/><path d="M4 4h8M4 8h8M4 12h5" stroke="#fff" stroke-width="2"/></svg>';

export const isConsolePath = (pathname: string): boolean =>
  pathname === CONSOLE_PATH || pathname.startsWith(`${CONSOLE_PATH}/`);

const asset = (contentType: string, body: string, requestId: string): HttpResponse => ({
  statusCode: 200,
  headers: {
    'Content-Type': contentType,
    [REQUEST_ID_HEADER]: requestId,
    'Content-Security-Policy': CONSOLE_CONTENT_SECURITY_POLICY,
  },
  body,
});

const html = (body: string, requestId: string): HttpResponse => asset('text/html; charset=utf-8', body, requestId);

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

const info = ({ name, type, stateMachineArn }: ConsoleWorkflow) => ({ name, type, stateMachineArn });

/** One execution with its trace and graph; undefined when the store has no such ARN. */
const executionInspector =
  (sources: ConsoleSources, everyWorkflow: readonly ConsoleWorkflow[]) => async (executionArn: string) => {
    const execution = await sources.executions.get(executionArn);
    if (!execution) return undefined;
    const workflow = everyWorkflow.find((candidate) => candidate.stateMachineArn === execution.stateMachineArn);
    const definition = workflow?.definition ?? { StartAt: '', States: {} };
    const maps = workflow?.distributedMapChildren ?? [];
    const children = maps.length > 0 ? await sources.executions.list({ parentExecutionArn: executionArn }) : [];
    const trace = maps.reduce(
      (traced, map) =>
        withChildExecutions(
          traced,
          map,
          children.filter((child) => child.stateMachineArn === map.workflow.stateMachineArn),
        ),
      traceExecution(definition, execution.events),
    );
    return { execution, workflow: workflow && info(workflow), trace, graph: layoutGraph(definition, trace), children };
  };

/** Answers every request under /console; `url` is the request's URL (path and query). */
export const consoleRouter = (sources: ConsoleSources) => {
  const stylesheet = readFileSync(STYLESHEET_FILE, 'utf8');
  const stateMachineArnByName = new Map(sources.workflows.map((workflow) => [workflow.name, workflow.stateMachineArn]));
  // A child execution's page draws its own workflow; the list is filtered by the top-level ones.
  const everyWorkflow = withChildWorkflows(sources.workflows);
  const infos = sources.workflows.map(info);
  const everyInfo = everyWorkflow.map(info);

  const listed = async (query: ExecutionFilterForm) =>
    sources.executions.list(toExecutionFilter(query, stateMachineArnByName, new Date()));

  const inspected = executionInspector(sources, everyWorkflow);

  const executionRoute = async (segment: string, requestId: string, asJson: boolean): Promise<HttpResponse> => {
    const executionArn = decodeSegment(segment);
    const found = executionArn === undefined ? undefined : await inspected(executionArn);
    if (!found) return problemResponse('NotFound', requestId, 'No execution with this ARN in the local store');
    if (asJson) return jsonAnswer(200, found, requestId);
    return html(
      renderExecutionPage(found.execution, found.workflow, found.graph, found.trace, {
        children: found.children,
        workflows: everyInfo,
      }),
      requestId,
    );
  };

  const routes = async (pathname: string, parameters: URLSearchParams, requestId: string): Promise<HttpResponse> => {
    if (pathname === CONSOLE_PATH || pathname === `${CONSOLE_PATH}/`) {
      const query = readExecutionFilterForm(parameters);
      return html(renderExecutionList(await listed(query), query, infos), requestId);
    }
    if (pathname === `${CONSOLE_PATH}/console.css`) return asset('text/css; charset=utf-8', stylesheet, requestId);
    if (pathname === `${CONSOLE_PATH}/favicon.svg`) return asset('image/svg+xml', FAVICON, requestId);
    if (pathname === `${CONSOLE_PATH}/api/executions`) {
      return jsonAnswer(200, { executions: await listed(readExecutionFilterForm(parameters)) }, requestId);
    }
    const execution = /^\/console\/(api\/)?executions\/([^/]+)$/.exec(pathname);
    if (execution) return executionRoute(execution[2] ?? '', requestId, execution[1] !== undefined);
    return problemResponse('NotFound', requestId, `No resource at ${pathname}`);
  };

  return async (method: string, url: URL, requestId: string): Promise<HttpResponse> => {
    if (method !== 'GET') {
      return problemResponse('MethodNotAllowed', requestId, `${method} is not allowed on ${url.pathname}`, {
        Allow: 'GET',
      });
    }
    try {
      return await routes(url.pathname, url.searchParams, requestId);
    } catch (error) {
      if (error instanceof InvalidQueryParameterError)
        return invalidParameterAnswer(requestId, error.field, error.message);
      throw error;
    }
  };
};
