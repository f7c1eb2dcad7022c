import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import {
  BILLING_MODE,
  IDEMPOTENCY_TABLE,
  IDENTITIES_TABLE,
  type IndexDefinition,
  INDEX_PROJECTION,
  type KeyDefinition,
  PAYMENTS_TABLE,
  type TableDefinition,
  type LocalTableNames,
} from '#contract/tables';

/** Each local table with the shared definition it is built from. */
export const localTables = (names: LocalTableNames): Array<{ name: string; definition: TableDefinition }> => [
  { name: names.payments, definition: PAYMENTS_TABLE },
  { name: names.idempotency, definition: IDEMPOTENCY_TABLE },
  { name: names.identities, definition: IDENTITIES_TABLE },
];

interface Keys {
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
}

export const keySchema = ({ partitionKey, sortKey }: Keys): KeySchemaElement[] => [
  { AttributeName: partitionKey.name, KeyType: 'HASH' },
  ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }] : []),
];

const attributeDefinitions = (definition: TableDefinition): AttributeDefinition[] => {
  const keys = [definition, ...definition.globalSecondaryIndexes].flatMap(({ partitionKey, sortKey }) =>
    sortKey ? [partitionKey, sortKey] : [partitionKey],
  );
  const typeByName = new Map(keys.map((key) => [key.name, key.type]));
  return [...typeByName].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
};

const describeTable = async (client: DynamoDBClient, TableName: string): Promise<TableDescription | undefined> => {
  try {
    return (await client.send(new DescribeTableCommand({ TableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
};

const globalSecondaryIndex = (index: IndexDefinition): GlobalSecondaryIndex => ({
  IndexName: index.indexName,
  KeySchema: keySchema(index),
  Projection: { ProjectionType: INDEX_PROJECTION },
});

const createTable = async (client: DynamoDBClient, TableName: string, definition: TableDefinition): Promise<void> => {
  const indexes = definition.globalSecondaryIndexes.map(globalSecondaryIndex);
  try {
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: BILLING_MODE,
        KeySchema: keySchema(definition),
        AttributeDefinitions: attributeDefinitions(definition),
        GlobalSecondaryIndexes: indexes.length > 0 ? indexes : undefined,
      }),
    );
  } catch (error) {
    // Another stack or test run created it first: theirs is built from the same definition.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName });
};

const sameKeys = (actual: KeySchemaElement[] | undefined, expected: KeySchemaElement[]): boolean =>
  JSON.stringify(actual?.map((key) => [key.AttributeName, key.KeyType])) ===
  JSON.stringify(expected.map((key) => [key.AttributeName, key.KeyType]));

/**
 * A table kept on disk from an older definition would fail on the first query that needs the
 * new shape; saying so at start names the cause.
 */
const differences = (table: TableDescription, definition: TableDefinition): string[] => [
  ...(sameKeys(table.KeySchema, keySchema(definition)) ? [] : ['its primary key differs']),
  ...definition.globalSecondaryIndexes.flatMap((index) => {
    const existing = table.GlobalSecondaryIndexes?.find((candidate) => candidate.IndexName === index.indexName);
    if (!existing) return [];
    return sameKeys(existing.KeySchema, keySchema(index)) ? [] : [`index ${index.indexName} has other keys`];
  }),
];

const missingIndexes = (table: TableDescription, definition: TableDefinition): IndexDefinition[] =>
  definition.globalSecondaryIndexes.filter(
    (index) => !table.GlobalSecondaryIndexes?.some((candidate) => candidate.IndexName === index.indexName),
  );

const INDEX_WAIT_MS = 60_000;

/**
 * An index the definition gained since the table was made (decision 0022), added as a deployed stack update adds it:
 * one at a time, the database indexing the items already stored; ready when ACTIVE.
 */
const addIndex = async (
  client: DynamoDBClient,
  TableName: string,
  definition: TableDefinition,
  index: IndexDefinition,
) => {
  try {
    await client.send(
      new UpdateTableCommand({
        TableName,
        AttributeDefinitions: attributeDefinitions(definition),
        GlobalSecondaryIndexUpdates: [{ Create: globalSecondaryIndex(index) }],
      }),
    );
  } catch (error) {
    // Another start added it first.
    if (!(error instanceof ResourceInUseException) && !/already exists/i.test((error as Error).message)) throw error;
  }
  for (const deadline = Date.now() + INDEX_WAIT_MS; ; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const table = await describeTable(client, TableName);
    const status = table?.GlobalSecondaryIndexes?.find(
      (candidate) => candidate.IndexName === index.indexName,
    )?.IndexStatus;
    if (status === 'ACTIVE') return;
    if (Date.now() > deadline)
      throw new Error(`Index ${index.indexName} of ${TableName} is still ${status} after a minute`);
  }
};

const ensureTimeToLive = async (client: DynamoDBClient, TableName: string, AttributeName: string): Promise<void> => {
  const { TimeToLiveDescription: current } = await client.send(new DescribeTimeToLiveCommand({ TableName }));
  if (current?.TimeToLiveStatus === 'ENABLED' || current?.TimeToLiveStatus === 'ENABLING') {
    if (current.AttributeName === AttributeName) return;
    throw new Error(`Table ${TableName} expires items by ${current.AttributeName}, not ${AttributeName}`);
  }
  try {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName, Enabled: true } }),
    );
  } catch (error) {
    // A concurrent caller enabled it between our describe and update.
    const after = await client.send(new DescribeTimeToLiveCommand({ TableName }));
    if (after.TimeToLiveDescription?.AttributeName !== AttributeName) throw error;
  }
};

const ensureTable = async (client: DynamoDBClient, TableName: string, definition: TableDefinition): Promise<void> => {
  const existing = await describeTable(client, TableName);
  if (existing) {
    const problems = differences(existing, definition);
    if (problems.length > 0) {
      throw new Error(
        `Table ${TableName} does not match its definition (${problems.join('; ')}): ` +
          'delete it (or the data directory) or use another TABLE_PREFIX',
      );
    }
    for (const index of missingIndexes(existing, definition)) await addIndex(client, TableName, definition, index);
  } else {
    await createTable(client, TableName, definition);
  }
  if (definition.timeToLiveAttribute) await ensureTimeToLive(client, TableName, definition.timeToLiveAttribute);
};

/**
 * Creates the local tables that are missing, from the same definitions CDK deploys; existing
 * tables and their data are left alone. Safe to run concurrently.
 */
export const ensureTables = async (client: DynamoDBClient, names: LocalTableNames): Promise<void> => {
  await Promise.all(localTables(names).map(({ name, definition }) => ensureTable(client, name, definition)));
};
