import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { IDEMPOTENCY_KEY_PREFIX } from '#handlers/check-idempotency';

/**
 * The key Powertools gives a payment id's idempotency record: the prefix and the base64 MD5 of
 * the JSON of what `eventKeyJmesPath` selects (the id). Tests read or delete the record by it.
 */
export const idempotencyRecordKey = (paymentId: string): { id: string } => ({
  id: `${IDEMPOTENCY_KEY_PREFIX}#${createHash('md5').update(JSON.stringify(paymentId)).digest('base64')}`,
});

export const idempotencyRecord = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  paymentId: string,
): Promise<Record<string, unknown> | undefined> =>
  (
    await client.send(
      new GetCommand({ TableName: tableName, Key: idempotencyRecordKey(paymentId), ConsistentRead: true }),
    )
  ).Item;
