import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ConsentChange } from '#domain/commitment-consent';
import { lazyPaymentsTableRepository } from '#adapters/payments-table';
import { readUserLog } from '#adapters/user-log';
import type { Observability } from '#adapters/workflow-handler';
import { consentKey, consentPartition, userEnd, userPrefix, userShard } from '#adapters/table-keys';

const ITEM_TYPE = 'ConsentChange';

/** What is kept of one consent change: the change and the request that made it. */
export interface ConsentRecord {
  changeId: string;
  userId: string;
  change: ConsentChange;
  /** The API request that stored it. */
  requestId: string;
}

export const toConsentItem = (record: ConsentRecord): Record<string, unknown> => ({
  ...consentKey(record.userId, record.change.at, record.changeId),
  type: ITEM_TYPE,
  ...record,
});

const fromConsentItem = (item: Record<string, unknown>): ConsentChange => item.change as ConsentChange;

/** The consent changes (pattern 7): appended once each, never updated or deleted (the trail is the record). */
export class DynamoDbConsentRepository {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Appends a change: the id is new, so the condition only guards against a reused one. */
  async append(record: ConsentRecord): Promise<void> {
    await this.documentClient.send(
      new PutCommand({
        TableName: this.tableName,
        Item: toConsentItem(record),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** One user's changes, oldest first: one query. */
  async ofUser(userId: string): Promise<ConsentChange[]> {
    const byUser = await this.inRange(userShard(userId), userId, userId);
    return byUser.get(userId) ?? [];
  }

  /** The changes of a shard's users from `firstUserId` to `lastUserId` (inclusive), by user: one range query. */
  inRange(shard: number, firstUserId: string, lastUserId: string): Promise<Map<string, ConsentChange[]>> {
    const range = { partition: consentPartition(shard), first: userPrefix(firstUserId), last: userEnd(lastUserId) };
    return readUserLog(this.documentClient, this.tableName, range, fromConsentItem);
  }
}

/** A handler's DynamoDbConsentRepository, built on its first invocation. */
export const lazyConsentRepository = (observability: Observability): (() => DynamoDbConsentRepository) =>
  lazyPaymentsTableRepository(
    observability,
    (documentClient, tableName) => new DynamoDbConsentRepository(documentClient, tableName),
  );
