import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { toDocumentClient } from '#adapters/dynamodb-client';
import { DynamoDbPaymentRepository, toPaymentItem } from '#adapters/payment-repository';
import type { PaymentRecord } from '#domain/payment-record';
import type { MonthlyReport } from '#domain/report';
import { toReportItems } from '#adapters/report-repository';
import { localDynamoDbClient } from '#local/dynamodb/dynamodb-local';
import { storedPayment } from '#devtools/payment-records';
import { type LatencySummary, summariseLatencies } from './stats';
import { generateUser, seededRandom } from './month-generator';

const NO_ITEM = 'attribute_not_exists(pk)';

/**
 * DynamoDB Local's own write rate on this machine, the ceiling of any submission path (a payment) or report run (a
 * report head): closed-loop workers each writing a fresh item as fast as it is acknowledged. Run as its own process
 * (`tsx bench/dynamodb-ceiling.ts <plan.json>`), like the HTTP load, and prints one JSON line.
 */
export type CeilingWrite = 'conditional-put' | 'store-payment' | 'report-head';

export interface CeilingPlan {
  endpoint: string;
  table: string;
  write: CeilingWrite;
  concurrency: number;
  durationSeconds: number;
}

export interface CeilingResult {
  write: CeilingWrite;
  concurrency: number;
  writes: number;
  perSecond: number;
  latencyMs: LatencySummary;
  failures: number;
  /** CPU seconds of the writing process (the SDK's side of every write). */
  writerCpuSeconds: number;
}

/**
 * A timestamp in the month it is received in, a minute ago (the 1st's first minute: the month's
 * start): an on-time payment, with no `lateArrivals` index entry. A payment of an earlier month
 * is a late arrival and writes that sparse index too (one write unit more).
 */
export const onTimeTimestamp = (now = new Date()): string => {
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return new Date(Math.max(monthStart, now.getTime() - 60_000)).toISOString();
};

// A payment as the submission path stores it, for a fresh user and id, received now for this month.
const freshRecord = (): PaymentRecord => storedPayment({ userId: randomUUID(), timestamp: onTimeTimestamp() });

// A generated customer's 24-month report (four commitments, about 5 KB: the report bench's month), for fresh users.
const reportOfGeneratedUser = (): MonthlyReport => {
  const random = seededRandom(1);
  for (;;) {
    const { previousReport } = generateUser(random, '2026-10');
    if (previousReport) return previousReport;
  }
};

type Write = (documentClient: DynamoDBDocumentClient, table: string) => () => Promise<unknown>;

const WRITES: Record<CeilingWrite, Write> = {
  // The payment item alone (with its byMonthShard index entry): the one write the path cannot do without.
  'conditional-put': (documentClient, table) => () =>
    documentClient.send(
      new PutCommand({ TableName: table, Item: toPaymentItem(freshRecord()), ConditionExpression: NO_ITEM }),
    ),
  // What StorePayment really sends (the repository's putIfAbsent): the same put, asking for the old item on a refusal.
  'store-payment': (documentClient, table) => {
    const repository = new DynamoDbPaymentRepository(documentClient, table);
    return () => repository.putIfAbsent(freshRecord());
  },
  // The least a report run writes per customer: one conditional put of a report's head (BuildReports also reads).
  'report-head': (documentClient, table) => {
    const report = reportOfGeneratedUser();
    return () =>
      documentClient.send(
        new PutCommand({
          TableName: table,
          Item: toReportItems({ ...report, userId: randomUUID() })[0],
          ConditionExpression: NO_ITEM,
        }),
      );
  },
};

export const measureCeiling = async (plan: CeilingPlan): Promise<CeilingResult> => {
  // As many sockets as workers: the SDK's default pool (50) would queue the workers above it.
  const documentClient = toDocumentClient(
    localDynamoDbClient(plan.endpoint, { requestHandler: { httpAgent: { maxSockets: plan.concurrency } } }),
  );
  const write = WRITES[plan.write](documentClient, plan.table);
  const latencies: number[] = [];
  let failures = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + plan.durationSeconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      try {
        await write();
        latencies.push(performance.now() - sent);
      } catch {
        failures += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  const elapsedSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  documentClient.destroy();
  return {
    write: plan.write,
    concurrency: plan.concurrency,
    writes: latencies.length,
    perSecond: latencies.length / elapsedSeconds,
    latencyMs: summariseLatencies(latencies),
    failures,
    writerCpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
};

if (require.main === module) {
  const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as CeilingPlan;
  measureCeiling(plan).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
