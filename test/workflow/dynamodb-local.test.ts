import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { toDocumentClient } from '#adapters/dynamodb-client';
import { ENV } from '#contract/environment';
import {
  BILLING_MODE,
  BY_MONTH_SHARD_INDEX,
  INDEX_PROJECTION,
  type KeyDefinition,
  LATE_ARRIVALS_INDEX,
  PAYMENTS_TABLE,
  type TableDefinition,
} from '#contract/tables';
import { toPaymentItem } from '#adapters/payment-repository';
import { DynamoDbReportRepository } from '#adapters/report-repository';
import { storedPayment } from '#devtools/payment-records';
import { localDynamoDbClient, startDynamoDbLocal } from '#local/dynamodb/dynamodb-local';
import { freePort } from '#local/free-port';
import { ensureTables, localTables } from '#local/dynamodb/table-bootstrap';
import { localTableNames } from '#contract/tables';
import { testDynamoDbClient, testTableNames } from '../support/dynamodb';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { scratchDir } from '../support/scratch-dir';
import { TYPESCRIPT_LOADER } from '#devtools/typescript-process';

/** The key schema a definition asks for, spelled out as DynamoDB describes it. */
const expectedKeys = ({ partitionKey, sortKey }: { partitionKey: KeyDefinition; sortKey?: KeyDefinition }) => [
  { AttributeName: partitionKey.name, KeyType: 'HASH' },
  ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: 'RANGE' }] : []),
];

describe("the test run's DynamoDB Local (globalSetup)", () => {
  const client = testDynamoDbClient();
  afterAll(() => client.destroy());

  const expectBuiltFrom = async (name: string, definition: TableDefinition, on = client): Promise<void> => {
    const { Table } = await on.send(new DescribeTableCommand({ TableName: name }));
    expect(Table).toMatchObject({
      TableStatus: 'ACTIVE',
      KeySchema: expectedKeys(definition),
      BillingModeSummary: { BillingMode: BILLING_MODE },
    });
    expect(Table?.GlobalSecondaryIndexes ?? []).toHaveLength(definition.globalSecondaryIndexes.length);
    expect(Table?.GlobalSecondaryIndexes ?? []).toEqual(
      expect.arrayContaining(
        definition.globalSecondaryIndexes.map((index) =>
          expect.objectContaining({
            IndexName: index.indexName,
            KeySchema: expectedKeys(index),
            Projection: { ProjectionType: INDEX_PROJECTION },
          }),
        ),
      ),
    );
    const { TimeToLiveDescription } = await on.send(new DescribeTimeToLiveCommand({ TableName: name }));
    expect(TimeToLiveDescription).toEqual(
      definition.timeToLiveAttribute
        ? { TimeToLiveStatus: 'ENABLED', AttributeName: definition.timeToLiveAttribute }
        : { TimeToLiveStatus: 'DISABLED' },
    );
  };

  test('the handlers are pointed at it through the standard SDK variable', () => {
    expect(process.env[ENV.dynamodbEndpoint]).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(testTableNames()).toEqual(localTableNames('test-'));
  });

  test.each(localTables(testTableNames()))(
    '$name has the keys, index and TTL of its shared definition',
    async ({ name, definition }) => {
      await expectBuiltFrom(name, definition);
    },
  );

  test('ensureTables is idempotent, safe to run concurrently, and leaves existing data alone', async () => {
    const names = localTableNames(`bootstrap-${randomUUID()}-`);
    await Promise.all([ensureTables(client, names), ensureTables(client, names)]);
    const documents = toDocumentClient(client);
    const item = { pk: `PAYMENT#${randomUUID()}`, sk: 'PAYMENT' };
    await documents.send(new PutCommand({ TableName: names.payments, Item: item }));

    await ensureTables(client, names);
    for (const { name, definition } of localTables(names)) await expectBuiltFrom(name, definition);
    expect((await documents.send(new GetCommand({ TableName: names.payments, Key: item }))).Item).toEqual(item);
  });

  test('a table left from another definition is reported at start, not at the first query', async () => {
    const names = localTableNames(`drift-${randomUUID()}-`);
    await client.send(
      new CreateTableCommand({
        TableName: names.payments,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      }),
    );
    await expect(ensureTables(client, names)).rejects.toThrow(
      `Table ${names.payments} does not match its definition (its primary key differs)`,
    );
  });

  // On a DynamoDB Local of its own: an index added to a table of the shared one waited minutes behind the whole
  // run's data (DynamoDB Local builds it off the request path), not on this table's one payment.
  test('a payments table from before the byUser index gets it at start, its stored payments indexed (as AWS backfills an added index)', async () => {
    const own = await startDynamoDbLocal({ port: await freePort() });
    const client = localDynamoDbClient(own.endpoint);
    try {
      const names = localTableNames(`older-${randomUUID()}-`);
      const older = { ...PAYMENTS_TABLE, globalSecondaryIndexes: [BY_MONTH_SHARD_INDEX, LATE_ARRIVALS_INDEX] };
      await client.send(
        new CreateTableCommand({
          TableName: names.payments,
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: expectedKeys(older) as KeySchemaElement[],
          AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'].map((AttributeName) => ({
            AttributeName,
            AttributeType: 'S',
          })),
          GlobalSecondaryIndexes: older.globalSecondaryIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: expectedKeys(index) as KeySchemaElement[],
            Projection: { ProjectionType: INDEX_PROJECTION },
          })),
        }),
      );
      const userId = randomUUID();
      const payment = toPaymentItem(storedPayment({ userId, timestamp: '2026-10-05T09:30:00.000Z' }));
      await toDocumentClient(client).send(new PutCommand({ TableName: names.payments, Item: payment }));

      await ensureTables(client, names);
      await expectBuiltFrom(names.payments, PAYMENTS_TABLE, client);
      const history = await new DynamoDbReportRepository(toDocumentClient(client), names.payments).userHistory(
        userId,
        '2026-10',
        '2026-10',
      );
      expect(history.map(({ payments }) => payments.map((p) => p.id))).toEqual([[payment.id]]);
    } finally {
      client.destroy();
      await own.stop();
    }
  });

  test('a second instance on its port is refused with a clear message', async () => {
    const port = Number(new URL(process.env[ENV.dynamodbEndpoint]!).port);
    await expect(startDynamoDbLocal({ port })).rejects.toThrow(`port ${port} is already in use`);
  });
});

