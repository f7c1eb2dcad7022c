import { REQUEST_ID_HEADER } from '#contract/http-mapping';
import { SCOPES } from '#contract/scopes';
import { OPENAPI_SCHEMAS, type SchemaName, schemaRef } from '#contract/openapi-schemas';
import { type HeaderSpec, ROUTES, type Route, pathParameterNames, problemHeaders } from '#contract/routes';
import { PROBLEM_CONTENT_TYPE } from '#contract/problems';
import { JSON_CONTENT_TYPE } from '#contract/workflow-io';

/**
 * The OpenAPI 3.1 document of the API: its paths generated from the route catalogue (contract/routes.ts), its
 * schemas those of contract/openapi-schemas.ts (the request's is the one payment JSON Schema).
 * `npm run docs:openapi` writes it to docs/openapi.yaml; a test keeps the file in step.
 */
const REQUEST_ID = { [REQUEST_ID_HEADER]: { $ref: '#/components/headers/RequestId' } };

const withRequestId = (headers: Readonly<Record<string, HeaderSpec>> = {}) => ({ ...REQUEST_ID, ...headers });
const requestIdLast = (headers: Readonly<Record<string, HeaderSpec>> = {}) => ({ ...headers, ...REQUEST_ID });

const security = (route: Route) => [
  ...route.scopes.map((scope) => ({ cognito: [scope] })),
  ...(route.wideningScopes?.length
    ? route.scopes.map((scope) => ({ cognito: [scope, ...route.wideningScopes!] }))
    : []),
];

/**
 * Each operation is tagged with its resource (a path's first segment), so that Swagger UI and other renderers group
 * the operations by what they act on rather than listing them all under "default". A route of a new resource gets
 * its tag without more ado; the resources here get a description too.
 */
const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  payments: 'Submit payments (one or a batch) and read them back.',
  reports: "Monthly reports: a customer's own, and the month's run summary and export.",
  commitments: "A customer's commitments (one payee, recurring monthly) and their corrections to the grouping.",
  disputes: "A customer's disputes of what their credit file says, and operations' resolutions.",
  customers:
    "A customer's identity for the credit file: written by integrations, read by the customer, erased by operations.",
};

const tagOf = (route: Route): string => route.path.split('/')[1] ?? '';

/** The document's `tags`: each tag in use, in catalogue order, with its description where there is one. */
export const openApiTags = (routes: readonly Route[]): { name: string; description?: string }[] =>
  [...new Set(routes.map(tagOf))].map((name) =>
    TAG_DESCRIPTIONS[name] ? { name, description: TAG_DESCRIPTIONS[name] } : { name },
  );

const requestSchema = (route: Route): SchemaName | undefined =>
  route.serve.kind === 'sync-workflow' ? route.serve.requestSchema : route.serve.body?.schema;

const operation = (route: Route): Record<string, unknown> => {
  const declared = (route.parameters ?? [])
    .filter((parameter) => parameter.in === 'path')
    .map((parameter) => parameter.name);
  if (declared.join('/') !== pathParameterNames(route.path).join('/')) {
    throw new Error(`${route.method} ${route.path} declares the path parameters [${declared.join(', ')}]`);
  }
  return {
    operationId: route.operationId,
    tags: [tagOf(route)],
    summary: route.summary,
    description: route.description,
    security: security(route),
    ...(route.parameters?.length ? { parameters: route.parameters } : {}),
    ...(requestSchema(route)
      ? {
          requestBody: {
            required: true,
            content: { [JSON_CONTENT_TYPE]: { schema: schemaRef(requestSchema(route)!) } },
          },
        }
      : {}),
    responses: {
      ...Object.fromEntries(
        Object.entries(route.answers).map(([status, answer]) => [
          status,
          {
            description: answer.description,
            headers: requestIdLast(answer.headers),
            ...(answer.content ? { content: answer.content } : {}),
          },
        ]),
      ),
      ...Object.fromEntries(
        Object.entries(route.problems).map(([status, problems]) => [
          status,
          {
            description: problems.description,
            headers: withRequestId(problemHeaders(problems.names)),
            content: { [PROBLEM_CONTENT_TYPE]: { schema: schemaRef('Problem') } },
          },
        ]),
      ),
    },
  };
};

/** The `paths` of the document: one operation per route, grouped by path in catalogue order. */
export const openApiPaths = (routes: readonly Route[]): Record<string, Record<string, unknown>> => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes)
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  return paths;
};

export const buildOpenApiDocument = (routes: readonly Route[] = ROUTES): Record<string, unknown> => {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Payments Tracker API',
      version: '1.0.0',
      description:
        "Client apps submit monthly recurring payments (rent, a gym, Netflix) that build the customer's credit score. " +
        'Every 2xx means the payment is durably stored; nothing is stored on any 4xx or 5xx.',
    },
    servers: [{ url: 'http://localhost:3000', description: 'Local stack (npm start)' }],
    security: [{ cognito: [SCOPES.write] }],
    tags: openApiTags(routes),
    paths: openApiPaths(routes),
    components: {
      securitySchemes: {
        cognito: {
          type: 'oauth2',
          description:
            'Cognito access tokens. The hosted UI domain below is an example: the deployed stack prints its own (output HostedUiDomain). Locally: `npm run token -- --user <uuid>`.',
          flows: {
            authorizationCode: {
              authorizationUrl: 'https://payments-tracker.auth.eu-west-2.amazoncognito.com/oauth2/authorize',
              tokenUrl: 'https://payments-tracker.auth.eu-west-2.amazoncognito.com/oauth2/token',
              scopes: {
                [SCOPES.read]: 'Read own payments and reports',
                [SCOPES.write]: 'Submit payments',
              },
            },
            clientCredentials: {
              tokenUrl: 'https://payments-tracker.auth.eu-west-2.amazoncognito.com/oauth2/token',
              scopes: {
                [SCOPES.write]: 'Submit payments',
                [SCOPES.submitOnBehalf]: 'Submit payments for any user (trusted integrations)',
                [SCOPES.reportsAdmin]: "Read report run summaries and export the month's reports (operations)",
                [SCOPES.disputesAdmin]: "List every customer's open disputes and resolve them (operations)",
              },
            },
          },
        },
      },
      headers: {
        RequestId: { description: 'The request id; quote it to support.', schema: { type: 'string' } },
      },
      schemas: OPENAPI_SCHEMAS,
    },
  };
};
