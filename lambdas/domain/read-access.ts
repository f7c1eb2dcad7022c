import { MissingScopeError } from '#domain/errors';
import { canonicalUserId } from '#domain/user-id';

/**
 * A read needs the scope its endpoint names: its own payments and reports the read scope (a
 * write-only integration has none), operations' views of a whole run the reports-admin scope.
 */
export const requireScope = (scopes: readonly string[], required: string): void => {
  if (!scopes.includes(required)) throw new MissingScopeError(`The token needs the scope ${required}`);
};

/** A record is the caller's when it carries the caller's user id (the token `sub`). */
export const isOwnedBy = <T extends { userId: string }>(record: T | undefined, sub: string | undefined): record is T =>
  record !== undefined && sub !== undefined && canonicalUserId(record.userId) === canonicalUserId(sub);
