import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { BY_MONTH_SHARD_INDEX, MONTH_SHARDS } from '#contract/tables';
import { type Dispute, DisputeAlreadyResolvedError } from '#domain/dispute';
import { paymentMonth } from '#domain/payment';
import { lazyPaymentsTableRepository } from '#adapters/payments-table';
import type { Observability } from '#adapters/workflow-handler';
import {
  disputeKey,
  disputeRebuildSortKey,
  disputeShardPartition,
  disputeShardSortKey,
  lateArrivalsPartition,
  userEnd,
  userPrefix,
  userShard,
} from '#adapters/table-keys';

type Step = 'FILED' | 'RESOLVED';

/**
 * One step of a dispute as an item: the whole dispute as it stands after the step. Listed by user in the
 * `byMonthShard` index (its shard's disputes partition), and a `lateArrivals` entry in the month of the step, so
 * the next report run rebuilds the user's months from the disputed month on (decision 0008's mechanism).
 */
const stepItem = (dispute: Dispute, step: Step, at: string): Record<string, unknown> => ({
  ...disputeKey(dispute.disputeId, step),
  gsi1pk: disputeShardPartition(userShard(dispute.userId)),
  gsi1sk: disputeShardSortKey(dispute.userId, dispute.filed.at, dispute.disputeId, step),
  gsi2pk: lateArrivalsPartition(paymentMonth(at), userShard(dispute.userId)),
  gsi2sk: disputeRebuildSortKey(dispute.userId, dispute.month, dispute.disputeId, step),
  type: 'Dispute',
  // Read by the report run's late-arrivals listing, which projects the user id.
  userId: dispute.userId,
  dispute,
});

/** The latest step of each dispute among the items (a resolution over its filing), in filing order. */
const latest = (items: readonly Record<string, unknown>[]): Dispute[] => {
  const byId = new Map<string, Dispute>();
  for (const item of items) {
    const dispute = item.dispute as Dispute;
    const held = byId.get(dispute.disputeId);
    if (!held || held.state === 'open') byId.set(dispute.disputeId, dispute);
  }
  return [...byId.values()].sort((a, b) => (a.filed.at < b.filed.at ? -1 : a.filed.at > b.filed.at ? 1 : 0));
};

/**
 * Disputes in the payments table, append-only: a filing is one put, a resolution one conditional put beside it
 * (the condition is what makes a resolution final: a second one is refused, decisions/0018).
 */
export class DynamoDbDisputeRepository {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async file(dispute: Dispute): Promise<void> {
    await this.put(stepItem(dispute, 'FILED', dispute.filed.at));
  }

  /** Stores the resolution; DisputeAlreadyResolvedError if one is already stored (two operators at once). */
  async resolve(resolved: Dispute): Promise<void> {
    try {
      await this.put(stepItem(resolved, 'RESOLVED', resolved.resolution?.at ?? resolved.filed.at));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new DisputeAlreadyResolvedError(resolved.state);
      throw error;
    }
  }

  /** One dispute as it stands (strongly consistent: a resolution just stored is seen). */
  async get(disputeId: string): Promise<Dispute | undefined> {
    const { pk } = disputeKey(disputeId, 'FILED');
    const answer = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
      }),
    );
    return latest(answer.Items ?? [])[0];
  }

  /** One user's disputes, oldest first (the index: a step stored a moment ago may show a moment later). */
  async ofUser(userId: string): Promise<Dispute[]> {
    return latest(await this.indexed(userShard(userId), userPrefix(userId)));
  }

  /**
   * The disputes of a shard's users from `firstUserId` to `lastUserId`, by user: a report batch's users, in one
   * range query (as their corrections and consent), not the whole shard's disputes for every batch.
   */
  async inRange(shard: number, firstUserId: string, lastUserId: string): Promise<Map<string, Dispute[]>> {
    const byUser = new Map<string, Dispute[]>();
    const items = await this.query(shard, 'gsi1sk BETWEEN :first AND :last', {
      ':first': userPrefix(firstUserId),
      ':last': userEnd(lastUserId),
    });
    for (const dispute of latest(items)) {
      byUser.set(dispute.userId, [...(byUser.get(dispute.userId) ?? []), dispute]);
    }
    return byUser;
  }

  /** Every customer's disputes, oldest first: one query per shard (the bound is in docs/operations.md). */
  async all(): Promise<Dispute[]> {
    const shards = await Promise.all(Array.from({ length: MONTH_SHARDS }, (_, shard) => this.indexed(shard, 'USER#')));
    return latest(shards.flat());
  }

  private async put(item: Record<string, unknown>): Promise<void> {
    await this.documentClient.send(
      new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  private indexed(shard: number, prefix: string): Promise<Record<string, unknown>[]> {
    return this.query(shard, 'begins_with(gsi1sk, :prefix)', { ':prefix': prefix });
  }

  /** The shard's dispute index items whose sort key meets `sortKeyCondition`, every page. */
  private async query(
    shard: number,
    sortKeyCondition: string,
    values: Record<string, string>,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const pages = paginateQuery(
      { client: this.documentClient },
      {
        TableName: this.tableName,
        IndexName: BY_MONTH_SHARD_INDEX.indexName,
        KeyConditionExpression: `gsi1pk = :pk AND ${sortKeyCondition}`,
        ExpressionAttributeValues: { ':pk': disputeShardPartition(shard), ...values },
      },
    );
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  }
}

/** A handler's DynamoDbDisputeRepository, built on its first invocation. */
export const lazyDisputeRepository = (observability: Observability): (() => DynamoDbDisputeRepository) =>
  lazyPaymentsTableRepository(observability, (client, tableName) => new DynamoDbDisputeRepository(client, tableName));
