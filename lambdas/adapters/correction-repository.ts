import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CommitmentCorrection } from '#domain/commitment-correction';
import { paymentMonth } from '#domain/payment';
import { lazyPaymentsTableRepository } from '#adapters/payments-table';
import { readUserLog } from '#adapters/user-log';
import type { Observability } from '#adapters/workflow-handler';
import {
  correctionKey,
  correctionPartition,
  correctionRebuildSortKey,
  lateArrivalsPartition,
  userEnd,
  userPrefix,
  userShard,
} from '#adapters/table-keys';

const ITEM_TYPE = 'CommitmentCorrection';

/** What is kept of one correction: the correction and the request that made it. */
export interface CorrectionRecord {
  correctionId: string;
  userId: string;
  correction: CommitmentCorrection;
  /** The API request that stored it. */
  requestId: string;
  /** The first month it changes: the user's months from it on are rebuilt by the next report run. */
  rebuildFrom: string;
}

/**
 * The one item a correction is, written once (never updated: the trail is append-only). It carries a
 * `lateArrivals` entry as a late payment does, in the month it was made: the next report run reads
 * it there and rebuilds the user's months from `rebuildFrom` (decision 0008).
 */
export const toCorrectionItem = (record: CorrectionRecord): Record<string, unknown> => ({
  ...correctionKey(record.userId, record.correction.at, record.correctionId),
  gsi2pk: lateArrivalsPartition(paymentMonth(record.correction.at), userShard(record.userId)),
  gsi2sk: correctionRebuildSortKey(record.userId, record.rebuildFrom, record.correctionId),
  type: ITEM_TYPE,
  ...record,
});

const fromCorrectionItem = (item: Record<string, unknown>): CommitmentCorrection =>
  item.correction as CommitmentCorrection;

export class DynamoDbCorrectionRepository {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Appends a correction: the id is new, so the condition only guards against a reused one. */
  async append(record: CorrectionRecord): Promise<void> {
    await this.documentClient.send(
      new PutCommand({
        TableName: this.tableName,
        Item: toCorrectionItem(record),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** Pattern 6: one user's corrections, oldest first (the order they apply in). */
  async ofUser(userId: string): Promise<CommitmentCorrection[]> {
    return this.query(userShard(userId), userPrefix(userId), userEnd(userId)).then(
      (byUser) => byUser.get(userId) ?? [],
    );
  }

  /**
   * Pattern 6 for a report batch: the corrections of a shard's users from `firstUserId` to
   * `lastUserId` (inclusive), by user, each oldest first: one range query, as previous reports are read.
   */
  async inRange(shard: number, firstUserId: string, lastUserId: string): Promise<Map<string, CommitmentCorrection[]>> {
    return this.query(shard, userPrefix(firstUserId), userEnd(lastUserId));
  }

  private query(shard: number, first: string, last: string): Promise<Map<string, CommitmentCorrection[]>> {
    const range = { partition: correctionPartition(shard), first, last };
    return readUserLog(this.documentClient, this.tableName, range, fromCorrectionItem);
  }
}

/** A handler's DynamoDbCorrectionRepository, built on its first invocation. */
export const lazyCorrectionRepository = (observability: Observability): (() => DynamoDbCorrectionRepository) =>
  lazyPaymentsTableRepository(
    observability,
    (documentClient, tableName) => new DynamoDbCorrectionRepository(documentClient, tableName),
  );
