import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { MonthlyReport } from '#domain/report';
import type { RunSummary } from '#domain/report-run';
import type { PaymentRecord } from '#domain/payment-record';
import { MONTH_INDEX_SHARDS } from '#contract/tables';
import { DynamoDbPaymentRepository } from '#adapters/payment-repository';
import { lazyPaymentsTableRepository } from '#adapters/payments-table';
import type { Observability } from '#adapters/workflow-handler';
import { monthShardPartition, reportKey, runSummaryKey } from '#adapters/table-keys';

// DynamoDB's 1 MB page limit comes long before this for a user's month.
const MONTH_PAGE_SIZE = 500;

/** A page of users from one month-index shard; `cursor` is absent on the last page. */
export interface UserPage {
  userIds: string[];
  cursor?: string;
}

// Opaque to callers: the query's LastEvaluatedKey, base64url JSON. Only our own items are in it.
const encodeCursor = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

const decodeCursor = (cursor: string | undefined): Record<string, unknown> | undefined =>
  cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>) : undefined;

const withoutKeys = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as T;
};

/** A user's report as its item (pattern 5): the one shape BuildReport writes. */
export const toReportItem = (report: MonthlyReport): Record<string, unknown> => ({
  ...reportKey(report.userId, report.month),
  type: 'MonthlyReport',
  ...report,
});

/** The reads and writes of the monthly report run (access patterns 3, 4 and 5). */
export class DynamoDbReportRepository {
  private readonly payments: DynamoDbPaymentRepository;

  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.payments = new DynamoDbPaymentRepository(documentClient, tableName);
  }

  /** Pattern 4: one page of the users with payments in `month` whose ids fall in `shard`. */
  async listMonthUsers(month: string, shard: number, pageSize: number, cursor?: string): Promise<UserPage> {
    const page = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': monthShardPartition(month, shard) },
        ProjectionExpression: 'userId',
        Limit: pageSize,
        ExclusiveStartKey: decodeCursor(cursor),
      }),
    );
    return { userIds: (page.Items ?? []).map((item) => item.userId as string), cursor: encodeCursor(page.LastEvaluatedKey) };
  }

  /** Pattern 3, every page: a user has a few payments a month. */
  async paymentsOfMonth(userId: string, month: string): Promise<PaymentRecord[]> {
    const payments: PaymentRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.payments.listMonth(userId, month, MONTH_PAGE_SIZE, cursor);
      payments.push(...page.payments);
      cursor = page.cursor;
    } while (cursor);
    return payments;
  }

  /** Pattern 5: a user's report for a month. */
  async getReport(userId: string, month: string): Promise<MonthlyReport | undefined> {
    const result = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: reportKey(userId, month) }));
    return result.Item ? withoutKeys<MonthlyReport>(result.Item) : undefined;
  }

  /**
   * Patterns 4 and 5, for the export: every report of the month, one page of users at a time (shard
   * by shard, in index order), each page's reports read in parallel. A user the index lists without
   * a report (their build failed) is left out. Only one page is in memory at a time.
   */
  async *reportsOfMonth(month: string, pageSize: number): AsyncGenerator<MonthlyReport[]> {
    for (let shard = 0; shard < MONTH_INDEX_SHARDS; shard += 1) {
      let cursor: string | undefined;
      do {
        const page = await this.listMonthUsers(month, shard, pageSize, cursor);
        const reports = await Promise.all(page.userIds.map((userId) => this.getReport(userId, month)));
        yield reports.filter((report): report is MonthlyReport => report !== undefined);
        cursor = page.cursor;
      } while (cursor);
    }
  }

  /** Overwrites the user's report for the month: a re-run writes the same content again. */
  async putReport(report: MonthlyReport): Promise<void> {
    await this.documentClient.send(new PutCommand({ TableName: this.tableName, Item: toReportItem(report) }));
  }

  async getSummary(month: string): Promise<RunSummary | undefined> {
    const result = await this.documentClient.send(new GetCommand({ TableName: this.tableName, Key: runSummaryKey(month), ConsistentRead: true }));
    return result.Item ? withoutKeys<RunSummary>(result.Item) : undefined;
  }

  /** The latest run's summary replaces an earlier run's. */
  async putSummary(summary: RunSummary): Promise<void> {
    await this.documentClient.send(
      new PutCommand({ TableName: this.tableName, Item: { ...runSummaryKey(summary.month), type: 'ReportRunSummary', ...summary } }),
    );
  }
}

/** A handler's DynamoDbReportRepository, built on its first invocation. */
export const lazyReportRepository = (observability: Observability): (() => DynamoDbReportRepository) =>
  lazyPaymentsTableRepository(observability, (documentClient, tableName) => new DynamoDbReportRepository(documentClient, tableName));
