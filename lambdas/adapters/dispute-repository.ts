import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import { BY_MONTH_SHARD_INDEX, MONTH_SHARDS, PAYMENTS_KEY_PREFIXES } from '#contract/tables';
import { type Dispute, DisputeAlreadyResolvedError } from '#domain/dispute';
import { paymentMonth } from '#domain/payment';
import { BATCH_RETRY } from '#adapters/batch-retry';
import { batchGetAll } from '#adapters/batch-get';
import { lazyPaymentsTableRepository } from '#adapters/payments-table';
import type { Observability } from '#adapters/workflow-handler';
import {
  disputeKey,
  disputeRebuildSortKey,
  disputeShardPartition,
  disputeShardSortKey,
  lateArrivalsPartition,
  openDisputeMarkerKey,
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

/**
 * What an open dispute's marker carries (decisions/0018): ids, month, reason and filing time; no free text, no
 * personal data beyond the user id the filing holds. Enough for the daily overdue count without the disputes.
 */
export type OpenDisputeMarker = Pick<
  Dispute,
  'disputeId' | 'userId' | 'commitmentId' | 'paymentId' | 'month' | 'reason'
> & {
  filedAt: string;
};

const markerItem = (dispute: Dispute): Record<string, unknown> => {
  const { disputeId, userId, commitmentId, paymentId, month, reason } = dispute;
  const marker: OpenDisputeMarker = {
    disputeId,
    userId,
    commitmentId,
    paymentId,
    month,
    reason,
    filedAt: dispute.filed.at,
  };
  return { ...openDisputeMarkerKey(dispute.filed.at, disputeId), type: 'OpenDisputeMarker', ...marker };
};

const markerOf = (item: Record<string, unknown>): OpenDisputeMarker => {
  const { disputeId, userId, commitmentId, paymentId, month, reason, filedAt } = item as OpenDisputeMarker;
  return { disputeId, userId, commitmentId, paymentId, month, reason, filedAt };
};

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
 * (the condition is what makes a resolution final: a second one is refused, decisions/0018). An open dispute also
 * has a marker in the open-disputes partition, put with its filing and deleted with its resolution, each in one
 * transaction: operations' open list is one paginated Query (pattern 7).
 */
export class DynamoDbDisputeRepository {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores the filing and its open marker, together or not at all. */
  async file(dispute: Dispute): Promise<void> {
    await this.documentClient.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: this.newItem(stepItem(dispute, 'FILED', dispute.filed.at)) },
          { Put: this.newItem(markerItem(dispute)) },
        ],
      }),
    );
  }

  /**
   * Stores the resolution and deletes the open marker in one transaction (a dispute filed before the markers has
   * none: the delete is then a no-op); DisputeAlreadyResolvedError if a resolution is already stored (two operators at
   * once), and then nothing changes.
   */
  async resolve(resolved: Dispute): Promise<void> {
    try {
      await this.documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: this.newItem(stepItem(resolved, 'RESOLVED', resolved.resolution?.at ?? resolved.filed.at)) },
            { Delete: { TableName: this.tableName, Key: openDisputeMarkerKey(resolved.filed.at, resolved.disputeId) } },
          ],
        }),
      );
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      )
        throw new DisputeAlreadyResolvedError(resolved.state);
      throw error;
    }
  }

  /** The open disputes' markers, oldest first: one Query of the open-disputes partition (every page). */
  async openMarkers(): Promise<OpenDisputeMarker[]> {
    const items = await this.allPages({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': PAYMENTS_KEY_PREFIXES.openDisputes },
      ConsistentRead: true,
    });
    return items.map(markerOf);
  }

  /**
   * The open disputes, oldest first: their markers, then each one's steps by key (BatchGetItem, consistent), so one
   * resolved since its marker was read is left out.
   */
  async open(): Promise<Dispute[]> {
    const markers = await this.openMarkers();
    const keys = markers.flatMap(({ disputeId }) => [
      disputeKey(disputeId, 'FILED'),
      disputeKey(disputeId, 'RESOLVED'),
    ]);
    const items = await batchGetAll(this.documentClient, this.tableName, keys, BATCH_RETRY, true);
    const byId = new Map(latest(items).map((dispute) => [dispute.disputeId, dispute]));
    return markers
      .map(({ disputeId }) => byId.get(disputeId))
      .filter((dispute): dispute is Dispute => dispute?.state === 'open');
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

  /**
   * Every customer's disputes, resolved ones too, oldest first: one query per shard. Only for a look at the whole
   * history (`disputes --all`, `?state=` a resolution's outcome); the open list is `open()`.
   */
  async all(): Promise<Dispute[]> {
    const shards = await Promise.all(Array.from({ length: MONTH_SHARDS }, (_, shard) => this.indexed(shard, 'USER#')));
    return latest(shards.flat());
  }

  /** A put of a new item in a transaction: never over a stored one. */
  private newItem(item: Record<string, unknown>) {
    return { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' };
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
    return this.allPages({
      TableName: this.tableName,
      IndexName: BY_MONTH_SHARD_INDEX.indexName,
      KeyConditionExpression: `gsi1pk = :pk AND ${sortKeyCondition}`,
      ExpressionAttributeValues: { ':pk': disputeShardPartition(shard), ...values },
    });
  }

  /** Every page of one query (the SDK's paginator). */
  private async allPages(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for await (const page of paginateQuery({ client: this.documentClient }, input)) items.push(...(page.Items ?? []));
    return items;
  }
}

/** A handler's DynamoDbDisputeRepository, built on its first invocation. */
export const lazyDisputeRepository = (observability: Observability): (() => DynamoDbDisputeRepository) =>
  lazyPaymentsTableRepository(observability, (client, tableName) => new DynamoDbDisputeRepository(client, tableName));
