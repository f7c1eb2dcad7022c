import type { IncomingMessage, ServerResponse } from 'node:http';
import { problemResponse } from '#contract/http-mapping';
import { jsonAnswer } from '#contract/read-api';
import { consoleRouter, isConsolePath } from '#local/console/console-router';
import { isLoopbackHost } from '#local/loopback-host';
import { type AnswerRequest, startAnswerServer } from '#local/api-gateway/answer-server';
import type { RunningServer } from '#local/api-gateway/http-listener';
import { type StaticSite, answerFromSite, isSitePath } from '#local/cloudfront/static-site';
import type { ExecutionStore } from '#local/step-functions/execution-store';
import type { LocalWorkflow } from '#local/step-functions/workflow-runner';

/**
 * The local stack's one HTTP port: it mounts what only the local stack serves (the console, the static sites,
 * the OpenID provider's paths, /openapi.json and /health) and hands every other path to the API (the gateway).
 */
export interface FrontDoorOptions {
  port: number;
  host?: string;
  /** The API Gateway stand-in (local/api-gateway/gateway.ts): every path nothing else here serves. */
  api: AnswerRequest;
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

/** What the front door answers itself, or undefined for the API's paths. */
const localAnswer = (options: FrontDoorOptions): AnswerRequest => {
  // The operator's console (no token: localhost only; the deployed API has no such route).
  const consoleRequest = consoleRouter({ executions: options.executions, workflows: options.workflows });
  const documents: Record<string, AnswerRequest> = {
    '/openapi.json': async (_request, requestId) => jsonAnswer(200, options.openApi(), requestId),
    '/health': async (_request, requestId) => jsonAnswer(200, { status: 'ok' }, requestId),
  };
  return async (request, requestId, receivedAt) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = request.method ?? 'GET';
    if (isConsolePath(path)) {
      request.resume();
      if (!isLoopbackHost(request.headers.host))
        return problemResponse(
          'Forbidden',
          requestId,
          'The console answers only requests addressed to localhost or 127.0.0.1',
        );
      return consoleRequest(method, url, requestId);
    }
    const site = options.sites?.find((candidate) => isSitePath(candidate, path));
    if (site) {
      request.resume();
      return answerFromSite(site, method, path, requestId);
    }
    const document = documents[path];
    if (!document) return options.api(request, requestId, receivedAt);
    request.resume();
    if (method === 'GET') return document(request, requestId, receivedAt);
    return problemResponse('MethodNotAllowed', requestId, `${method} is not allowed on ${path}`, { Allow: 'GET' });
  };
};

export const startFrontDoor = (options: FrontDoorOptions): Promise<RunningServer> => {
  const { identityProvider } = options;
  return startAnswerServer({
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    answer: localAnswer(options),
    passThrough: (request, response) => {
      if (!identityProvider?.handles(new URL(request.url ?? '/', 'http://localhost').pathname)) return false;
      identityProvider.handle(request, response);
      return true;
    },
    log: options.log ?? (() => undefined),
  });
};
