import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { KindChoice } from '#domain/commitment-kind';
import { lazyPaymentsTableRepository } from '#adapters/payments-table';
import { readUserLog } from '#adapters/user-log';
import type { Observability } from '#adapters/workflow-handler';
import { kindKey, kindPartition, userEnd, userPrefix, userShard } from '#adapters/table-keys';

const ITEM_TYPE = 'KindChoice';

/** What is kept of one kind choice: the choice and the request that made it. */
export interface KindRecord {
  choiceId: string;
  userId: string;
  choice: KindChoice;
  /** The API request that stored it. */
  requestId: string;
}

export const toKindItem = (record: KindRecord): Record<string, unknown> => ({
  ...kindKey(record.userId, record.choice.at, record.choiceId),
  type: ITEM_TYPE,
  ...record,
});

const fromKindItem = (item: Record<string, unknown>): KindChoice => item.choice as KindChoice;

/** The customers' kind choices (decision 0024): appended once each, never updated (the latest is the choice). */
export class DynamoDbKindRepository {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Appends a choice: the id is new, so the condition only guards against a reused one. */
  async append(record: KindRecord): Promise<void> {
    await this.documentClient.send(
      new PutCommand({
        TableName: this.tableName,
        Item: toKindItem(record),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** One user's choices, oldest first: one query. */
  async ofUser(userId: string): Promise<KindChoice[]> {
    const byUser = await this.inRange(userShard(userId), userId, userId);
    return byUser.get(userId) ?? [];
  }

  /** The choices of a shard's users from `firstUserId` to `lastUserId` (inclusive), by user: one range query. */
  inRange(shard: number, firstUserId: string, lastUserId: string): Promise<Map<string, KindChoice[]>> {
    const range = { partition: kindPartition(shard), first: userPrefix(firstUserId), last: userEnd(lastUserId) };
    return readUserLog(this.documentClient, this.tableName, range, fromKindItem);
  }
}

/** A handler's DynamoDbKindRepository, built on its first invocation. */
export const lazyKindRepository = (observability: Observability): (() => DynamoDbKindRepository) =>
  lazyPaymentsTableRepository(
    observability,
    (documentClient, tableName) => new DynamoDbKindRepository(documentClient, tableName),
  );
