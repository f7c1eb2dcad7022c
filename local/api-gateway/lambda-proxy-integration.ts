import type { IncomingMessage } from 'node:http';
import type { FunctionDefinition } from '#contract/functions';
import { type HttpResponse, REQUEST_ID_HEADER } from '#contract/http-mapping';
import type { ReadRequestEvent, StreamedHttpResponse } from '#contract/read-api';
import type { Route } from '#contract/routes';
import { type Admit, isAnswer } from '#local/api-gateway/authorizer';
import { BodyTooLargeError, readBody } from '#local/request-body';
import { problemResponse } from '#contract/http-mapping';

/**
 * A function route's integration, as API Gateway's Lambda proxy integration: the function gets the proxy event (path
 * parameters, headers, query, the authorizer's claims) and its answer goes back as it is, with the request id.
 */
export type InvokeFunction = (
  definition: FunctionDefinition,
  event: ReadRequestEvent,
) => Promise<HttpResponse | StreamedHttpResponse>;

export interface FunctionCall {
  route: Route;
  definition: FunctionDefinition;
  pathParameters: Record<string, string>;
  request: IncomingMessage;
  requestId: string;
}

export const lambdaProxyIntegration =
  (admit: Admit, invoke: InvokeFunction) =>
  async ({
    route,
    definition,
    pathParameters,
    request,
    requestId,
  }: FunctionCall): Promise<HttpResponse | StreamedHttpResponse> => {
    const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const accepts = route.serve.kind === 'function' ? route.serve.body : undefined;
    if (!accepts) request.resume();
    const caller = await admit(request, requestId, route);
    if (isAnswer(caller)) return caller;
    let body: string | null = null;
    if (accepts) {
      try {
        // As API Gateway passes a JSON body to a proxy integration: the text, not base64.
        body = new TextDecoder('utf-8', { fatal: true }).decode(await readBody(request, accepts.maxBytes));
      } catch (error) {
        if (error instanceof BodyTooLargeError)
          return problemResponse('PayloadTooLarge', requestId, `The body may be at most ${accepts.maxBytes} bytes`);
        if (error instanceof TypeError) return problemResponse('InvalidJson', requestId, 'The body is not valid UTF-8');
        throw error;
      }
    }
    const answer = await invoke(definition, {
      pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
      headers: Object.fromEntries(
        Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      ),
      // API Gateway keeps the last value of a repeated parameter in queryStringParameters.
      queryStringParameters: query.size > 0 ? Object.fromEntries(query) : null,
      body,
      requestContext: {
        requestId,
        authorizer: { claims: { sub: caller.sub, scope: caller.scope, client_id: caller.clientId } },
      },
    });
    return { ...answer, headers: { ...answer.headers, [REQUEST_ID_HEADER]: requestId } };
  };
