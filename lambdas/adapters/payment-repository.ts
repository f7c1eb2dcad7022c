import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { PAYMENTS_TABLE } from '#contract/tables';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { paymentMonth } from '#domain/payment';
import type { PaymentRecord, PaymentRepository } from '#domain/payment-record';
import { lazyPaymentsTableRepository } from '#adapters/payments-table';
import type { Observability } from '#adapters/workflow-handler';
import { monthIndexKey, paymentKey, userMonthKey } from '#adapters/table-keys';

export { paymentKey, userMonthKey } from '#adapters/table-keys';

const ITEM_TYPE = 'Payment';
const MONTH_INDEX_ITEM_TYPE = 'MonthUser';

/** The month-index item a payment puts its user in (pattern 4): the same for every payment of that user and month. */
export const toMonthIndexItem = (record: Pick<PaymentRecord, 'userId' | 'timestamp'>): Record<string, unknown> => {
  const month = paymentMonth(record.timestamp);
  return { ...monthIndexKey(month, record.userId), type: MONTH_INDEX_ITEM_TYPE, userId: record.userId, month };
};

export const toPaymentItem = (record: PaymentRecord): Record<string, unknown> => ({
  ...paymentKey(record.id),
  gsi1pk: userMonthKey(record.userId, paymentMonth(record.timestamp)),
  gsi1sk: `${record.timestamp}#${record.id}`,
  type: ITEM_TYPE,
  ...record,
});

export const fromPaymentItem = (item: Record<string, unknown>): PaymentRecord => ({
  id: item.id as string,
  userId: item.userId as string,
  timestamp: item.timestamp as string,
  description: item.description as string,
  currency: item.currency as string,
  amount: item.amount as string,
  amountMinor: item.amountMinor as number,
  receivedAt: item.receivedAt as string,
  requestId: item.requestId as string,
  clientId: item.clientId as string,
  submittedBy: item.submittedBy as string,
  ...(typeof item.executionArn === 'string' ? { executionArn: item.executionArn } : {}),
});

/** A page cursor that is not one this API handed out (or was cut short). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursor';
}

const BY_USER_MONTH = PAYMENTS_TABLE.globalSecondaryIndexes[0]!.indexName;

// A cursor carries only the last item's index sort key (`<timestamp>#<payment id>`); the rest of
// the start key is rebuilt from the caller's own partition, so a crafted cursor cannot reach
// another user's payments.
const GSI1SK = /^[0-9T:.-]+Z#[0-9a-f-]{36}$/;

const encodeMonthCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(String(key.gsi1sk)).toString('base64url') : undefined;

const decodeMonthCursor = (cursor: string | undefined, userId: string, month: string): Record<string, unknown> | undefined => {
  if (cursor === undefined) return undefined;
  const gsi1sk = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!GSI1SK.test(gsi1sk)) throw new InvalidCursorError('The cursor is not one this API returned');
  return { ...paymentKey(gsi1sk.slice(gsi1sk.indexOf('#') + 1)), gsi1pk: userMonthKey(userId, month), gsi1sk };
};

export class DynamoDbPaymentRepository implements PaymentRepository {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putIfAbsent(record: PaymentRecord): Promise<{ stored: true } | { stored: false; existing: PaymentRecord }> {
    // One transaction: the payment is stored at most once (the condition), and never without
    // its month-index item, which the report run relies on to find its user. Two separate writes
    // could leave a stored payment unindexed forever: a replay is answered without a new write.
    try {
      await this.documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: toPaymentItem(record),
                ConditionExpression: 'attribute_not_exists(pk)',
                // The existing item comes back with the refusal: no second read to compare content.
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            // Unconditional and the same for every payment of the user's month: idempotent.
            { Put: { TableName: this.tableName, Item: toMonthIndexItem(record) } },
          ],
        }),
      );
      return { stored: true };
    } catch (error) {
      const refusal = error instanceof TransactionCanceledException ? error.CancellationReasons?.[0] : undefined;
      if (refusal?.Code !== 'ConditionalCheckFailed') throw error;
      const existing = refusal.Item ? fromPaymentItem(unmarshall(refusal.Item)) : await this.get(record.id);
      if (!existing) throw error;
      return { stored: false, existing };
    }
  }

  /** Pattern 3, one page: a user's payments in a month in time order; `cursor` is absent on the last page. */
  async listMonth(userId: string, month: string, limit: number, cursor?: string): Promise<{ payments: PaymentRecord[]; cursor?: string }> {
    const page = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: BY_USER_MONTH,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': userMonthKey(userId, month) },
        Limit: limit,
        ExclusiveStartKey: decodeMonthCursor(cursor, userId, month),
      }),
    );
    return { payments: (page.Items ?? []).map(fromPaymentItem), cursor: encodeMonthCursor(page.LastEvaluatedKey) };
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
  lazyPaymentsTableRepository(observability, (documentClient, tableName) => new DynamoDbPaymentRepository(documentClient, tableName));
