import { toMetro2Consumer } from '#domain/consumer-identity';
import { type IdentitySource, accountsOfPage } from '#domain/furnishing';
import type { Metro2Consumer } from '#domain/metro2/account';
import { metro2PartFormatter } from '#domain/metro2/formatter';
import { identityRecordOf, reportPages } from '../../../bench/furnishing-generator';
import { seededRandom } from '../../../bench/random';
import { furnisher } from '../../support/metro2';

// Why the DynamoDB bench's manifest counts one erasure fewer than the customers it generated erased (1,023 of 1,024 at
// 100K): an erased customer is furnished as DA once per commitment of a kind Metro 2 has an account type for, so one
// whose four commitments are all of unknown kind or a kind with no type (subscription) writes no DA and is no erasure.

const MONTH = '2026-11';
const formatter = metro2PartFormatter(() => furnisher);

/** The month as the DynamoDB bench generates it (a page of reports, then each customer's identity record, one stream). */
const generatedMonth = async (seed: number, customers: number) => {
  const random = seededRandom(seed);
  const pages = [];
  const identities = new Map<string, Metro2Consumer | 'erased'>();
  for await (const page of reportPages(random, MONTH, customers, { seconds: 0 })) {
    pages.push(page);
    for (const { userId } of page) {
      const record = identityRecordOf(random, `${MONTH}-01T09:00:00.000Z`);
      if (record?.state === 'erased') identities.set(userId, 'erased');
      else if (record?.state === 'active') identities.set(userId, toMetro2Consumer(record.identity));
    }
  }
  return { pages, identities };
};

describe('the furnishing bench generator: erased customers vs erasures furnished', () => {
  test('an erased customer with no commitment of a furnishable kind writes no DA, so is not counted in the erasures', async () => {
    // Seed 14 at 2,000 customers holds one such customer (found by scanning seeds; about 1 in 650 erased customers).
    const { pages, identities } = await generatedMonth(14, 2000);
    const source: IdentitySource<Metro2Consumer> = {
      identitiesOf: async (userIds) =>
        new Map(userIds.flatMap((id) => (identities.has(id) ? [[id, identities.get(id)!]] : []))),
    };
    const furnished = new Map<string, number>();
    for (const page of pages)
      for await (const { userId, erased, account } of accountsOfPage(page, MONTH, formatter, source, {})) {
        if (!erased) continue;
        expect(account.accountStatus).toBe('DA');
        furnished.set(userId, (furnished.get(userId) ?? 0) + 1);
      }
    const erased = pages.flat().filter(({ userId }) => identities.get(userId) === 'erased');
    const withoutDa = erased.filter(({ userId }) => !furnished.has(userId));

    expect([erased.length, furnished.size]).toEqual([18, 17]);
    // The one left out: every commitment of unknown kind or of a kind with no Metro 2 account type.
    expect(withoutDa).toHaveLength(1);
    for (const { kind } of withoutDa[0]!.commitments) expect([null, 'subscription']).toContain(kind);
    // Every other erased customer: one DA per commitment of a furnishable kind.
    for (const report of erased.filter(({ userId }) => furnished.has(userId)))
      expect(furnished.get(report.userId)).toBe(
        report.commitments.filter(({ kind }) => kind !== null && kind !== 'subscription').length,
      );
  });
});
