import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { BY_MONTH_SHARD_INDEX, type IndexDefinition, LATE_ARRIVALS_INDEX, MONTH_SHARDS } from '#contract/tables';
import type { MonthlyReport } from '#domain/report';
import { type ReportPart, joinReport, splitReport } from '#domain/report-parts';
import type { LateArrival, PageRequest, ReportRunStore, UserMonth } from '#domain/report-batch';
import type { RunSummary } from '#domain/report-run';
import { type PaymentRecord, REPORTABLE_FIELDS, type ReportablePayment } from '#domain/payment-record';
import { DynamoDbPaymentRepository } from '#adapters/payment-repository';
import { lazyPaymentsTableRepository } from '#adapters/payments-table';
import type { Observability } from '#adapters/workflow-handler';
import {
  lateArrivalMonth,
  lateArrivalsPartition,
  monthShardPartition,
  reportPartKey,
  reportPartition,
  runSummaryKey,
  userEnd,
  userPrefix,
  userShard,
} from '#adapters/table-keys';

// DynamoDB's 1 MB page limit comes long before this for a user's month.
const MONTH_PAGE_SIZE = 500;
// BatchWriteItem's limit.
const BATCH_WRITE_ITEMS = 25;

type Item = Record<string, unknown>;

const withoutKeys = <T>(item: Item): T => {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as T;
};

/** A user's report as its items (pattern 5): one in the usual case, more for a user with thousands of payments. */
export const toReportItems = (report: MonthlyReport): Item[] =>
  splitReport(report).map((part) => ({
    ...reportPartKey(report.userId, report.month, part.part),
    type: 'MonthlyReport',
    ...part,
  }));

/** Reports from items in sort-key order (each user's parts together). */
const reportsFromItems = (items: readonly Item[]): MonthlyReport[] => {
  const byUser = new Map<string, ReportPart[]>();
  for (const item of items) {
    const part = withoutKeys<ReportPart>(item);
    const parts = byUser.get(part.userId);
    if (parts) parts.push(part);
    else byUser.set(part.userId, [part]);
  }
  return [...byUser.values()].flatMap((parts) => joinReport(parts) ?? []);
};

// The shard walk's position: opaque to the state machine; the sort key the next page starts after.
// The late phase reads two partitions one after the other: its position also names which one.
interface LatePosition {
  partition: number;
  after: string | null;
}

const encodeLatePosition = (position: LatePosition | null): string | null =>
  position ? JSON.stringify(position) : null;
const decodeLatePosition = (after: string | null): LatePosition =>
  after ? (JSON.parse(after) as LatePosition) : { partition: 0, after: null };

