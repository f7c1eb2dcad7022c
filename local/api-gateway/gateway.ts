import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Caller } from '#contract/workflow-io';
import { JSON_CONTENT_TYPE, MAX_BODY_BYTES } from '#contract/workflow-io';
import {
  type HttpResponse,
  REQUEST_ID_HEADER,
  problemResponse,
  requestBodyText,
  toHttpResponse,
  toSubmissionInput,
} from '#contract/http-mapping';
import { SCOPES, parseScopeClaim } from '#contract/scopes';
import { type ReadRequestEvent, type StreamedHttpResponse, isStreamed, jsonAnswer } from '#contract/read-api';
import { consoleRouter, isConsolePath } from '#local/console/console-router';
import { isLoopbackHost } from '#local/loopback-host';
import { type RunningServer, listen } from '#local/api-gateway/http-listener';
import type { RateLimiter } from '#local/api-gateway/rate-limiter';
import type { ExecutionStore } from '#local/step-functions/execution-store';
import type { LocalWorkflow } from '#local/step-functions/workflow-runner';
import type { ExecutionRecord } from '#local/step-functions/execution-store';

/**
 * The local stand-in for API Gateway: it enforces what the deployed API enforces (token,
 * throttle, body size, content type), then starts the workflow synchronously, through the
 * shared mappings.
 */
