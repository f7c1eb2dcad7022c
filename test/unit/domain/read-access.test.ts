import { SCOPES } from '#contract/scopes';
import { MissingScopeError } from '#domain/errors';
import { isOwnedBy, requireScope } from '#domain/read-access';
import { buildOpenApiDocument } from '#contract/openapi';

describe('read access', () => {
  test('needs the read scope; write or on-behalf scopes do not read', () => {
    expect(() => requireScope([SCOPES.read], SCOPES.read)).not.toThrow();
    expect(() => requireScope([SCOPES.write, SCOPES.submitOnBehalf], SCOPES.read)).toThrow(MissingScopeError);
    expect(() => requireScope([], SCOPES.read)).toThrow(MissingScopeError);
    expect(() => requireScope([SCOPES.read], SCOPES.reportsAdmin)).toThrow(MissingScopeError);
    expect(() => requireScope([SCOPES.reportsAdmin], SCOPES.reportsAdmin)).not.toThrow();
  });

  test("a record is the caller's only when its user id is the token sub", () => {
    expect(isOwnedBy({ userId: 'a' }, 'a')).toBe(true);
    expect(isOwnedBy({ userId: 'a' }, 'b')).toBe(false);
    expect(isOwnedBy(undefined, 'a')).toBe(false);
    expect(isOwnedBy({ userId: 'a' }, undefined)).toBe(false);
  });

  test('the sub and the user id are compared in canonical (lower-case) form', () => {
    const userId = '0b5a3c4e-7a0f-4a8e-9a43-3f1b8e1b2c3d';
    expect(isOwnedBy({ userId }, userId.toUpperCase())).toBe(true);
    expect(isOwnedBy({ userId }, '7C9E6679-7425-40DE-944B-E07FC1F90AE7')).toBe(false);
  });

  test('the OpenAPI document lists GET /payments with its 400, beside POST', () => {
    const paths = (
      buildOpenApiDocument() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }
    ).paths;
    expect(Object.keys(paths['/payments']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/payments']!.get!.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '429',
      '500',
      '503',
    ]);
  });

  test('the OpenAPI document describes both read endpoints with their 404, their 429 and the read scope', () => {
    const paths = (
      buildOpenApiDocument() as {
        paths: Record<string, { get?: { responses: Record<string, unknown>; security: unknown } }>;
      }
    ).paths;
    for (const path of ['/payments/{id}', '/reports/{month}']) {
      expect(Object.keys(paths[path]!.get!.responses).sort()).toEqual([
        '200',
        '401',
        '403',
        '404',
        '429',
        '500',
        '503',
      ]);
      expect(paths[path]!.get!.security).toEqual([{ cognito: [SCOPES.read] }]);
    }
  });
});
