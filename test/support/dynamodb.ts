import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { ENV, type EnvName } from '#contract/environment';
import { toDocumentClient } from '#adapters/dynamodb-client';
import { localDynamoDbClient } from '#local/dynamodb/dynamodb-local';
import type { LocalTableNames } from '#contract/tables';

const fromSetup = (name: EnvName): string => {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run the tests through jest, whose globalSetup starts DynamoDB Local`);
  return value;
};

/** A low-level client of the run's shared DynamoDB Local (table descriptions, raw items). */
export const testDynamoDbClient = (): DynamoDBClient => localDynamoDbClient(fromSetup(ENV.dynamodbEndpoint));

/** A client of the run's shared DynamoDB Local, marshalling as the handlers do. */
export const testDocumentClient = (): DynamoDBDocumentClient => toDocumentClient(testDynamoDbClient());

/** The tables global-setup.ts created, as the handlers see them. */
export const testTableNames = (): LocalTableNames => ({
  payments: fromSetup(ENV.paymentsTable),
  idempotency: fromSetup(ENV.idempotencyTable),
  identities: fromSetup(ENV.identitiesTable),
});

/** Every item of the payments table that names the user (a Scan: tests only, on fresh user ids). */
export const itemsOfUser = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
): Promise<Array<Record<string, unknown>>> => {
  const items: Array<Record<string, unknown>> = [];
  const pages = paginateScan(
    { client },
    { TableName: tableName, FilterExpression: 'userId = :u', ExpressionAttributeValues: { ':u': userId } },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  return items;
};
