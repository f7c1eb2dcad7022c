import { loggedPath } from '#local/api-gateway/answer-server';

describe("the access log's path", () => {
  test("a customer's route is named by its template: the user id in its path (their sub) is never logged", () => {
    const userId = '6f1e0d3c-2b4a-4c5d-8e9f-0a1b2c3d4e5f';
    expect(loggedPath(`/customers/${userId}/identity`)).toBe('/customers/{userId}/identity');
    expect(loggedPath(`/customers/${userId.toUpperCase()}/identity?x=1`)).toBe('/customers/{userId}/identity');
  });

  test('a literal route and every other path are logged as sent', () => {
    expect(loggedPath('/customers/me/identity')).toBe('/customers/me/identity');
    expect(loggedPath('/payments/3f0c4b2a-1d2e-4f3a-8b4c-5d6e7f809a1b')).toBe(
      '/payments/3f0c4b2a-1d2e-4f3a-8b4c-5d6e7f809a1b',
    );
    expect(loggedPath('/customers/x/identity/more')).toBe('/customers/x/identity/more');
    expect(loggedPath(undefined)).toBeUndefined();
  });
});
