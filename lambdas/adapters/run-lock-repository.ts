import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { RunLock } from '#domain/report-run-lock';
import { runLockKey } from '#adapters/table-keys';

type PutOutcome = { taken: true } | { taken: false; current: RunLock };

const toItem = (lock: RunLock): Record<string, unknown> => ({ ...runLockKey(lock.month), ...lock });

const fromItem = (item: Record<string, unknown>): RunLock => {
  const { pk: _pk, sk: _sk, ...lock } = item;
  return lock as unknown as RunLock;
};

/**
 * The month's run lock item, written only by conditional puts (no update, no delete: the report
 * functions may only put). Each refusal brings back the lock found, so no second read is needed.
 */
export class RunLockRepository {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Takes the month: free, released, past its lease, already `lock.holder`'s, or still exactly `replacing`. */
  async put(lock: RunLock, replacing?: RunLock): Promise<PutOutcome> {
    return this.conditionalPut(
      toItem(lock),
      replacing
        ? {
            expression: 'holder = :old AND takenAt = :oldTakenAt',
            values: { ':old': replacing.holder, ':oldTakenAt': replacing.takenAt },
          }
        : {
            expression:
              'attribute_not_exists(pk) OR attribute_exists(releasedAt) OR leaseExpiresAt < :now OR holder = :holder',
            values: { ':now': lock.takenAt, ':holder': lock.holder },
          },
    );
  }

  /** Frees the month, if `holder` still holds it; a lock another run has since taken is left to it. */
  async release(lock: RunLock): Promise<boolean> {
    try {
      return (
        await this.conditionalPut(toItem(lock), { expression: 'holder = :holder', values: { ':holder': lock.holder } })
      ).taken;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  private async conditionalPut(
    item: Record<string, unknown>,
    condition: { expression: string; values: Record<string, string> },
  ): Promise<PutOutcome> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: condition.expression,
          ExpressionAttributeValues: condition.values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { taken: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || !error.Item) throw error;
      return { taken: false, current: fromItem(unmarshall(error.Item)) };
    }
  }
}
