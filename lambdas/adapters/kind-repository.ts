import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KindChoice } from '#domain/commitment-kind';
import { lazyPaymentsTableRepository } from '#adapters/payments-table';
import { DynamoDbUserChoiceRepository, type UserChoiceItems } from '#adapters/user-choice-repository';
import type { Observability } from '#adapters/workflow-handler';
import { kindKey, kindPartition } from '#adapters/table-keys';

/** What is kept of one kind choice: the choice and the request that made it. */
export interface KindRecord {
  choiceId: string;
  userId: string;
  choice: KindChoice;
  /** The API request that stored it. */
  requestId: string;
}

const KIND_ITEMS: UserChoiceItems<KindRecord, KindChoice> = {
  itemType: 'KindChoice',
  partition: kindPartition,
  key: (record) => kindKey(record.userId, record.choice.at, record.choiceId),
  choiceOf: (item) => item.choice as KindChoice,
};

/** The customers' kind choices (decision 0024): appended once each, never updated (the latest is the choice). */
export class DynamoDbKindRepository extends DynamoDbUserChoiceRepository<KindRecord, KindChoice> {
  constructor(documentClient: DynamoDBDocumentClient, tableName: string) {
    super(documentClient, tableName, KIND_ITEMS);
  }
}

/** A handler's DynamoDbKindRepository, built on its first invocation. */
export const lazyKindRepository = (observability: Observability): (() => DynamoDbKindRepository) =>
  lazyPaymentsTableRepository(
    observability,
    (documentClient, tableName) => new DynamoDbKindRepository(documentClient, tableName),
  );
