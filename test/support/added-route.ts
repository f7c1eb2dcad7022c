import type { Context } from 'aws-lambda';
import { functionNamed } from '#contract/functions';
import type { HttpResponse } from '#contract/http-mapping';
import { type ReadRequestEvent, jsonAnswer } from '#contract/read-api';
import type { Route } from '#contract/routes';
import { SCOPES } from '#contract/scopes';
import { JSON_CONTENT_TYPE } from '#contract/workflow-io';

/**
 * A route that is not in the catalogue, to show that adding one is one catalogue entry plus its handler: the tests
 * add ADDED_ROUTE to ROUTES and check that the local gateway, the CDK stack and the OpenAPI document all serve it.
 * This module is also its handler (the entry below names this file).
 */
export const handler = async (event: ReadRequestEvent, _context: Context): Promise<HttpResponse> => {
  const greeting = `Hello, ${event.pathParameters?.name}`;
  return jsonAnswer(
    200,
    { greeting, sub: event.requestContext.authorizer?.claims?.sub },
    event.requestContext.requestId,
  );
};

// Its handler is this file, not lambdas/handlers/get-greeting.ts: the one thing its name cannot say.
const GET_GREETING = functionNamed({
  name: 'GetGreeting',
  entry: 'test/support/added-route.ts',
  tables: [],
  timeoutSeconds: 5,
});

export const ADDED_ROUTE: Route = {
  method: 'GET',
  path: '/greetings/{name}',
  operationId: 'getGreeting',
  summary: 'A greeting (test route)',
  description: `Greets by name. Requires \`${SCOPES.reportsAdmin}\`.`,
  scopes: [SCOPES.reportsAdmin],
  serve: { kind: 'function', function: GET_GREETING },
  parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
  answers: {
    200: {
      description: 'The greeting.',
      content: {
        [JSON_CONTENT_TYPE]: {
          schema: { type: 'object', required: ['greeting'], properties: { greeting: { type: 'string' } } },
        },
      },
    },
  },
  problems: {
    401: { description: 'No token, or a token that is not valid.', names: ['Unauthorized'] },
    403: { description: `The token lacks \`${SCOPES.reportsAdmin}\`.`, names: ['MissingScope'] },
  },
};
