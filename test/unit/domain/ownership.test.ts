import { authorizeSubmission } from '#domain/ownership';
import { MissingScopeError, NotPaymentOwnerError } from '#domain/errors';
import { SCOPES } from '#contract/scopes';

const USER = '0b5a3c4e-7a0f-4a8e-9a43-3f1b8e1b2c3d';
const OTHER = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('authorizeSubmission', () => {
  test('a user may submit for itself with the write scope', () => {
    expect(authorizeSubmission({ sub: USER, scopes: [SCOPES.write] }, { userId: USER }, SCOPES)).toEqual({
      onBehalf: false,
    });
  });

  test('a token whose sub is the user id in upper case is that user: ids are compared in their canonical (lower-case) form', () => {
    expect(authorizeSubmission({ sub: USER.toUpperCase(), scopes: [SCOPES.write] }, { userId: USER }, SCOPES)).toEqual({
      onBehalf: false,
    });
    expect(() =>
      authorizeSubmission({ sub: OTHER.toUpperCase(), scopes: [SCOPES.write] }, { userId: USER }, SCOPES),
    ).toThrow(NotPaymentOwnerError);
  });

  test('a user may not submit for another user', () => {
    expect(() =>
      authorizeSubmission({ sub: USER, scopes: [SCOPES.write, SCOPES.read] }, { userId: OTHER }, SCOPES),
    ).toThrow(NotPaymentOwnerError);
  });

  test('the write scope is required, even for oneself', () => {
    expect(() => authorizeSubmission({ sub: USER, scopes: [SCOPES.read] }, { userId: USER }, SCOPES)).toThrow(
      MissingScopeError,
    );
  });

  test('the on-behalf scope lets a trusted integration submit for any user', () => {
    expect(
      authorizeSubmission(
        { sub: 'integration', scopes: [SCOPES.write, SCOPES.submitOnBehalf] },
        { userId: OTHER },
        SCOPES,
      ),
    ).toEqual({ onBehalf: true });
  });

  test('the on-behalf scope alone does not replace the write scope', () => {
    expect(() =>
      authorizeSubmission({ sub: 'integration', scopes: [SCOPES.submitOnBehalf] }, { userId: OTHER }, SCOPES),
    ).toThrow(MissingScopeError);
  });

  test('errors carry the names the state machine routes on', () => {
    expect(new MissingScopeError('x').name).toBe('MissingScope');
    expect(new NotPaymentOwnerError('x').name).toBe('NotPaymentOwner');
  });
});
