import type { HttpResponse } from '#contract/http-mapping';
import type { ReadRequestEvent, StreamedHttpResponse } from '#contract/read-api';
import { ROUTES } from '#contract/routes';
import { type RunningGateway, startGateway } from '#local/api-gateway/gateway';

/**
 * The local gateway's streamed answers (a unit test of the gateway alone: the export handler is a
 * stand-in here; test/e2e/report-reads/export.ts runs the real one).
 */
let gateway: RunningGateway;
let exportAnswer: (event: ReadRequestEvent) => Promise<HttpResponse | StreamedHttpResponse>;
const logged: Array<Record<string, unknown>> = [];

const notUsed = async (): Promise<HttpResponse> => {
  throw new Error('not used');
};

beforeAll(async () => {
  gateway = await startGateway({
    port: 0,
    verifyToken: async () => ({ sub: 'operator', clientId: 'ops', scope: 'payments/reports-admin' }),
    routes: ROUTES,
    runWorkflow: async () => {
      throw new Error('not used');
    },
    invokeFunction: (definition, event) => (definition.name === 'ExportReports' ? exportAnswer(event) : notUsed()),
    log: (entry) => logged.push(entry),
  });
});

afterAll(async () => {
  await gateway?.close();
});

const exportRequest = () =>
  fetch(`${gateway.url}/reports/2026-10/export`, { headers: { Authorization: 'Bearer token', Accept: 'text/csv' } });

describe('local gateway: streamed answers', () => {
  test("writes each chunk as it comes, chunked, with the answer's status and headers; passes the path parameter and headers", async () => {
    let seen: ReadRequestEvent | undefined;
    exportAnswer = async (event) => {
      seen = event;
      return {
        statusCode: 200,
        headers: { 'Content-Type': 'text/csv' },
        body: (async function* () {
          yield 'a,b\r\n';
          yield '1,2\r\n';
        })(),
      };
    };
    const response = await exportRequest();
    expect(response.status).toBe(200);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('a,b\r\n1,2\r\n');
    expect(seen?.pathParameters).toEqual({ month: '2026-10' });
    expect(seen?.headers?.accept).toBe('text/csv');
  });

  test('a failure after the status went out cuts the connection: the client cannot mistake the part for the whole', async () => {
    exportAnswer = async () => ({
      statusCode: 200,
      headers: { 'Content-Type': 'text/csv' },
      body: (async function* () {
        yield 'a,b\r\n';
        throw new Error('store down');
      })(),
    });
    // The headers may or may not have reached the client before the cut: either way it gets no complete body.
    await expect(exportRequest().then((response) => response.text())).rejects.toThrow();
    expect(logged).toContainEqual(expect.objectContaining({ message: 'Stream cut short', error: 'store down' }));
  });

  test('an ordinary answer of the same route is written whole', async () => {
    exportAnswer = async () => ({
      statusCode: 404,
      headers: { 'Content-Type': 'application/problem+json' },
      body: '{"status":404}',
    });
    const response = await exportRequest();
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('{"status":404}');
  });
});
