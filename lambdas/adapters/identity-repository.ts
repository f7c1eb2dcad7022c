import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '#contract/environment';
import { requireEnv } from '#adapters/config';
import { batchGetAll } from '#adapters/batch-get';
import type { BatchRetry } from '#adapters/batch-retry';
import { createDynamoDbClient, toDocumentClient } from '#adapters/dynamodb-client';
import type { Observability } from '#adapters/workflow-handler';
import { type ConsumerIdentity, toMetro2Consumer } from '#domain/consumer-identity';
import type { IdentitySource } from '#domain/furnishing';
import type { IdentityRecord } from '#domain/identity-lifecycle';
import type { Metro2Consumer } from '#domain/metro2/account';
import { canonicalUserId } from '#domain/user-id';

/** The item changed between this call's read and its write (another call's PUT or DELETE): nothing was written. */
export class IdentityChangedError extends Error {
  override readonly name = 'IdentityChanged';
}

const isConditionFailure = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException';

/** The write holds only if the item is still what the caller read (absent, or in the same state by the same writer). */
const unchangedSince = (before: IdentityRecord | undefined) => {
  if (before === undefined) return { ConditionExpression: 'attribute_not_exists(userId)' };
  const writer = before.state === 'active' ? before.writtenBy : before.erasedBy;
  const at = before.state === 'active' ? before.writtenAt : before.erasedAt;
  return {
    ConditionExpression: '#state = :state AND #at = :at AND #by = :by',
    ExpressionAttributeNames: {
      '#state': 'state',
      '#at': before.state === 'active' ? 'writtenAt' : 'erasedAt',
      '#by': before.state === 'active' ? 'writtenBy' : 'erasedBy',
    },
    ExpressionAttributeValues: { ':state': before.state, ':at': at, ':by': writer },
  };
};

/**
 * The identities table (decision 0020), one item per customer (domain/identity-lifecycle.ts says what each holds):
 * the identity routes read and replace it; the furnishing step reads a page of them and marks erasures furnished.
 */
export class DynamoDbIdentityRepository implements IdentitySource<Metro2Consumer> {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retry?: BatchRetry,
  ) {}

  /** One customer's item, strongly consistent (a PUT or DELETE decides on it). */
  async get(userId: string): Promise<IdentityRecord | undefined> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: { userId: canonicalUserId(userId) }, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { userId: _key, ...record } = Item;
    return record as IdentityRecord;
  }

  /** Replaces the item by `next` if it is still `before`; IdentityChangedError if another call changed it meanwhile. */
  async replace(userId: string, before: IdentityRecord | undefined, next: IdentityRecord): Promise<void> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { userId: canonicalUserId(userId), ...next },
          ...unchangedSince(before),
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new IdentityChangedError('The identity changed while it was written');
      throw error;
    }
  }

  /**
   * The furnishing step's page for `month`'s file: an active identity as Metro 2 consumer fields; 'erased' for a
   * pending erasure, or one first furnished in `month` itself (a re-run's file must still carry its `DA`).
   */
  async identitiesOf(userIds: readonly string[], month: string): Promise<Map<string, Metro2Consumer | 'erased'>> {
    const byCanonical = new Map(userIds.map((userId) => [canonicalUserId(userId), userId]));
    const items = await batchGetAll(
      this.documentClient,
      this.tableName,
      [...byCanonical.keys()].map((userId) => ({ userId })),
      this.retry,
    );
    const found = new Map<string, Metro2Consumer | 'erased'>();
    for (const item of items) {
      const asked = byCanonical.get(item.userId as string) as string;
      if (item.state === 'active') found.set(asked, toMetro2Consumer(item.identity as ConsumerIdentity));
      else if (item.state === 'erased' || (item.state === 'erasure-furnished' && item.furnishedIn === month))
        found.set(asked, 'erased');
    }
    return found;
  }

  /**
   * Once every bureau's file of `month` with their deletion (`DA`) is delivered: each customer's erasure marker becomes
   * `erasure-furnished` in `month`, so no other month's file names them. An item that is no longer a pending erasure
   * is left as it is (an erasure already furnished keeps the month it was first furnished in).
   */
  async markErasureFurnished(
    userIds: readonly string[],
    month: string,
    at: string = new Date().toISOString(),
  ): Promise<void> {
    for (const userId of userIds) {
      const before = await this.get(userId);
      if (before?.state !== 'erased') continue;
      try {
        await this.replace(userId, before, {
          ...before,
          state: 'erasure-furnished',
          furnishedAt: at,
          furnishedIn: month,
        });
      } catch (error) {
        // A concurrent run marked it first: it is furnished either way.
        if (!(error instanceof IdentityChangedError)) throw error;
      }
    }
  }
}

/** A handler's DynamoDbIdentityRepository, built on its first invocation from IDENTITIES_TABLE_NAME. */
export const lazyIdentityRepository = ({ tracer }: Observability): (() => DynamoDbIdentityRepository) => {
  let repository: DynamoDbIdentityRepository | undefined;
  return () =>
    (repository ??= new DynamoDbIdentityRepository(
      toDocumentClient(tracer.captureAWSv3Client(createDynamoDbClient())),
      requireEnv(ENV.identitiesTable),
    ));
};
