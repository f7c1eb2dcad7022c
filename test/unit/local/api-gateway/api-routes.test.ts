import { ROUTES } from '#contract/routes';
import { apiRouter } from '#local/api-gateway/api-routes';

/** The local gateway's routing from the catalogue: as API Gateway matches resources. */
const route = apiRouter(ROUTES);
const methodsAt = (path: string) => [...(route(path)?.byMethod.keys() ?? [])];

describe('routing from the catalogue', () => {
  test('a path without parameters: every method of it', () => {
    expect(methodsAt('/payments')).toEqual(['POST', 'GET']);
    expect(route('/payments')?.pathParameters).toEqual({});
  });

  test('a parameter is one non-empty segment, decoded', () => {
    expect(route('/payments/abc%20d')?.pathParameters).toEqual({ id: 'abc d' });
    expect(route('/reports/2026-10/summary')?.pathParameters).toEqual({ month: '2026-10' });
    expect(route('/reports/2026-10/summary')?.byMethod.get('GET')?.operationId).toBe('getReportSummary');
    expect(route('/payments/')).toBeUndefined();
    expect(route('/payments/a/b')).toBeUndefined();
    expect(route('/reports/2026-10/other')).toBeUndefined();
  });

  test('a malformed escape names no resource', () => {
    expect(route('/payments/%E0%A4%A')).toBeUndefined();
  });

  test('a literal segment beats a parameter, whatever the catalogue order', () => {
    const reversed = apiRouter([...ROUTES].reverse());
    expect(reversed('/payments/batch')?.byMethod.get('POST')?.operationId).toBe('submitPaymentBatch');
    expect(reversed('/payments/batch')?.byMethod.has('GET')).toBe(false);
    expect(reversed('/payments/other')?.byMethod.get('GET')?.operationId).toBe('getPayment');
  });

  test('two routes for one method and path are refused', () => {
    expect(() => apiRouter([...ROUTES, ROUTES[0]!])).toThrow('Two routes for POST /payments');
  });
});
