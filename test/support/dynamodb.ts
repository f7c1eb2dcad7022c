import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
});
