import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '#contract/environment';
import type { IdentitySource } from '#domain/furnishing';
import type { Metro2Consumer } from '#domain/metro2/account';

/**
 * FurnishMonth's IdentitySource, built in this one place. MERGE (identity23): replace the body of
 * `identitySourceFromEnv` with `new DynamoDbIdentityRepository(documentClient, requireEnv(ENV.identitiesTable))` and
 * delete `TableIdentitySource` (a minimal reader of the same port, kept only until that repository is on main).
 */

/** One item per customer keyed by `userId`: `consumer` (the identity), or `erased: true` after an erasure. */
interface IdentityItem {
  userId: string;
  consumer?: Metro2Consumer;
  erased?: boolean;
}

const BATCH_GET_KEYS = 100;

export class TableIdentitySource implements IdentitySource<Metro2Consumer> {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async identitiesOf(userIds: readonly string[]): Promise<Map<string, Metro2Consumer | 'erased'>> {
    const found = new Map<string, Metro2Consumer | 'erased'>();
    for (let start = 0; start < userIds.length; start += BATCH_GET_KEYS) {
      let keys: Record<string, unknown>[] | undefined = userIds
        .slice(start, start + BATCH_GET_KEYS)
        .map((userId) => ({ userId }));
      while (keys && keys.length > 0) {
        const answer: BatchGetCommandOutput = await this.documentClient.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of (answer.Responses?.[this.tableName] ?? []) as IdentityItem[]) {
          if (item.erased) found.set(item.userId, 'erased');
          else if (item.consumer) found.set(item.userId, item.consumer);
        }
        keys = answer.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return found;
  }
}

/** A stage without an identities table furnishes nobody: every commitment is skipped as `no-identity`. */
const NO_IDENTITIES: IdentitySource<Metro2Consumer> = { identitiesOf: async () => new Map() };

export const identitySourceFromEnv = (
  documentClient: DynamoDBDocumentClient,
  env: NodeJS.ProcessEnv = process.env,
): IdentitySource<Metro2Consumer> => {
  const table = env[ENV.identitiesTable];
  return table ? new TableIdentitySource(documentClient, table) : NO_IDENTITIES;
};
