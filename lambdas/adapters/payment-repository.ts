import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { BY_MONTH_SHARD_INDEX } from '#contract/tables';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { localMonthOf, paymentMonth } from '#domain/payment';
import type { Payee } from '#domain/payee';
import type { PaymentReversal } from '#domain/payment-reversal';
import { type PaymentRecord, type PaymentRepository, isLateArrival } from '#domain/payment-record';
import { lazyPaymentsTableRepository } from '#adapters/payments-table';
import type { Observability } from '#adapters/workflow-handler';
import {
  lateArrivalSortKey,
  lateArrivalsPartition,
  monthShardPartition,
  monthShardSortKey,
  paymentKey,
  userPrefix,
  userShard,
} from '#adapters/table-keys';

export { paymentKey } from '#adapters/table-keys';

const ITEM_TYPE = 'Payment';

/**
 * The one item a payment is stored as, with the keys of both indexes: `byMonthShard` always
 * (patterns 3 and 4), `lateArrivals` only when it arrived after its month (sparse: no index write,
 * and no write unit, for the others). The month is the customer's: the payment's local date.
 */
export const toPaymentItem = (record: PaymentRecord): Record<string, unknown> => {
  const month = localMonthOf(record);
  const shard = userShard(record.userId);
  return {
    ...paymentKey(record.id),
    gsi1pk: monthShardPartition(month, shard),
    gsi1sk: monthShardSortKey(record.userId, record.timestamp, record.id),
    ...(isLateArrival(record)
      ? {
          gsi2pk: lateArrivalsPartition(paymentMonth(record.receivedAt), shard),
          gsi2sk: lateArrivalSortKey(record.userId, month, record.id),
        }
      : {}),
    type: ITEM_TYPE,
    ...record,
  };
};

export const fromPaymentItem = (item: Record<string, unknown>): PaymentRecord => ({
  id: item.id as string,
  userId: item.userId as string,
  timestamp: item.timestamp as string,
  ...(typeof item.localDate === 'string' ? { localDate: item.localDate } : {}),
  ...(typeof item.utcOffset === 'string' ? { utcOffset: item.utcOffset } : {}),
  description: item.description as string,
  currency: item.currency as string,
  amount: item.amount as string,
  amountMinor: item.amountMinor as number,
  receivedAt: item.receivedAt as string,
  requestId: item.requestId as string,
  clientId: item.clientId as string,
  submittedBy: item.submittedBy as string,
  ...(item.payee !== undefined ? { payee: item.payee as Payee } : {}),
  ...(typeof item.executionArn === 'string' ? { executionArn: item.executionArn } : {}),
  ...(item.reversal !== undefined ? { reversal: item.reversal as PaymentReversal } : {}),
});

/** A page cursor that is not one this API handed out (or was cut short). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursor';
}

// A cursor carries only the last item's index sort key; it must lie inside the caller's own part
// of the shard, and the rest of the start key is rebuilt from it, so a crafted cursor cannot reach
// another user's payments.
const MONTH_SORT_KEY = /^USER#[0-9a-f-]{36}#[0-9T:.-]+Z#([0-9a-f-]{36})$/;

const encodeMonthCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(String(key.gsi1sk)).toString('base64url') : undefined;

const decodeMonthCursor = (
  cursor: string | undefined,
  userId: string,
  month: string,
): Record<string, unknown> | undefined => {
  if (cursor === undefined) return undefined;
  const gsi1sk = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = MONTH_SORT_KEY.exec(gsi1sk);
  if (!match || !gsi1sk.startsWith(userPrefix(userId)))
    throw new InvalidCursorError('The cursor is not one this API returned');
  return { ...paymentKey(match[1]!), gsi1pk: monthShardPartition(month, userShard(userId)), gsi1sk };
};

export class DynamoDbPaymentRepository implements PaymentRepository {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putIfAbsent(record: PaymentRecord): Promise<{ stored: true } | { stored: false; existing: PaymentRecord }> {
    // One conditional put of one item: the payment is stored at most once, and its index keys come
    // with it, so no stored payment can be missing from the month a report run reads.
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toPaymentItem(record),
          ConditionExpression: 'attribute_not_exists(pk)',
          // The existing item comes back with the refusal: no second read to compare content.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { stored: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = error.Item ? fromPaymentItem(unmarshall(error.Item)) : await this.get(record.id);
      if (!existing) throw error;
      return { stored: false, existing };
    }
  }

  /** Pattern 3, one page: a user's payments in a month in time order; `cursor` is absent on the last page. */
  async listMonth(
    userId: string,
    month: string,
    limit: number,
    cursor?: string,
  ): Promise<{ payments: PaymentRecord[]; cursor?: string }> {
    const page = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: BY_MONTH_SHARD_INDEX.indexName,
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :user)',
        ExpressionAttributeValues: {
          ':pk': monthShardPartition(month, userShard(userId)),
          ':user': userPrefix(userId),
        },
        Limit: limit,
        ExclusiveStartKey: decodeMonthCursor(cursor, userId, month),
      }),
    );
    return { payments: (page.Items ?? []).map(fromPaymentItem), cursor: encodeMonthCursor(page.LastEvaluatedKey) };
  }

  /**
   * Adds the reversal to its stored payment, once (decisions/0019): one conditional update, which also files the
   * payment in the `lateArrivals` index under the month the reversal is recorded, so the next report run rebuilds the
   * payment's month and the later ones (decision 0008's mechanism). A reversal already stored comes back instead.
   */
  async addReversal(
    payment: PaymentRecord,
    reversal: PaymentReversal,
  ): Promise<{ stored: true } | { stored: false; existing: PaymentReversal }> {
    try {
      await this.documentClient.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: paymentKey(payment.id),
          UpdateExpression: 'SET #reversal = :reversal, gsi2pk = :late, gsi2sk = :lateSort',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#reversal)',
          ExpressionAttributeNames: { '#reversal': 'reversal' },
          ExpressionAttributeValues: {
            ':reversal': reversal,
            ':late': lateArrivalsPartition(paymentMonth(reversal.recordedAt), userShard(payment.userId)),
            ':lateSort': lateArrivalSortKey(payment.userId, localMonthOf(payment), payment.id),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { stored: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = error.Item ? (unmarshall(error.Item).reversal as PaymentReversal | undefined) : undefined;
      if (!existing) throw error;
      return { stored: false, existing };
    }
  }

  async get(id: string): Promise<PaymentRecord | undefined> {
    const result = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: paymentKey(id), ConsistentRead: true }),
    );
    return result.Item ? fromPaymentItem(result.Item) : undefined;
  }
}

/** A handler's DynamoDbPaymentRepository, built on its first invocation. */
export const lazyPaymentRepository = (observability: Observability): (() => DynamoDbPaymentRepository) =>
  lazyPaymentsTableRepository(
    observability,
    (documentClient, tableName) => new DynamoDbPaymentRepository(documentClient, tableName),
  );
