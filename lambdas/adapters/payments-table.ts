import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '#contract/environment';
import { requireEnv } from '#adapters/config';
import { createDynamoDbClient, toDocumentClient } from '#adapters/dynamodb-client';
import type { Observability } from '#adapters/workflow-handler';

/**
 * A handler's repository over the payments table, built on its first invocation (cold start)
 * from environment variables only: importing a handler has no side effects.
 */
export const lazyPaymentsTableRepository = <T>(
  { tracer }: Observability,
  build: (documentClient: DynamoDBDocumentClient, tableName: string) => T,
): (() => T) => {
  let repository: T | undefined;
  return () =>
    (repository ??= build(
      toDocumentClient(tracer.captureAWSv3Client(createDynamoDbClient())),
      requireEnv(ENV.paymentsTable),
    ));
};