export interface GatewayOptions {
  port: number;
  host?: string;
  /** Verifies a bearer token; throws with a `reason` when it is not acceptable. */
  verifyToken: (token: string) => Promise<Caller>;
  /** Runs the submit-payment workflow to its end. */
  runSubmission: (executionName: string, input: unknown) => Promise<ExecutionRecord>;
  /** Throttles each client (by the verified token's client id); none when absent. */
  rateLimiter?: RateLimiter;
  /** Throttles each user (by the verified token's `sub`), so one user cannot spend a whole client's budget; none when absent. */
  userRateLimiter?: RateLimiter;
  /** The read endpoints' handlers, called with the event API Gateway's proxy integration sends. */
  readEndpoints: {
    getPayment: (event: ReadRequestEvent) => Promise<HttpResponse>;
    listPayments: (event: ReadRequestEvent) => Promise<HttpResponse>;
    getReportSummary: (event: ReadRequestEvent) => Promise<HttpResponse>;
    getReport: (event: ReadRequestEvent) => Promise<HttpResponse>;
    /** Streams: the gateway writes each chunk of the body as the handler produces it. */
    exportReports: (event: ReadRequestEvent) => Promise<HttpResponse | StreamedHttpResponse>;
  };
  jwks: () => unknown;
  openApi: () => unknown;
  docsPage: () => string;
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

const DOCS_SECURITY_HEADERS: Record<string, string> = {
  ...SECURITY_HEADERS,
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLarge';
}

const readBody = (request: IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(new BodyTooLargeError(`More than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });

const isJsonContentType = (header: string | undefined): boolean => {
  if (!header) return false;
  const [mediaType, ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== JSON_CONTENT_TYPE) return false;
  return parameters.every((parameter) => !parameter.startsWith('charset=') || parameter === 'charset=utf-8');
};

const bearerToken = (header: string | undefined): string | undefined => {
  const match = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/.exec(header ?? '');
  return match?.[1];
};

/** A malformed escape (`%E0%A4%A`) names no resource: a 404, not a failure of the gateway. */
const decodePathSegment = (segment: string | undefined): string | undefined => {
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
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
    await Promise.race([once(response, 'drain', { signal: done.signal }), once(response, 'close', { signal: done.signal })]);
  } finally {
    done.abort();
  }
};

const writeStreamed = async (response: ServerResponse, body: AsyncIterable<string>, onError: (error: Error) => void): Promise<void> => {
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

  /** The Cognito authorizer's part: the verified caller, or the 401 to answer. */
  const authenticate = async (request: IncomingMessage, requestId: string): Promise<Caller | HttpResponse> => {
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      request.resume();
      return problemResponse('Unauthorized', requestId, 'Send an access token: Authorization: Bearer <token>');
    }
    let caller: Caller;
    try {
      caller = await options.verifyToken(token);
    } catch (error) {
      request.resume();
      const reason = (error as { reason?: string }).reason ?? 'invalid';
      return problemResponse('Unauthorized', requestId, `The access token was rejected: ${reason}`, {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
    }
    // After the token (an unauthenticated flood must not spend a real client's budget), before the
    // body is read or any workflow runs (a throttled request costs nothing downstream).
    // The user's own share first: a user over it spends nothing of the client's budget, which the
    // client's other users need (in AWS: the web ACL's per-token rule, then the stage throttle).
    const throttledBy = (limiter: RateLimiter | undefined, key: string, who: string): HttpResponse | undefined => {
      const retryAfterSeconds = limiter?.take(key) ?? 0;
      if (retryAfterSeconds === 0) return undefined;
      request.resume();
      log({ requestId, message: 'Throttled', by: who, clientId: caller.clientId });
      return problemResponse('Throttled', requestId, `Too many requests from this ${who}; retry after ${retryAfterSeconds} s`, {
        'Retry-After': String(retryAfterSeconds),
      });
    };
    return throttledBy(options.userRateLimiter, caller.sub, 'user') ?? throttledBy(options.rateLimiter, caller.clientId, 'client') ?? caller;
  };

  const isAnswer = (value: Caller | HttpResponse): value is HttpResponse => 'statusCode' in value;

  const submitPayment = async (request: IncomingMessage, requestId: string, receivedAt: number): Promise<HttpResponse> => {
    const declaredLength = Number(request.headers['content-length'] ?? 0);
    if (declaredLength > MAX_BODY_BYTES) {
      request.resume();
      return problemResponse('PayloadTooLarge', requestId, `The body may be at most ${MAX_BODY_BYTES} bytes`);
    }
    const caller = await authenticate(request, requestId);
    if (isAnswer(caller)) return caller;
    // The method's authorization scope, checked as API Gateway's authorizer does: before the body
    // is read and before any workflow runs, so a read-only token leaves no execution behind.
    if (!parseScopeClaim(caller.scope).includes(SCOPES.write)) {
      request.resume();
      return problemResponse('MissingScope', requestId, `Submitting a payment needs the scope ${SCOPES.write}`);
    }
    if (!isJsonContentType(request.headers['content-type'])) {
      request.resume();
      return problemResponse('UnsupportedMediaType', requestId, 'Send the payment as Content-Type: application/json');
    }
    let body: string;
    try {
      body = requestBodyText(await readBody(request, MAX_BODY_BYTES));
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return problemResponse('PayloadTooLarge', requestId, `The body may be at most ${MAX_BODY_BYTES} bytes`);
      }
      if (error instanceof TypeError) {
        return problemResponse('InvalidJson', requestId, 'The body is not valid UTF-8');
      }
      throw error;
    }
    const input = toSubmissionInput({ requestId, receivedAtEpochMs: receivedAt, body, caller });
    const execution = await options.runSubmission(requestId, input);
    log({ executionArn: execution.executionArn, executionStatus: execution.status, clientId: caller.clientId });
    return toHttpResponse(execution, requestId);
  };

  /** A read endpoint: the authorizer, then the handler with the proxy event (path parameter and claims). */
  const read =
    <Answer extends HttpResponse | StreamedHttpResponse>(handler: (event: ReadRequestEvent) => Promise<Answer>, pathParameters: Record<string, string> | null) =>
    async (request: IncomingMessage, requestId: string): Promise<Answer | HttpResponse> => {
      const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
      request.resume();
      const caller = await authenticate(request, requestId);
      if (isAnswer(caller)) return caller;
      const answer = await handler({
        pathParameters,
        headers: Object.fromEntries(Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
        // API Gateway keeps the last value of a repeated parameter in queryStringParameters.
        queryStringParameters: query.size > 0 ? Object.fromEntries(query) : null,
        requestContext: { requestId, authorizer: { claims: { sub: caller.sub, scope: caller.scope, client_id: caller.clientId } } },
      });
      return { ...answer, headers: { ...answer.headers, [REQUEST_ID_HEADER]: requestId } };
    };

  /** `/payments/{id}`, `/reports/{month}` and `/reports/{month}/summary`: one segment per parameter, as API Gateway matches. */
  const parameterRoute = (
    path: string,
    request: IncomingMessage,
    requestId: string,
  ): Record<string, () => Promise<HttpResponse | StreamedHttpResponse>> | undefined => {
    const { getPayment, getReport, getReportSummary, exportReports } = options.readEndpoints;
    const routes: Array<[RegExp, (event: ReadRequestEvent) => Promise<HttpResponse | StreamedHttpResponse>, string]> = [
      [/^\/payments\/([^/]+)$/, getPayment, 'id'],
      [/^\/reports\/([^/]+)$/, getReport, 'month'],
      [/^\/reports\/([^/]+)\/summary$/, getReportSummary, 'month'],
      [/^\/reports\/([^/]+)\/export$/, exportReports, 'month'],
    ];
    for (const [pattern, handler, parameter] of routes) {
      const value = decodePathSegment(pattern.exec(path)?.[1]);
      if (value !== undefined) return { GET: () => read(handler, { [parameter]: value })(request, requestId) };
    }
    return undefined;
  };

  const route = async (request: IncomingMessage, requestId: string, receivedAt: number): Promise<HttpResponse | StreamedHttpResponse> => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = request.method ?? 'GET';
    if (isConsolePath(path)) {
      request.resume();
      if (!isLoopbackHost(request.headers.host)) {
        return problemResponse('Forbidden', requestId, 'The console answers only requests addressed to localhost or 127.0.0.1');
      }
      return consoleRequest(method, url, requestId);
    }
    const routes: Record<string, Record<string, () => Promise<HttpResponse | StreamedHttpResponse> | HttpResponse>> = {
      '/payments': {
        POST: () => submitPayment(request, requestId, receivedAt),
        GET: () => read(options.readEndpoints.listPayments, null)(request, requestId),
      },
      '/.well-known/jwks.json': { GET: () => jsonAnswer(200, options.jwks(), requestId) },
      '/openapi.json': { GET: () => jsonAnswer(200, options.openApi(), requestId) },
      '/docs': {
        GET: () => ({
          statusCode: 200,
          headers: { 'Content-Type': 'text/html; charset=utf-8', ...DOCS_SECURITY_HEADERS },
          body: options.docsPage(),
        }),
      },
      '/health': { GET: () => jsonAnswer(200, { status: 'ok' }, requestId) },
    };
    const byMethod = routes[path] ?? parameterRoute(path, request, requestId);
    if (!byMethod) {
      request.resume();
      return problemResponse('NotFound', requestId, `No resource at ${path}`);
    }
    const handler = byMethod[method];
    if (!handler) {
      request.resume();
      return problemResponse('MethodNotAllowed', requestId, `${method} is not allowed on ${path}`, {
        Allow: Object.keys(byMethod).join(', '),
      });
    }
    return handler();
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const receivedAt = Date.now();
    let answer: HttpResponse | StreamedHttpResponse;
    try {
      answer = await route(request, requestId, receivedAt);
    } catch (error) {
      log({ requestId, message: 'Gateway error', error: (error as Error).message });
      answer = problemResponse('InternalError', requestId, 'The request failed. Retrying the same request is safe.');
    }
    response.writeHead(answer.statusCode, { ...SECURITY_HEADERS, ...answer.headers });
    if (isStreamed(answer)) {
      await writeStreamed(response, answer.body, (error) => log({ requestId, message: 'Stream cut short', error: error.message }));
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

  const server: Server = createServer((request, response) => {
    void handle(request, response);
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return listen(server, options.port, options.host);
};
