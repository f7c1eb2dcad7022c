import { randomUUID } from 'node:crypto';
import { DynamoDbCorrectionRepository } from '#adapters/correction-repository';
import { userShard } from '#adapters/table-keys';
import type { CommitmentCorrection } from '#domain/commitment-correction';
import { testDocumentClient, testTableNames } from '../support/dynamodb';
import { reportsRepository } from '../support/reports';

const corrections = () => new DynamoDbCorrectionRepository(testDocumentClient(), testTableNames().payments);

/**
 * Users who share one month shard, sorted as the shard's sort keys are. Their ids share a fresh prefix, so no other
 * test's user (a random UUID) can sort between two of them: a range query over them sees theirs alone.
 */
const usersOfOneShard = (count: number): { shard: number; userIds: string[] } => {
  const prefix = randomUUID();
  const shard = userShard(`${prefix}-0`);
  const userIds: string[] = [];
  for (let candidate = 0; userIds.length < count; candidate += 1) {
    const userId = `${prefix}-${String(candidate).padStart(6, '0')}`;
    if (userShard(userId) === shard) userIds.push(userId);
  }
  return { shard, userIds };
};

const merge = (userId: string, at: string, from: string): CommitmentCorrection => ({
  kind: 'merge',
  from,
  into: 'GBP#gym',
  at,
  by: userId,
  clientId: 'local-user-app',
});

const append = (userId: string, correction: CommitmentCorrection, rebuildFrom: string) =>
  corrections().append({ correctionId: randomUUID(), userId, correction, requestId: randomUUID(), rebuildFrom });

describe('commitment corrections in the payments table (DynamoDB Local)', () => {
  test("a batch of users' corrections is one range query of their shard, by user, each oldest first", async () => {
    const { shard, userIds } = usersOfOneShard(4);
    const [first, second, third, outside] = userIds as [string, string, string, string];
    await append(second, merge(second, '2026-11-03T10:00:00.000Z', 'GBP#b'), '2026-09');
    await append(second, merge(second, '2026-11-02T10:00:00.000Z', 'GBP#a'), '2026-09');
    await append(first, merge(first, '2026-11-04T10:00:00.000Z', 'GBP#c'), '2026-10');
    await append(outside, merge(outside, '2026-11-04T10:00:00.000Z', 'GBP#d'), '2026-10');

    const byUser = await corrections().inRange(shard, first, third);
    expect([...byUser.keys()].sort()).toEqual([first, second]);
    expect(byUser.get(second)?.map((correction) => (correction as { from: string }).from)).toEqual(['GBP#a', 'GBP#b']);
    expect(await corrections().ofUser(first)).toEqual([merge(first, '2026-11-04T10:00:00.000Z', 'GBP#c')]);
    expect(await corrections().ofUser(randomUUID())).toEqual([]);
  });

  test('a correction marks its user for the next report run as a late payment does: from its first affected month', async () => {
    const { shard, userIds } = usersOfOneShard(1);
    const [userId] = userIds as [string];
    await append(userId, merge(userId, '2026-11-03T10:00:00.000Z', 'GBP#b'), '2026-07');

    const arrivals = [];
    let after: string | null = null;
    do {
      const page = await reportsRepository().lateArrivalsPage({
        month: '2026-10',
        shard,
        after,
        pageItems: 1000,
        receivedMonths: ['2026-10', '2026-11'],
      });
      arrivals.push(...page.arrivals);
      after = page.after;
    } while (after !== null);
    expect(arrivals.filter((arrival) => arrival.userId === userId)).toEqual([{ userId, month: '2026-07' }]);
  });
});
