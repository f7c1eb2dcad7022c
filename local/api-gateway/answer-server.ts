import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type HttpResponse, problemResponse } from '#contract/http-mapping';
import { type StreamedHttpResponse, isStreamed } from '#contract/read-api';
import { type RunningServer, listen } from '#local/api-gateway/http-listener';
import { ROUTES, pathParameterNames } from '#contract/routes';

/** The routes whose path names a customer (`{userId}`: their token's `sub`, which no log line may hold). */
const CUSTOMER_PATHS = ROUTES.filter((route) => pathParameterNames(route.path).includes('userId')).map((route) => ({
  template: route.path,
  pattern: new RegExp(`^${route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/?]+')}(?:\\?.*)?$`),
}));

const LITERAL_PATHS = new Set(ROUTES.map((route) => route.path).filter((path) => !path.includes('{')));

/** The path a log line names: a customer's route as its template (API Gateway's `resourcePath`), any other as sent. */
export const loggedPath = (url: string | undefined): string | undefined => {
  // A literal route (`/customers/me/identity`) beats a parameter, as the router's match does.
  if (url === undefined || LITERAL_PATHS.has(url.split('?')[0] ?? '')) return url;
  return CUSTOMER_PATHS.find(({ pattern }) => pattern.test(url))?.template ?? url;
};

/** What answers one request: its id and arrival time are the server's, so every answer and log line shares them. */
export type AnswerRequest = (
  request: IncomingMessage,
  requestId: string,
  receivedAt: number,
) => Promise<HttpResponse | StreamedHttpResponse>;

export interface AnswerServerOptions {
  port: number;
  host?: string;
  answer: AnswerRequest;
  /** Requests it hands whole to another server (the OpenID provider's paths): true when it took the request. */
  passThrough?: (request: IncomingMessage, response: ServerResponse) => boolean;
  log: (entry: Record<string, unknown>) => void;
}

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

/** Answers one request: the answer (or a problem when answering threw), the security headers, one log line. */
const handler =
  ({ answer, log }: AnswerServerOptions) =>
  async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const receivedAt = Date.now();
    let answered: HttpResponse | StreamedHttpResponse;
    try {
      answered = await answer(request, requestId, receivedAt);
    } catch (error) {
      log({ requestId, message: 'Gateway error', error: (error as Error).message });
      answered = problemResponse('InternalError', requestId, 'The request failed. Retrying the same request is safe.');
    }
    response.writeHead(answered.statusCode, { ...SECURITY_HEADERS, ...answered.headers });
    if (isStreamed(answered)) {
      await writeStreamed(response, answered.body, (error) =>
        log({ requestId, message: 'Stream cut short', error: error.message }),
      );
    } else {
      response.end(answered.body);
    }
    log({
      requestId,
      method: request.method,
      path: loggedPath(request.url),
      status: answered.statusCode,
      latencyMs: Date.now() - receivedAt,
    });
  };

/** An HTTP server on localhost that writes what `answer` answers (streamed bodies as they come). */
export const startAnswerServer = (options: AnswerServerOptions): Promise<RunningServer> => {
  const handle = handler(options);
  const server: Server = createServer((request, response) => {
    if (options.passThrough?.(request, response)) return;
    void handle(request, response);
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  return listen(server, options.port, options.host);
};
