import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Caller } from '#contract/workflow-io';
import { type HttpResponse, problemResponse } from '#contract/http-mapping';
import type { Route } from '#contract/routes';
import { type StreamedHttpResponse, isStreamed, jsonAnswer } from '#contract/read-api';
import { consoleRouter, isConsolePath } from '#local/console/console-router';
import { isLoopbackHost } from '#local/loopback-host';
import { apiRouter } from '#local/api-gateway/api-routes';
import { authorizer, itemCharger } from '#local/api-gateway/authorizer';
import { type RunningServer, listen } from '#local/api-gateway/http-listener';
import { type StaticSite, answerFromSite, isSitePath } from '#local/cloudfront/static-site';
import { type InvokeFunction, lambdaProxyIntegration } from '#local/api-gateway/lambda-proxy-integration';
import type { RateLimiter } from '#local/api-gateway/rate-limiter';
import { type RunWorkflow, workflowIntegration } from '#local/api-gateway/workflow-integration';
import type { ExecutionStore } from '#local/step-functions/execution-store';
import type { LocalWorkflow } from '#local/step-functions/workflow-runner';

/**
 * The local stand-in for API Gateway's HTTP side: it routes each request of the route catalogue through the
 * authorizer and throttles (authorizer.ts) to its integration (a workflow started synchronously through the shared
 * mappings, or a function's proxy event), and serves what only the local stack has (OpenAPI, the docs page, the web
 * app, the console); the local OpenID provider's paths (discovery, JWKS, OAuth endpoints, sign-in pages) go to the
 * provider.
 */
export interface GatewayOptions {
  port: number;
  host?: string;
  /** Verifies a bearer token; throws with a `reason` when it is not acceptable. */
  verifyToken: (token: string) => Promise<Caller>;
  /** The routes it serves: the catalogue (contract/routes.ts). */
  routes: readonly Route[];
  /** Runs a workflow route's workflow to its end. */
  runWorkflow: RunWorkflow;
  /** Calls a function route's function with the event API Gateway's proxy integration sends (a streamed body is written as it comes). */
  invokeFunction: InvokeFunction;
  /** Throttles each client (by the verified token's client id); none when absent. */
  rateLimiter?: RateLimiter;
  /** Throttles each user (by the verified token's `sub`), so one user cannot spend a whole client's budget; none when absent. */
  userRateLimiter?: RateLimiter;
  /**
   * The local OpenID provider (local/cognito/openid-provider.ts), which answers its own paths (discovery, JWKS,
   * /oauth2/*, sign-in pages) on this port, as Cognito's domain does beside the API; none when absent.
   */
  identityProvider?: {
    handles: (pathname: string) => boolean;
    handle: (request: IncomingMessage, response: ServerResponse) => void;
  };
  openApi: () => unknown;
  /** Static sites under their base paths (the API docs page, the web app), each with its own CSP. */
  sites?: readonly StaticSite[];
  /** Every execution of the stack's workflows (for the console). */
  executions: ExecutionStore;
  /** The stack's workflows: name, type, state machine ARN and ASL (for the console). */
  workflows: readonly LocalWorkflow[];
  log?: (entry: Record<string, unknown>) => void;
}

export type RunningGateway = RunningServer;

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};

/**
 * Writes a streamed body chunk by chunk, waiting for the client to drain (a slow reader holds the
 * producer back, so no more than a chunk is buffered). A failure after the status went out can
 * only cut the body: the connection is destroyed, so the client sees an incomplete response, as
 * API Gateway's streaming integration does.
 */
const drainedOrClosed = async (response: ServerResponse): Promise<void> => {
  const done = new AbortController();
  try {
    await Promise.race([
      once(response, 'drain', { signal: done.signal }),
      once(response, 'close', { signal: done.signal }),
    ]);
  } finally {
    done.abort();
  }
};

const writeStreamed = async (
  response: ServerResponse,
  body: AsyncIterable<string>,
  onError: (error: Error) => void,
): Promise<void> => {
  try {
    for await (const chunk of body) {
      // A client that went away stops the producer (the loop's exit closes the generator).
      if (response.destroyed) break;
      if (!response.write(chunk)) await drainedOrClosed(response);
    }
    if (!response.destroyed) response.end();
  } catch (error) {
    onError(error as Error);
    response.destroy(error as Error);
  }
};

