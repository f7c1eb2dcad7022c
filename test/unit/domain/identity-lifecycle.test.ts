import type { ConsumerIdentity } from '#domain/consumer-identity';
import { type IdentityRecord, identityErasure, identityWrite } from '#domain/identity-lifecycle';

const IDENTITY = { surname: 'Doe', firstName: 'Jane' } as ConsumerIdentity;
const BY = { clientId: 'bank-feed-a', at: '2026-12-01T10:00:00.000Z' };
const active: IdentityRecord = { state: 'active', identity: IDENTITY, writtenBy: 'bank-feed-a', writtenAt: 'x' };
const erased: IdentityRecord = { state: 'erased', erasedBy: 'ops', erasedAt: 'y' };
const furnished: IdentityRecord = { ...erased, state: 'erasure-furnished', furnishedAt: 'z', furnishedIn: '2026-11' };

describe('identity writes', () => {
  test('none kept, or an erasure already furnished: created, written by the caller', () => {
    for (const before of [undefined, furnished])
      expect(identityWrite(before, IDENTITY, BY)).toEqual({
        outcome: 'created',
        record: { state: 'active', identity: IDENTITY, writtenBy: 'bank-feed-a', writtenAt: BY.at },
      });
  });

  test('the integration that wrote it replaces it; another may not', () => {
    expect(identityWrite(active, IDENTITY, BY).outcome).toBe('replaced');
    expect(identityWrite(active, IDENTITY, { ...BY, clientId: 'bank-feed-b' })).toEqual({ outcome: 'other-writer' });
  });

  test('an erasure not yet furnished refuses a new identity', () => {
    expect(identityWrite(erased, IDENTITY, BY)).toEqual({ outcome: 'erasure-pending' });
  });
});

describe('identity erasure', () => {
  test('an identity becomes a marker of ids and times only', () => {
    expect(identityErasure(active, { clientId: 'ops', at: 'now' })).toEqual({
      outcome: 'erased',
      record: { state: 'erased', erasedBy: 'ops', erasedAt: 'now' },
    });
  });

  test('erasing again changes nothing; nothing kept is none', () => {
    expect(identityErasure(erased, BY)).toEqual({ outcome: 'already-erased' });
    expect(identityErasure(furnished, BY)).toEqual({ outcome: 'already-erased' });
    expect(identityErasure(undefined, BY)).toEqual({ outcome: 'none' });
  });
});
