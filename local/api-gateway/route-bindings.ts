import type { HttpResponse } from '#contract/http-mapping';
import type { StreamedHttpResponse } from '#contract/read-api';
import { type Route, functionsServing } from '#contract/routes';
import type { InvokeFunction } from '#local/api-gateway/lambda-proxy-integration';
import { bindLocalFunction, loadedOnFirstCall } from '#local/lambda/lambda-runtime';

/**
 * The local stack's bindings of the function routes: each route's handler module, loaded at its first call and called as
 * Lambda calls it (a streaming function's `answer`: the gateway writes its body as it comes, as API Gateway does).
 */
export const bindRouteFunctions = (routes: readonly Route[], timeoutCapSeconds?: number): InvokeFunction => {
  const bound = new Map(
    functionsServing(routes).map((definition) => [
      definition.name,
      bindLocalFunction(
        definition,
        loadedOnFirstCall(definition, definition.responseStreaming ? 'answer' : 'handler'),
        {
          timeoutCapSeconds,
        },
      ),
    ]),
  );
  return (definition, event) => {
    const local = bound.get(definition.name);
    if (!local) throw new Error(`No route is served by the function ${definition.name}`);
    return local.invoke(event) as Promise<HttpResponse | StreamedHttpResponse>;
  };
};
