import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localTableNames } from '#contract/tables';
import { localDynamoDbClient, startDynamoDbLocal } from '#local/dynamodb/dynamodb-local';
import { ensureTables } from '#local/dynamodb/table-bootstrap';
import { freePort } from '#local/free-port';
import { descendants } from './processes';

/**
 * The DynamoDB Local a benchmark starts for itself (the report and furnishing benches): its tables, a client with
 * enough sockets for the batches in flight, batch writes for generating a month, and the Java process's CPU.
 */
const BATCH_SIZE = 25; // BatchWriteItem's limit
const BATCHES_IN_FLIGHT = 8;

/** The DynamoDB client settings a bench's processes use: enough sockets for the batches in flight. */
export const benchDynamoDbClient = (endpoint: string) =>
  localDynamoDbClient(endpoint, { requestHandler: { httpAgent: { maxSockets: 64 } } });

/** BatchWriteItem, 25 puts at a time, a few batches in flight; unprocessed items are sent again. */
export const batchWriter = (documentClient: DynamoDBDocumentClient, table: string) => {
  let pending: Record<string, unknown>[] = [];
  const inFlight = new Set<Promise<void>>();
  const send = async (items: Record<string, unknown>[]): Promise<void> => {
    let requests = items.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length > 0; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      const result = await documentClient.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  };
  const dispatch = async (items: Record<string, unknown>[]): Promise<void> => {
    const sending = send(items).finally(() => inFlight.delete(sending));
    inFlight.add(sending);
    if (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight);
  };
  return {
    add: async (items: Record<string, unknown>[]): Promise<void> => {
      pending.push(...items);
      while (pending.length >= BATCH_SIZE) await dispatch(pending.splice(0, BATCH_SIZE));
    },
    flush: async (): Promise<void> => {
      if (pending.length > 0) await dispatch(pending.splice(0));
      pending = [];
      await Promise.all(inFlight);
    },
  };
};

export type BatchWriter = ReturnType<typeof batchWriter>;

/**
 * DynamoDB Local in memory, like the tests: the figures are of the product, not of this shared machine's disk. With
 * a kept month (--keep-data, --reuse-data): on a scratch folder in /dev/shm.
 */
export const startBenchDynamoDb = async (tablePrefix: string, dataDir?: string) => {
  const dynamoDb = await startDynamoDbLocal({ port: await freePort(), ...(dataDir ? { dataDir } : {}) });
  const tables = localTableNames(tablePrefix);
  const client = benchDynamoDbClient(dynamoDb.endpoint);
  await ensureTables(client, tables);
  return { dynamoDb, tables, client, stop: async () => (client.destroy(), await dynamoDb.stop()) };
};

export type BenchDynamoDb = Awaited<ReturnType<typeof startBenchDynamoDb>>;

/** This process's DynamoDB Local (a Java child): its CPU time and peak RSS so far. */
export const javaProcess = () => descendants().find((entry) => /java/.test(entry.command));
