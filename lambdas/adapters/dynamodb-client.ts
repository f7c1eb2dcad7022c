import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One DynamoDB client per cold start. The endpoint comes from the SDK's own standard
 * variables (AWS_ENDPOINT_URL_DYNAMODB locally), so no handler knows where it runs.
 * Short socket timeouts: a synchronous workflow has 29 s in all, and the state machine
 * retries whole steps, so one SDK call must not hang for minutes.
 */
export const createDynamoDbClient = (): DynamoDBClient =>
  new DynamoDBClient({
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });

export const toDocumentClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
