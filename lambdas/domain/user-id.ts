/**
 * A user id (a UUID) in the one form it is stored and compared in: lower case. UUIDs are
 * case-insensitive (RFC 9562), bodies may send either case, and an identity provider other than
 * Cognito (or `npm run token -- --user <UPPER-CASE>`) may put an upper-case one in a token's `sub`:
 * the same user either way, so every comparison and key uses this form.
 */
export const canonicalUserId = (id: string): string => id.toLowerCase();
