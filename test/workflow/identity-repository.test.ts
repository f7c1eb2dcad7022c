import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbIdentityRepository, IdentityChangedError } from '#adapters/identity-repository';
import { type ConsumerIdentity, toMetro2Consumer } from '#domain/consumer-identity';
import type { Metro2Consumer } from '#domain/metro2/account';
import { identityWrite } from '#domain/identity-lifecycle';
import { testDocumentClient, testTableNames } from '../support/dynamodb';
import { INTEGRATION, OPERATIONS, eraseIdentity, storeIdentity } from '../support/identities';

/**
 * The identities table in DynamoDB Local, as the identity routes and the furnishing step use it (decision 0020): what
 * identitiesOf answers for each state of a customer's item, and the erasure marker's lifecycle.
 */
const documentClient = testDocumentClient();
const tableName = testTableNames().identities;
const repository = new DynamoDbIdentityRepository(documentClient, tableName);

const IDENTITY: ConsumerIdentity = {
  surname: 'Doe',
  firstName: 'Jane',
  dateOfBirth: '1990-04-12',
  addressLine1: '10 Downing Street',
  city: 'London',
  postalCode: 'SW1A 2AA',
  countryCode: 'GB',
};
const stored = (userId: string, identity: ConsumerIdentity = IDENTITY) => storeIdentity(repository, userId, identity);
const erased = (userId: string) => eraseIdentity(repository, userId);

const rawItem = async (userId: string) =>
  (await documentClient.send(new GetCommand({ TableName: tableName, Key: { userId }, ConsistentRead: true }))).Item;

afterAll(() => documentClient.destroy());

describe('identitiesOf: the furnishing step reads a page of customers', () => {
  test('an identity as Metro 2 consumer fields, a pending erasure as erased, and no entry for none or a furnished erasure', async () => {
    const [active, pending, furnished, none] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await stored(active);
    await stored(pending);
    await erased(pending);
    await stored(furnished);
    await erased(furnished);
    await repository.markErasureFurnished([furnished], '2026-10');

    const found = await repository.identitiesOf([active, pending, furnished, none], '2026-11');
    expect(found).toEqual(
      new Map<string, Metro2Consumer | 'erased'>([
        [active, toMetro2Consumer(IDENTITY)],
        [pending, 'erased'],
      ]),
    );
  });

  test("a page beyond BatchGetItem's 100 keys, asked with an upper-case id, answers under the id asked", async () => {
    const users = Array.from({ length: 130 }, () => randomUUID());
    await Promise.all(users.map((userId) => stored(userId)));
    const asked = users.map((userId, index) => (index === 0 ? userId.toUpperCase() : userId));
    const found = await repository.identitiesOf(asked, '2026-11');
    expect(found.size).toBe(130);
    expect(found.get(asked[0]!)).toEqual(toMetro2Consumer(IDENTITY));
  });
});

describe('erasure: the identity is replaced by a marker, furnished once, then never again', () => {
  test('the marker keeps no personal data; identitiesOf says erased until marked, then only for the month it was furnished in', async () => {
    const userId = randomUUID();
    await stored(userId, { ...IDENTITY, ssn: '123456789', addressLine2: 'Flat 2' });
    await erased(userId);

    const marker = await rawItem(userId);
    expect(marker).toEqual({ userId, state: 'erased', erasedBy: OPERATIONS.clientId, erasedAt: OPERATIONS.at });
    expect((await repository.identitiesOf([userId], '2026-11')).get(userId)).toBe('erased');

    await repository.markErasureFurnished([userId], '2026-11', '2026-12-05T02:00:00.000Z');
    expect(await rawItem(userId)).toEqual({
      userId,
      state: 'erasure-furnished',
      erasedBy: OPERATIONS.clientId,
      erasedAt: OPERATIONS.at,
      furnishedAt: '2026-12-05T02:00:00.000Z',
      furnishedIn: '2026-11',
    });
    // A re-run of 2026-11 replaces the file that carried the DA: it carries it again. No other month names them.
    expect((await repository.identitiesOf([userId], '2026-11')).get(userId)).toBe('erased');
    expect((await repository.identitiesOf([userId], '2026-12')).has(userId)).toBe(false);
    expect((await repository.identitiesOf([userId], '2026-10')).has(userId)).toBe(false);

    // A second run's mark (another month's too) changes nothing; erasing again changes nothing.
    await repository.markErasureFurnished([userId], '2026-12', '2026-12-06T02:00:00.000Z');
    await erased(userId);
    expect(await rawItem(userId)).toMatchObject({ furnishedAt: '2026-12-05T02:00:00.000Z', furnishedIn: '2026-11' });
  });

  test('markErasureFurnished leaves an active identity alone (only a pending erasure is marked)', async () => {
    const userId = randomUUID();
    await stored(userId);
    await repository.markErasureFurnished([userId], '2026-11');
    expect((await repository.identitiesOf([userId], '2026-11')).get(userId)).toEqual(toMetro2Consumer(IDENTITY));
  });

  test('while the erasure is pending no identity is taken; once furnished, a new one is (created)', async () => {
    const userId = randomUUID();
    await stored(userId);
    await erased(userId);
    expect(identityWrite(await repository.get(userId), IDENTITY, INTEGRATION)).toEqual({ outcome: 'erasure-pending' });
    await repository.markErasureFurnished([userId], '2026-11');
    expect(identityWrite(await repository.get(userId), IDENTITY, INTEGRATION).outcome).toBe('created');
  });
});

describe('replace: only over the item the caller read', () => {
  test('a write decided on a stale read is refused with IdentityChangedError, and the item stays', async () => {
    const userId = randomUUID();
    const first = await stored(userId);
    const stale = await repository.get(userId);
    await repository.replace(userId, stale, { ...first, writtenAt: '2026-12-03T00:00:00.000Z' });
    await expect(
      repository.replace(userId, stale, { ...first, writtenAt: '2026-12-04T00:00:00.000Z' }),
    ).rejects.toThrow(IdentityChangedError);
    await expect(repository.replace(userId, undefined, first)).rejects.toThrow(IdentityChangedError);
    expect(await repository.get(userId)).toMatchObject({ state: 'active', writtenAt: '2026-12-03T00:00:00.000Z' });
  });
});
