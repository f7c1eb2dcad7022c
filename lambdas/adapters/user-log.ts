import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';

/**
 * An append-only log kept per user in their shard's partition, sorted by user then time (the commitment
 * corrections, the consent changes): a range of its users read in one query, each user's entries oldest first.
 */
export const readUserLog = async <Entry>(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  range: { partition: string; first: string; last: string },
  entryOf: (item: Record<string, unknown>) => Entry,
): Promise<Map<string, Entry[]>> => {
  const byUser = new Map<string, Entry[]>();
  const pages = paginateQuery(
    { client: documentClient },
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
      ExpressionAttributeValues: { ':pk': range.partition, ':first': range.first, ':last': range.last },
      // What the customer just changed must be seen by the read that follows it.
      ConsistentRead: true,
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const userId = item.userId as string;
      const entries = byUser.get(userId);
      if (entries) entries.push(entryOf(item));
      else byUser.set(userId, [entryOf(item)]);
    }
  }
  return byUser;
};