/** The reads and writes of the monthly report run (access patterns 3, 4 and 5), and the reports' readers. */
export class DynamoDbReportRepository implements ReportRunStore {
  private readonly payments: DynamoDbPaymentRepository;

  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.payments = new DynamoDbPaymentRepository(documentClient, tableName);
  }

  /** Every page of a query, items in order. */
  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let start = input.ExclusiveStartKey;
    do {
      const page = await this.documentClient.send(
        new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /**
   * One page of a shard partition of an index: up to `pageItems` items after `after`, then the rest
   * of the last user's items, so the page holds whole users. `after` for the next page is past the
   * last user; null when the partition has nothing more.
   */
  private async wholeUsersPage(
    index: IndexDefinition,
    partition: string,
    after: string | null,
    pageItems: number,
    attributes?: readonly string[],
  ): Promise<{ items: Item[]; after: string | null }> {
    const indexName = index.indexName;
    const names = { '#pk': index.partitionKey.name, '#sk': index.sortKey!.name };
    // Only what a listing needs (the user boundary is in every item's userId); reads cost the same.
    const projectionNames: Record<string, string> = Object.fromEntries(
      (attributes ?? []).map((name) => [`#${name}`, name]),
    );
    const projection = attributes ? Object.keys(projectionNames).join(', ') : undefined;
    const first = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: after === null ? '#pk = :pk' : '#pk = :pk AND #sk > :after',
        ExpressionAttributeNames: { ...(after === null ? { '#pk': names['#pk'] } : names), ...projectionNames },
        ExpressionAttributeValues: { ':pk': partition, ...(after === null ? {} : { ':after': after }) },
        ...(projection ? { ProjectionExpression: projection } : {}),
        Limit: pageItems,
      }),
    );
    const items = first.Items ?? [];
    if (!first.LastEvaluatedKey || items.length === 0) return { items, after: null };
    const lastUser = items.at(-1)!.userId as string;
    // The last user may have more items than the page had room for: read them to the user's end.
    const rest = await this.queryAll({
      IndexName: indexName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :user)',
      ExpressionAttributeNames: { ...names, ...projectionNames },
      ExpressionAttributeValues: { ':pk': partition, ':user': userPrefix(lastUser) },
      ...(projection ? { ProjectionExpression: projection } : {}),
      ExclusiveStartKey: first.LastEvaluatedKey,
    });
    return { items: [...items, ...rest], after: userEnd(lastUser) };
  }

  private monthItems(
    request: PageRequest,
    attributes?: readonly string[],
  ): Promise<{ items: Item[]; after: string | null }> {
    return this.wholeUsersPage(
      BY_MONTH_SHARD_INDEX,
      monthShardPartition(request.month, request.shard),
      request.after,
      request.pageItems,
      attributes,
    );
  }

  /**
   * Pattern 4: a page of whole users of the month's shard, with their payments in time order. Only
   * the attributes a report needs are read: the same read units, half the bytes held per batch.
   */
  async monthPage(request: PageRequest): Promise<{ users: UserMonth[]; after: string | null }> {
    const { items, after } = await this.monthItems(request, REPORTABLE_FIELDS);
    const users: UserMonth[] = [];
    for (const item of items) {
      const payment = item as ReportablePayment;
      const last = users.at(-1);
      if (last?.userId === payment.userId) last.payments.push(payment);
      else users.push({ userId: payment.userId, payments: [payment] });
    }
    return { users, after };
  }

  async monthPageUsers(request: PageRequest): Promise<{ userIds: string[]; after: string | null }> {
    const { items, after } = await this.monthItems(request, ['userId']);
    return { userIds: [...new Set(items.map((item) => item.userId as string))], after };
  }

  async lateArrivalsPage(
    request: PageRequest & { receivedMonths: readonly string[] },
  ): Promise<{ arrivals: LateArrival[]; after: string | null }> {
    const position = decodeLatePosition(request.after);
    const receivedMonth = request.receivedMonths[position.partition];
    if (receivedMonth === undefined) return { arrivals: [], after: null };
    const { items, after } = await this.wholeUsersPage(
      LATE_ARRIVALS_INDEX,
      lateArrivalsPartition(receivedMonth, request.shard),
      position.after,
      request.pageItems,
      ['userId', 'gsi2sk'],
    );
    const next =
      after !== null
        ? { partition: position.partition, after }
        : position.partition + 1 < request.receivedMonths.length
          ? { partition: position.partition + 1, after: null }
          : null;
    return {
      // The month to rebuild from is in the index key: a late payment's local month, or a correction's first affected month.
      arrivals: items.flatMap((item) => {
        const month = lateArrivalMonth(item.gsi2sk as string);
        return month === undefined ? [] : [{ userId: item.userId as string, month }];
      }),
      after: encodeLatePosition(next),
    };
  }

  /** The reports of a range of a shard's users: one range query (with its pages). */
  async reportsInRange(
    month: string,
    shard: number,
    firstUserId: string,
    lastUserId: string,
  ): Promise<MonthlyReport[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
      ExpressionAttributeValues: {
        ':pk': reportPartition(month, shard),
        ':first': userPrefix(firstUserId),
        ':last': userEnd(lastUserId),
      },
      // The late phase may have rewritten these a moment ago: the streaks must build on its version.
      ConsistentRead: true,
    });
    return reportsFromItems(items);
  }

  /** Pattern 3, every page: a user's payments of a month in time order. */
  async userMonth(userId: string, month: string): Promise<PaymentRecord[]> {
    const payments: PaymentRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.payments.listMonth(userId, month, MONTH_PAGE_SIZE, cursor);
      payments.push(...page.payments);
      cursor = page.cursor;
    } while (cursor);
    return payments;
  }

  /** Pattern 5: a user's report for a month, all its parts in one query. */
  async getReport(userId: string, month: string): Promise<MonthlyReport | undefined> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :user)',
      ExpressionAttributeValues: { ':pk': reportPartition(month, userShard(userId)), ':user': userPrefix(userId) },
      ConsistentRead: true,
    });
    return reportsFromItems(items)[0];
  }

  /**
   * Pattern 5, for the export: every report of the month, shard by shard, about `pageSize` items at
   * a time. A user whose parts straddle two query pages is held back to the next page. A user whose
   * build failed has no report and is left out.
   */
  async *reportsOfMonth(month: string, pageSize: number): AsyncGenerator<MonthlyReport[]> {
    for (let shard = 0; shard < MONTH_SHARDS; shard += 1) {
      let start: Item | undefined;
      let heldBack: Item[] = [];
      do {
        const page = await this.documentClient.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': reportPartition(month, shard) },
            Limit: pageSize,
            ExclusiveStartKey: start,
          }),
        );
        const items = [...heldBack, ...(page.Items ?? [])];
        start = page.LastEvaluatedKey;
        const lastUser = start ? (items.at(-1)?.userId as string | undefined) : undefined;
        heldBack = lastUser === undefined ? [] : items.filter((item) => item.userId === lastUser);
        const ready = lastUser === undefined ? items : items.filter((item) => item.userId !== lastUser);
        if (ready.length > 0) yield reportsFromItems(ready);
      } while (start);
      if (heldBack.length > 0) yield reportsFromItems(heldBack);
    }
  }

  /**
   * Overwrites reports: a re-run writes the same figures again. A report of several parts has its
   * later parts written before part 0, which readers start from, so a reader never takes a new
   * header with old parts for a whole report.
   */
  async putReports(reports: readonly MonthlyReport[]): Promise<void> {
    const items = reports.flatMap(toReportItems);
    const laterParts = items.filter((item) => (item.part as number) > 0);
    await this.batchPut(laterParts);
    await this.batchPut(items.filter((item) => item.part === 0));
  }

  /** BatchWriteItem, 25 puts at a time; what DynamoDB leaves unprocessed is sent again with backoff. */
  private async batchPut(items: readonly Item[]): Promise<void> {
    for (let start = 0; start < items.length; start += BATCH_WRITE_ITEMS) {
      let requests = items.slice(start, start + BATCH_WRITE_ITEMS).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        const result = await this.documentClient.send(
          new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }),
        );
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  async getSummary(month: string): Promise<RunSummary | undefined> {
    const result = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: runSummaryKey(month), ConsistentRead: true }),
    );
    return result.Item ? withoutKeys<RunSummary>(result.Item) : undefined;
  }

  /** The latest run's summary replaces an earlier run's. */
  async putSummary(summary: RunSummary): Promise<void> {
    await this.documentClient.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...runSummaryKey(summary.month), type: 'ReportRunSummary', ...summary },
      }),
    );
  }
}

/** A handler's DynamoDbReportRepository, built on its first invocation. */
export const lazyReportRepository = (observability: Observability): (() => DynamoDbReportRepository) =>
  lazyPaymentsTableRepository(
    observability,
    (documentClient, tableName) => new DynamoDbReportRepository(documentClient, tableName),
  );
