import type { IncomingMessage } from 'node:http';
import type { FunctionDefinition } from '#contract/functions';
import { type HttpResponse, REQUEST_ID_HEADER } from '#contract/http-mapping';
import type { ReadRequestEvent, StreamedHttpResponse } from '#contract/read-api';
import type { Route } from '#contract/routes';
import { type Admit, isAnswer } from '#local/api-gateway/authorizer';

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
    request.resume();
    const caller = await admit(request, requestId, route);
    if (isAnswer(caller)) return caller;
    const answer = await invoke(definition, {
      pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : null,
      headers: Object.fromEntries(
        Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      ),
      // API Gateway keeps the last value of a repeated parameter in queryStringParameters.
      queryStringParameters: query.size > 0 ? Object.fromEntries(query) : null,
      requestContext: {
        requestId,
        authorizer: { claims: { sub: caller.sub, scope: caller.scope, client_id: caller.clientId } },
      },
    });
    return { ...answer, headers: { ...answer.headers, [REQUEST_ID_HEADER]: requestId } };
  };
