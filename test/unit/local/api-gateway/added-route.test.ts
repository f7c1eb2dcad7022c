import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { buildOpenApiDocument } from '#contract/openapi';
import { ROUTES } from '#contract/routes';
import { SCOPES } from '#contract/scopes';
import type { Caller } from '#contract/workflow-io';
import { type RunningGateway, startGateway } from '#local/api-gateway/gateway';
import { bindRouteFunctions } from '#local/api-gateway/route-bindings';
import { ADDED_ROUTE } from '../../../support/added-route';
import { scratchDir } from '../../../support/scratch-dir';

/**
 * Adding a route is one catalogue entry plus its handler (test/support/added-route.ts): with it added to the
 * catalogue, the local gateway routes it to its handler with its scope enforced, and the OpenAPI document has its
 * path. test/infra/templates/added-route.ts shows the CDK side.
 */
const routes = [...ROUTES, ADDED_ROUTE];
const CALLERS: Record<string, Caller> = {
  admin: { sub: 'operator', clientId: 'ops', scope: SCOPES.reportsAdmin },
  reader: { sub: 'reader', clientId: 'app', scope: `${SCOPES.read} ${SCOPES.write}` },
};

let gateway: RunningGateway;

beforeAll(async () => {
  gateway = await startGateway({
    port: 0,
    verifyToken: async (token) => {
      const caller = CALLERS[token];
      if (!caller) throw Object.assign(new Error('unknown'), { reason: 'unknown token' });
      return caller;
    },
    routes,
    runWorkflow: async () => {
      throw new Error('not used');
    },
    // Only the added route's handler is bound: the catalogue's own are not called here.
    invokeFunction: bindRouteFunctions([ADDED_ROUTE]),
  });
});

afterAll(async () => {
  await gateway?.close();
});

const get = (urlPath: string, token?: string, method = 'GET') =>
  fetch(`${gateway.url}${urlPath}`, { method, headers: token ? { Authorization: `Bearer ${token}` } : {} });

describe('a route added to the catalogue', () => {
  test("the local gateway routes it to its handler, with the path parameter decoded and the caller's claims", async () => {
    const response = await get('/greetings/Ada%20L', 'admin');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toEqual(expect.any(String));
    expect(await response.json()).toEqual({ greeting: 'Hello, Ada L', sub: 'operator' });
  });

  test('the local gateway enforces its scope before its handler runs (403), and its token (401)', async () => {
    const forbidden = await get('/greetings/Ada', 'reader');
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ status: 403, detail: expect.stringContaining(SCOPES.reportsAdmin) });
    expect((await get('/greetings/Ada')).status).toBe(401);
    expect((await get('/greetings/Ada', 'stranger')).status).toBe(401);
  });

  test('the local gateway answers its other methods 405 with Allow, and other paths 404', async () => {
    const post = await get('/greetings/Ada', 'admin', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect((await get('/greetings/Ada/more', 'admin')).status).toBe(404);
    expect((await get('/greetings/', 'admin')).status).toBe(404);
  });

  test('the OpenAPI document has its path, with its scope, parameter and answers, and stays valid', () => {
    const document = buildOpenApiDocument(routes) as { paths: Record<string, Record<string, Record<string, unknown>>> };
    expect(document.paths['/greetings/{name}']?.get).toMatchObject({
      operationId: 'getGreeting',
      security: [{ cognito: [SCOPES.reportsAdmin] }],
      parameters: [{ name: 'name', in: 'path', required: true }],
    });
    expect(Object.keys(document.paths['/greetings/{name}']!.get!.responses as object).sort()).toEqual([
      '200',
      '401',
      '403',
    ]);
    const file = path.join(scratchDir('openapi-added-route-'), 'openapi.yaml');
    writeFileSync(file, stringify(document, { aliasDuplicateObjects: false }));
    const result = spawnSync(path.resolve('node_modules/.bin/validate-api'), [file], { encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({ valid: true });
  });
});
