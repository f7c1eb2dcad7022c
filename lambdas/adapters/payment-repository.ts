import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { paymentMonth } from '#domain/payment';
import type { PaymentRecord, PaymentRepository } from '#domain/payment-record';

/** Key of a payment item: access patterns 1 and 2 (docs/data-model.md). */
export const paymentKey = (id: string): { pk: string; sk: string } => ({ pk: `PAYMENT#${id}`, sk: 'PAYMENT' });

/** `byUserMonth` index keys: a user's payments in a month, in time order (pattern 3). */
export const userMonthKey = (userId: string, month: string): string => `USER#${userId}#MONTH#${month}`;

const ITEM_TYPE = 'Payment';

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
      if (error instanceof ConditionalCheckFailedException && error.Item) {
        return { stored: false, existing: fromPaymentItem(unmarshall(error.Item)) };
      }
      throw error;
    }
  }

  async get(id: string): Promise<PaymentRecord | undefined> {
    const result = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: paymentKey(id), ConsistentRead: true }),
    );
    return result.Item ? fromPaymentItem(result.Item) : undefined;
  }
}
