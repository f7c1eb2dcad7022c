import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toDocumentClient } from '#adapters/dynamodb-client';
import { testDynamoDbClient } from './dynamodb';

/** Thrown in place of the write a killed process never sent. */
export class KilledBeforeWriteError extends Error {
  override readonly name = 'KilledBeforeWrite';
}

const WRITES =
  /^(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems|Put|Update|Delete|BatchWrite|TransactWrite)Command$/;

/**
 * A client of the test DynamoDB Local that sends `writes` write requests, then none: every later
 * write throws before it is sent, as if the process had been killed at that write boundary. Reads
 * still work, so the code under test stops at its next write, as a killed one would have.
 */
export const clientKilledAfter = (writes: number, dynamodbClient = testDynamoDbClient()): DynamoDBDocumentClient => {
  let sent = 0;
  dynamodbClient.middlewareStack.add(
    (next, context) => async (args) => {
      if (WRITES.test(context.commandName ?? '')) {
        if (sent >= writes) throw new KilledBeforeWriteError(`killed after ${writes} writes`);
        sent += 1;
      }
      return next(args);
    },
    { step: 'initialize', name: 'killedAfterWrites' },
  );
  return toDocumentClient(dynamodbClient);
};

/** Whether a write through a killed client finished (true) or stopped at a write boundary (false); other errors throw. */
export const finishedBeforeKill = (write: Promise<unknown>): Promise<boolean> =>
  write.then(
    () => true,
    (error: unknown) => {
      if (!(error instanceof KilledBeforeWriteError)) throw error;
      return false;
    },
  );
