import { type IncomingMessage, type Server, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Which capacity each request of the submission path consumes, asked of DynamoDB Local itself:
 * a recording proxy in front of it adds `ReturnConsumedCapacity: INDEXES` to every request that
 * takes it and adds up what the answers report, by operation and table. The handlers run
 * unchanged: they only see another endpoint (DynamoDB Local does not check signatures, so the
 * rewritten body is accepted).
 */
const TARGET_PREFIX = 'DynamoDB_20120810.';
const REPORTS_CAPACITY = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'GetItem',
  'Query',
  'TransactWriteItems',
  'TransactGetItems',
  'BatchWriteItem',
]);

interface ConsumedCapacity {
  TableName?: string;
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/** Units by `Operation table` (the table's own) and `Operation table/index` (each index's). */
export type CapacityLedger = Map<string, { requests: number; units: number }>;

const book = (ledger: CapacityLedger, key: string, units: number, requests: number): void => {
  const entry = ledger.get(key) ?? { requests: 0, units: 0 };
  ledger.set(key, { requests: entry.requests + requests, units: entry.units + units });
};

/** Adds one answer's ConsumedCapacity (one entry, or one per table for transactions) to the ledger. */
export const recordCapacity = (
  ledger: CapacityLedger,
  operation: string,
  consumed: ConsumedCapacity | ConsumedCapacity[] | undefined,
): void => {
  for (const entry of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
    const table = entry.TableName ?? '?';
    const indexes = Object.entries(entry.GlobalSecondaryIndexes ?? {});
    const indexUnits = indexes.reduce((sum, [, index]) => sum + (index.CapacityUnits ?? 0), 0);
    book(ledger, `${operation} ${table}`, entry.Table?.CapacityUnits ?? (entry.CapacityUnits ?? 0) - indexUnits, 1);
    for (const [name, index] of indexes) book(ledger, `${operation} ${table}/${name}`, index.CapacityUnits ?? 0, 0);
  }
};

const readAll = async (stream: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

export interface CapacityProxy {
  endpoint: string;
  ledger: CapacityLedger;
  close(): Promise<void>;
}

export const startCapacityProxy = async (dynamoDbEndpoint: string): Promise<CapacityProxy> => {
  const upstream = new URL(dynamoDbEndpoint);
  const ledger: CapacityLedger = new Map();
  const server: Server = createServer((request, response) => {
    void (async () => {
      const operation = String(request.headers['x-amz-target'] ?? '').replace(TARGET_PREFIX, '');
      let body = await readAll(request);
      if (REPORTS_CAPACITY.has(operation)) {
        body = Buffer.from(JSON.stringify({ ...JSON.parse(body.toString('utf8')), ReturnConsumedCapacity: 'INDEXES' }));
      }
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, 'content-length': String(body.length) },
        },
        (answer) => {
          void readAll(answer).then((answerBody) => {
            if (REPORTS_CAPACITY.has(operation)) {
              const parsed = JSON.parse(answerBody.toString('utf8') || '{}') as {
                ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[];
                CancellationReasons?: unknown;
              };
              recordCapacity(ledger, operation, parsed.ConsumedCapacity);
            }
            response.writeHead(answer.statusCode ?? 500, answer.headers);
            response.end(answerBody);
          });
        },
      );
      forwarded.on('error', (error) => {
        response.writeHead(502);
        response.end(error.message);
      });
      forwarded.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ledger,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
