/**
 * The DynamoDB tables, defined once. CDK (infra/) and the local stack's bootstrap both build
 * their tables from these definitions; the data model doc explains them.
 */
export type AttributeType = 'S' | 'N';

export interface KeyDefinition {
  name: string;
  type: AttributeType;
}

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
}

export interface TableDefinition {
  /** Stable id used for CDK construct ids and local table names. */
  id: string;
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
  globalSecondaryIndexes: IndexDefinition[];
  /** Attribute holding an epoch-seconds expiry, if the table uses TTL. */
  timeToLiveAttribute?: string;
}

/**
 * Payments, one item per payment id (access patterns 1 and 2: `pk = PAYMENT#<id>`),
 * plus the `byUserMonth` index for a user's payments in a month in time order (pattern 3).
 * The same table holds the month index (`pk = MONTH#<yyyy-mm>#SHARD#<nn>`, pattern 4) and the
 * monthly reports and run summaries (pattern 5); docs/data-model.md lists every item kind.
 */
export const PAYMENTS_TABLE: TableDefinition = {
  id: 'payments',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: 'byUserMonth',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
    },
  ],
};

/**
 * Shards of the month index. A month's users are spread over this many partitions so that a
 * report run reads them in parallel and no single partition takes every submission's index
 * write. Fixed: changing it re-homes users, so the shard of a stored user would be lost.
 */
export const MONTH_INDEX_SHARDS = 8;

/** Powertools idempotency records: its default key attribute and TTL attribute. */
export const IDEMPOTENCY_TABLE: TableDefinition = {
  id: 'idempotency',
  partitionKey: { name: 'id', type: 'S' },
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiration',
};

export const TABLES: readonly TableDefinition[] = [PAYMENTS_TABLE, IDEMPOTENCY_TABLE];

/** Every table is on demand: traffic is spiky and small, and nothing needs capacity planning. */
export const BILLING_MODE = 'PAY_PER_REQUEST';

/** Every index projects all attributes, so a query on it needs no second read of the table. */
export const INDEX_PROJECTION = 'ALL';