export const startGateway = async (options: GatewayOptions): Promise<RunningGateway> => {
  const log = options.log ?? (() => undefined);
  // The operator's console (no token: localhost only; the deployed API has no such route).
  const consoleRequest = consoleRouter({ executions: options.executions, workflows: options.workflows });

  const { verifyToken, rateLimiter, userRateLimiter } = options;
  const authorizerOptions = { verifyToken, rateLimiter, userRateLimiter, log };
  const admit = authorizer(authorizerOptions);
  const integrations = {
    workflow: workflowIntegration(admit, itemCharger(authorizerOptions), options.runWorkflow, log),
    function: lambdaProxyIntegration(admit, options.invokeFunction),
  };
  const apiRoute = apiRouter(options.routes);

  const serve = (
    route: Route,
    pathParameters: Record<string, string>,
    request: IncomingMessage,
    requestId: string,
    receivedAt: number,
  ) =>
    route.serve.kind === 'sync-workflow'
      ? integrations.workflow({ route, serve: route.serve, request, requestId, receivedAt })
      : integrations.function({ route, definition: route.serve.function, pathParameters, request, requestId });

  /** What only the local stack serves, besides the API's routes (no token). */
  const localRoutes: Record<string, (requestId: string) => HttpResponse> = {
    '/openapi.json': (requestId) => jsonAnswer(200, options.openApi(), requestId),
    '/health': (requestId) => jsonAnswer(200, { status: 'ok' }, requestId),
  };

  const answerRequest = async (
    request: IncomingMessage,
    requestId: string,
    receivedAt: number,
  ): Promise<HttpResponse | StreamedHttpResponse> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = request.method ?? 'GET';
    if (isConsolePath(path)) {
      request.resume();
      if (!isLoopbackHost(request.headers.host)) {
        return problemResponse(
          'Forbidden',
          requestId,
          'The console answers only requests addressed to localhost or 127.0.0.1',
        );
      }
      return consoleRequest(method, url, requestId);
    }
    const site = options.sites?.find((candidate) => isSitePath(candidate, path));
    if (site) {
      request.resume();
      return answerFromSite(site, method, path, requestId);
    }
    const local = localRoutes[path];
    if (local) {
      request.resume();
      if (method === 'GET') return local(requestId);
      return problemResponse('MethodNotAllowed', requestId, `${method} is not allowed on ${path}`, { Allow: 'GET' });
    }
    const match = apiRoute(path);
    if (!match) {
      request.resume();
      return problemResponse('NotFound', requestId, `No resource at ${path}`);
    }
    const route = match.byMethod.get(method);
    if (!route) {
      request.resume();
      return problemResponse('MethodNotAllowed', requestId, `${method} is not allowed on ${path}`, {
        Allow: [...match.byMethod.keys()].join(', '),
      });
    }
    return serve(route, match.pathParameters, request, requestId, receivedAt);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const receivedAt = Date.now();
    let answer: HttpResponse | StreamedHttpResponse;
    try {
      answer = await answerRequest(request, requestId, receivedAt);
    } catch (error) {
      log({ requestId, message: 'Gateway error', error: (error as Error).message });
      answer = problemResponse('InternalError', requestId, 'The request failed. Retrying the same request is safe.');
    }
    response.writeHead(answer.statusCode, { ...SECURITY_HEADERS, ...answer.headers });
    if (isStreamed(answer)) {
      await writeStreamed(response, answer.body, (error) =>
        log({ requestId, message: 'Stream cut short', error: error.message }),
      );
    } else {
      response.end(answer.body);
    }
    log({
      requestId,
      method: request.method,
      path: request.url,
      status: answer.statusCode,
      latencyMs: Date.now() - receivedAt,
    });
  };

  const { identityProvider } = options;
  const server: Server = createServer((request, response) => {
    if (identityProvider?.handles(new URL(request.url ?? '/', 'http://localhost').pathname)) {
      identityProvider.handle(request, response);
      return;
    }
    void handle(request, response);
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return listen(server, options.port, options.host);
};
