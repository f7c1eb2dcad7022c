import type { IncomingMessage } from 'node:http';
import type { Caller } from '#contract/workflow-io';
import { problemResponse } from '#contract/http-mapping';
import type { Route } from '#contract/routes';
import { apiRouter } from '#local/api-gateway/api-routes';
import { authorizer, itemCharger } from '#local/api-gateway/authorizer';
import type { RunningServer } from '#local/api-gateway/http-listener';
import { type AnswerRequest, startAnswerServer } from '#local/api-gateway/answer-server';
import { type InvokeFunction, lambdaProxyIntegration } from '#local/api-gateway/lambda-proxy-integration';
import type { RateLimiter } from '#local/api-gateway/rate-limiter';
import { type RunWorkflow, workflowIntegration } from '#local/api-gateway/workflow-integration';

/**
 * The local stand-in for API Gateway's HTTP side: it routes each request of the route catalogue through the
 * authorizer and throttles (authorizer.ts) to its integration (a workflow started synchronously through the shared
 * mappings, or a function's proxy event). It serves the API only; the front door (local/front-door.ts) mounts what
 * else the local stack serves on the same port.
 */
export interface GatewayOptions {
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
  log?: (entry: Record<string, unknown>) => void;
}

export type RunningGateway = RunningServer;

/** Answers the API's requests: a route's integration, or 404/405 for what the catalogue does not have. */
export const apiGateway = (options: GatewayOptions): AnswerRequest => {
  const log = options.log ?? (() => undefined);
  const { verifyToken, rateLimiter, userRateLimiter } = options;
  const authorizerOptions = { verifyToken, rateLimiter, userRateLimiter, log };
  const admit = authorizer(authorizerOptions);
  const integrations = {
    workflow: workflowIntegration(admit, itemCharger(authorizerOptions), options.runWorkflow, log),
    function: lambdaProxyIntegration(admit, options.invokeFunction),
  };
  const apiRoute = apiRouter(options.routes);

  return async (request: IncomingMessage, requestId: string, receivedAt: number) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const method = request.method ?? 'GET';
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
    return route.serve.kind === 'sync-workflow'
      ? integrations.workflow({ route, serve: route.serve, request, requestId, receivedAt })
      : integrations.function({
          route,
          definition: route.serve.function,
          pathParameters: match.pathParameters,
          request,
          requestId,
        });
  };
};

/** The API alone on its own port (tests of the gateway; the stack serves it behind the front door). */
export const startGateway = (options: GatewayOptions & { port: number; host?: string }): Promise<RunningGateway> =>
  startAnswerServer({
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    answer: apiGateway(options),
    log: options.log ?? (() => undefined),
  });
