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
 * Payments, one item per payment id (access patterns 1 and 2: `pk = PAYMENT#<id>`), written by
 * one conditional put. The same item carries the keys of both indexes, so patterns 3 and 4 need no
 * second item and no transaction:
 * - `byMonthShard` (`gsi1pk = MONTH#<yyyy-mm>#SHARD#<nn>`, `gsi1sk = USER#<userId>#<timestamp>#<id>`):
 *   a month's payments spread over MONTH_SHARDS partitions, grouped by user and in time order within
 *   a user. One query per page gives a report batch a run of whole users (pattern 4); `begins_with`
 *   on `USER#<userId>#` gives one user's month in time order (pattern 3).
 * - `lateArrivals` (`gsi2pk = LATE#<received yyyy-mm>#SHARD#<nn>`, `gsi2sk = USER#<userId>#MONTH#<yyyy-mm>#<id>`):
 *   sparse, only on payments received after their month had ended, which the next report run
 *   re-reports (decision 0008).
 * - `byUser` (`userId`, `timestamp`: attributes every payment has carried since the first one was stored):
 *   a user's payments in time order, so one paginated query reads a first report's 24 months of history
 *   (decision 0022). Sparse by nature: only payments have a top-level `timestamp`.
 * The same table holds the monthly reports and run summaries (pattern 5); docs/data-model.md
 * lists every item kind.
 */
export const PAYMENTS_TABLE: TableDefinition = {
  id: 'payments',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: 'byMonthShard',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
    },
    {
      indexName: 'lateArrivals',
      partitionKey: { name: 'gsi2pk', type: 'S' },
      sortKey: { name: 'gsi2sk', type: 'S' },
    },
    {
      indexName: 'byUser',
      partitionKey: { name: 'userId', type: 'S' },
      sortKey: { name: 'timestamp', type: 'S' },
    },
  ],
};

/**
 * What the partition key (`pk`) of each item kind of the payments table starts with (lambdas/adapters/table-keys.ts
 * builds the keys): the prefixes the functions' IAM conditions (`dynamodb:LeadingKeys`) restrict their writes to.
 */
export const PAYMENTS_KEY_PREFIXES = {
  payment: 'PAYMENT#',
  report: 'REPORTS#',
  runSummary: 'REPORTRUN#',
  corrections: 'CORRECTIONS#',
  disputes: 'DISPUTE#',
  // The one partition of open-dispute markers (decisions/0018): its whole key, no `#` suffix.
  openDisputes: 'OPEN_DISPUTES',
  consent: 'CONSENT#',
  kinds: 'KIND#',
} as const;

export const [BY_MONTH_SHARD_INDEX, LATE_ARRIVALS_INDEX, BY_USER_INDEX] = PAYMENTS_TABLE.globalSecondaryIndexes as [
  IndexDefinition,
  IndexDefinition,
  IndexDefinition,
];

/**
 * Shards of a month: its payments (and its reports) are spread over this many partitions, so a
 * report run builds them in parallel, one child execution per shard, and no partition takes a
 * whole month's writes. 64 keeps each child's history far below 25,000 events at 10M users
 * (docs/operations.md has the bound). Fixed: changing it re-homes users, so the shard of a stored
 * payment would be lost.
 */
export const MONTH_SHARDS = 64;

/** Powertools idempotency records: its default key attribute and TTL attribute. */
export const IDEMPOTENCY_TABLE: TableDefinition = {
  id: 'idempotency',
  partitionKey: { name: 'id', type: 'S' },
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiration',
};

/**
 * Customers' identities for furnishing (decision 0020): one item per customer (`userId`), read by its own key only
 * (GetItem, BatchGetItem; no index, no Scan). An item is the identity, or, once erased, a marker with no personal
 * data (`state: erased`) until the file that furnishes the deletion is delivered (`state: erasure-furnished`).
 * Apart from the payments table so that IAM can give it to the identity routes and the furnishing step alone.
 */
export const IDENTITIES_TABLE: TableDefinition = {
  id: 'identities',
  partitionKey: { name: 'userId', type: 'S' },
  globalSecondaryIndexes: [],
};

export const TABLES: readonly TableDefinition[] = [PAYMENTS_TABLE, IDEMPOTENCY_TABLE, IDENTITIES_TABLE];

/** Every table is on demand: traffic is spiky and small, and nothing needs capacity planning. */
export const BILLING_MODE = 'PAY_PER_REQUEST';

/** Every index projects all attributes, so a query on it needs no second read of the table. */
export const INDEX_PROJECTION = 'ALL';

export interface LocalTableNames {
  payments: string;
  idempotency: string;
  identities: string;
}

/** Local table names: the shared definitions' ids behind a prefix, so stacks can share a database. */
export const localTableNames = (prefix: string): LocalTableNames => ({
  payments: `${prefix}${PAYMENTS_TABLE.id}`,
  idempotency: `${prefix}${IDEMPOTENCY_TABLE.id}`,
  identities: `${prefix}${IDENTITIES_TABLE.id}`,
});
