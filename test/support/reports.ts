import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MONTHLY_REPORT_WORKFLOW } from '#contract/workflows';
import type { PaymentRecord } from '#domain/payment-record';
import { type MonthlyReport, buildMonthlyReport } from '#domain/report';
import { DynamoDbPaymentRepository, toPaymentItem } from '#adapters/payment-repository';
import { userShard } from '#adapters/table-keys';
import { DynamoDbReportRepository } from '#adapters/report-repository';
import { REPORT_PART_BUDGET_BYTES } from '#domain/report-parts';
import type { LambdaHandler } from '#local/lambda/lambda-runtime';
import type { LocalWorkflow } from '#local/step-functions/workflow-runner';
import type { ExecutionRecord } from '#local/step-functions/execution-store';
import { testDocumentClient, testTableNames } from './dynamodb';
import { testWorkflow } from '#devtools/submissions';

import { storedPayment } from '#devtools/payment-records';

export { storedPayment };

/** A £35.00 payment of `userId` on the 1st of `month` at 08:00 UTC, received a minute later (on time, not late). */
export const paidOnTheFirst = (userId: string, month: string, description: string) =>
  storedPayment({
    userId,
    timestamp: `${month}-01T08:00:00.000Z`,
    localDate: `${month}-01`,
    description,
    amount: '35.00',
    amountMinor: 3500,
    receivedAt: `${month}-01T08:01:00.000Z`,
  });

export type ReportFunctionName =
  'StartReportRun' | 'RebuildLateReports' | 'BuildReports' | 'RecordFailedBatch' | 'FurnishShard' | 'WriteSummary';

/** A report run's execution with the child executions its Distributed Map started (one per shard). */
export interface ReportRunRecord extends ExecutionRecord {
  /** The ReportShards map run's child executions (one per shard). */
  children: ExecutionRecord[];
  /** The FurnishShards map run's child executions (one per shard's furnishing part; decision 0023). */
  furnishingChildren: ExecutionRecord[];
}

export interface ReportWorkflow {
  workflow: LocalWorkflow;
  run: (input: unknown) => Promise<ReportRunRecord>;
}

/** The monthly-report ASL run locally with the real handlers; retries do not wait; child executions collected. */
export const reportWorkflow = (
  wrap: Partial<Record<ReportFunctionName, (handler: LambdaHandler) => LambdaHandler>> = {},
): ReportWorkflow => {
  const children = new Map<string, ExecutionRecord[]>();
  const workflow = testWorkflow(MONTHLY_REPORT_WORKFLOW, wrap, {
    onExecutionEnded: (record) => {
      if (record.parentExecutionArn)
        children.set(record.parentExecutionArn, [...(children.get(record.parentExecutionArn) ?? []), record]);
    },
  });
  return {
    workflow,
    run: async (input) => {
      const record = await workflow.run(`report-${randomUUID()}`, input);
      const ended = children.get(record.executionArn) ?? [];
      const ofMap = (label: string) => ended.filter((child) => child.stateMachineArn.endsWith(`/${label}`));
      return { ...record, children: ofMap('ReportShard'), furnishingChildren: ofMap('FurnishShard') };
    },
  };
};

export const runReport = (workflow: ReportWorkflow, month: string): Promise<ReportRunRecord> => workflow.run({ month });

/** Every execution of a run: the parent first, then its children. */
export const allExecutions = (run: ReportRunRecord): ExecutionRecord[] => [
  run,
  ...run.children,
  ...run.furnishingChildren,
];

export const paymentsRepository = (): DynamoDbPaymentRepository =>
  new DynamoDbPaymentRepository(testDocumentClient(), testTableNames().payments);

export const reportsRepository = (): DynamoDbReportRepository =>
  new DynamoDbReportRepository(testDocumentClient(), testTableNames().payments);

export const storePayments = async (records: readonly PaymentRecord[]): Promise<void> => {
  const repository = paymentsRepository();
  await Promise.all(records.map((record) => repository.putIfAbsent(record)));
};

/** Many payments at once, 25 a request (a user with thousands of payments, whose report has several parts). */
export const storeManyPayments = async (records: readonly PaymentRecord[]): Promise<void> => {
  for (let start = 0; start < records.length; start += 25) {
    const items = records.slice(start, start + 25).map((payment) => ({ PutRequest: { Item: toPaymentItem(payment) } }));
    await testDocumentClient().send(new BatchWriteCommand({ RequestItems: { [testTableNames().payments]: items } }));
  }
};

/** `count` fresh user ids in one shard. */
export const usersInShard = (count: number, shard: number): string[] => {
  const users: string[] = [];
  while (users.length < count) {
    const user = randomUUID();
    if (userShard(user) === shard) users.push(user);
  }
  return users;
};

/** 2,500 payments in a month: more than one item holds, so the report is stored in parts. */
export const PAYMENTS_OF_SEVERAL_PARTS = 2_500;
/**
 * A tenth of the part budget and a tenth of those payments: as many parts, from a repository given that budget. For
 * the killed builds' tests, whose write boundaries do not depend on the budget (the budget itself is proven by the
 * tests that store thousands through the workflow's repository).
 */
export const SMALL_PART_BUDGET_BYTES = REPORT_PART_BUDGET_BYTES / 10;
export const PAYMENTS_OF_SEVERAL_SMALL_PARTS = PAYMENTS_OF_SEVERAL_PARTS / 10;

/** A report repository over `tableName` with SMALL_PART_BUDGET_BYTES, writing through `client` (a killed one, say). */
export const smallPartsRepository = (
  tableName: string,
  client: DynamoDBDocumentClient = testDocumentClient(),
): DynamoDbReportRepository => new DynamoDbReportRepository(client, tableName, SMALL_PART_BUDGET_BYTES);

/** The users' reports of `month` built again from what is stored: a new build time, the same figures. */
export const rebuiltReports = (userIds: readonly string[], month: string): Promise<MonthlyReport[]> => {
  const reports = reportsRepository();
  return Promise.all(
    userIds.map(async (userId) =>
      buildMonthlyReport(userId, month, await reports.userMonth(userId, month), undefined, new Date().toISOString()),
    ),
  );
};
export const severalPartsOfPayments = (
  userId: string,
  month: string,
  count: number = PAYMENTS_OF_SEVERAL_PARTS,
): PaymentRecord[] =>
  Array.from({ length: count }, (_, i) =>
    storedPayment({
      userId,
      // Days 1 to 20: none near enough the next due date (the 1st) to count for next month's cycle.
      timestamp: `${month}-${String(1 + (i % 20)).padStart(2, '0')}T08:00:00.000Z`,
      description: i % 2 ? 'Rent' : 'Gym',
      amount: '0.01',
      amountMinor: 1,
    }),
  );
