import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ConsentChange } from '#domain/commitment-consent';
import { lazyPaymentsTableRepository } from '#adapters/payments-table';
import { DynamoDbUserChoiceRepository, type UserChoiceItems } from '#adapters/user-choice-repository';
import type { Observability } from '#adapters/workflow-handler';
import { consentKey, consentPartition } from '#adapters/table-keys';

/** What is kept of one consent change: the change and the request that made it. */
export interface ConsentRecord {
  changeId: string;
  userId: string;
  change: ConsentChange;
  /** The API request that stored it. */
  requestId: string;
}

const CONSENT_ITEMS: UserChoiceItems<ConsentRecord, ConsentChange> = {
  itemType: 'ConsentChange',
  partition: consentPartition,
  key: (record) => consentKey(record.userId, record.change.at, record.changeId),
  choiceOf: (item) => item.change as ConsentChange,
};

/** The consent changes (pattern 7): appended once each, never updated or deleted (the trail is the record). */
export class DynamoDbConsentRepository extends DynamoDbUserChoiceRepository<ConsentRecord, ConsentChange> {
  constructor(documentClient: DynamoDBDocumentClient, tableName: string) {
    super(documentClient, tableName, CONSENT_ITEMS);
  }
}

/** A handler's DynamoDbConsentRepository, built on its first invocation. */
export const lazyConsentRepository = (observability: Observability): (() => DynamoDbConsentRepository) =>
  lazyPaymentsTableRepository(
    observability,
    (documentClient, tableName) => new DynamoDbConsentRepository(documentClient, tableName),
  );
