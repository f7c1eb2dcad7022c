import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { readUserLog } from '#adapters/user-log';
import { userEnd, userPrefix, userShard } from '#adapters/table-keys';

/** How one sort of customer choice is kept: its item type, its shard's partition, its key, and the choice in an item. */
export interface UserChoiceItems<ChoiceRecord, Choice> {
  readonly itemType: string;
  readonly partition: (shard: number) => string;
  readonly key: (record: ChoiceRecord) => { pk: string; sk: string };
  readonly choiceOf: (item: Record<string, unknown>) => Choice;
}

/**
 * The customers' choices of one sort (consent, kind): one partition per shard, items by user then time, appended once
 * each and never updated (the latest per commitment is the choice, the rest the trail).
 */
export class DynamoDbUserChoiceRepository<ChoiceRecord extends object, Choice> {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly items: UserChoiceItems<ChoiceRecord, Choice>,
  ) {}

  /** Appends a choice: the id is new, so the condition only guards against a reused one. */
  async append(record: ChoiceRecord): Promise<void> {
    await this.documentClient.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...this.items.key(record), type: this.items.itemType, ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** One user's choices, oldest first: one query. */
  async ofUser(userId: string): Promise<Choice[]> {
    const byUser = await this.inRange(userShard(userId), userId, userId);
    return byUser.get(userId) ?? [];
  }

  /** The choices of a shard's users from `firstUserId` to `lastUserId` (inclusive), by user: one range query. */
  inRange(shard: number, firstUserId: string, lastUserId: string): Promise<Map<string, Choice[]>> {
    const range = { partition: this.items.partition(shard), first: userPrefix(firstUserId), last: userEnd(lastUserId) };
    return readUserLog(this.documentClient, this.tableName, range, this.items.choiceOf);
  }
}
