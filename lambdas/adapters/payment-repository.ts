import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
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
});

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