describe('DynamoDB Local started on its own', () => {
  test('keeps its data on disk across a restart, as `npm start` needs', async () => {
    const dataDir = scratchDir('payments-dynamodb-');
    const port = await freePort();
    const names = localTableNames('');
    const item = { pk: `PAYMENT#${randomUUID()}`, sk: 'PAYMENT', description: 'Netflix' };

    const first = await startDynamoDbLocal({ port, dataDir });
    const firstClient = localDynamoDbClient(first.endpoint);
    try {
      await ensureTables(firstClient, names);
      await toDocumentClient(firstClient).send(new PutCommand({ TableName: names.payments, Item: item }));
    } finally {
      firstClient.destroy();
      await first.stop();
    }
    expect(readdirSync(path.join(dataDir, 'dynamodb')).length).toBeGreaterThan(0);

    const restarted = await startDynamoDbLocal({ port, dataDir });
    const restartedClient = localDynamoDbClient(restarted.endpoint);
    try {
      await ensureTables(restartedClient, names);
      const read = await toDocumentClient(restartedClient).send(
        new GetCommand({ TableName: names.payments, Key: { pk: item.pk, sk: item.sk } }),
      );
      expect(read.Item).toEqual(item);
    } finally {
      restartedClient.destroy();
      await restarted.stop();
    }
  });

  test('without Java it says what to install', async () => {
    // In a process of its own: the PATH a spawn searches is the real one, not jest's copy of it.
    const script = `require('#local/dynamodb/dynamodb-local').startDynamoDbLocal({ port: ${await freePort()} }).then(
      (started) => started.stop(),
      (error) => { console.error(error.message); process.exitCode = 3; })`;
    const noJava = scratchDir('no-java-');
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [...TYPESCRIPT_LOADER, '-e', script],
        { cwd: REPOSITORY_ROOT, env: { ...process.env, PATH: noJava } },
        (error, _stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }),
      );
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      'DynamoDB Local needs a JDK 17+ (java, and javac for its launcher); install e.g. `apt-get install openjdk-17-jdk-headless`',
    );
  });
});
