import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import {
  BY_MONTH_SHARD_INDEX,
  BY_USER_INDEX,
  type IndexDefinition,
  LATE_ARRIVALS_INDEX,
  MONTH_SHARDS,
} from '#contract/tables';
import type { MonthlyReport, PaymentsOfMonth } from '#domain/report';
import { byLocalMonth, utcBoundsOfLocalMonths } from '#domain/user-history';
import { REPORT_PART_BUDGET_BYTES, type ReportPart, ReportBeingRebuiltError, joinReport } from '#domain/report-parts';
import type { LateArrival, PageRequest, ReportRunStore, UserMonth } from '#domain/report-batch';
import type { RunSummary } from '#domain/report-run';
import { type PaymentRecord, REPORTABLE_FIELDS, type ReportablePayment } from '#domain/payment-record';
import { DynamoDbPaymentRepository } from '#adapters/payment-repository';
import { lazyPaymentsTableRepository } from '#adapters/payments-table';
import { DynamoDbCorrectionRepository } from '#adapters/correction-repository';
import { DynamoDbDisputeRepository } from '#adapters/dispute-repository';
import type { Dispute } from '#domain/dispute';
import type { CommitmentCorrection } from '#domain/commitment-correction';
import type { ConsentChange } from '#domain/commitment-consent';
import { DynamoDbConsentRepository } from '#adapters/consent-repository';
import type { KindChoice } from '#domain/commitment-kind';
import { DynamoDbKindRepository } from '#adapters/kind-repository';
import type { Observability } from '#adapters/workflow-handler';
import { ReportVersionWriter } from '#adapters/report-versions';
import {
  lateArrivalMonth,
  lateArrivalsPartition,
  monthShardPartition,
  reportPartition,
  runSummaryKey,
  userEnd,
  userPrefix,
  userShard,
} from '#adapters/table-keys';

// DynamoDB's 1 MB page limit comes long before this for a user's month.
const MONTH_PAGE_SIZE = 500;
// A head whose parts a newer build removed during the read: read again (each time, the head read is newer).
const REPORT_READS = 3;

type Item = Record<string, unknown>;

const withoutKeys = <T>(item: Item): T => {
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as T;
};

export { toReportItems } from '#adapters/report-versions';

/** Each user's stored items (head, parts of any version) in sort-key order. */
const itemsByUser = (items: readonly Item[]): Map<string, ReportPart[]> => {
  const byUser = new Map<string, ReportPart[]>();
  for (const item of items) {
    const part = withoutKeys<ReportPart>(item);
    const parts = byUser.get(part.userId);
    if (parts) parts.push(part);
    else byUser.set(part.userId, [part]);
  }
  return byUser;
};

/** A per-user log read for some users: one range query per shard among them, keeping only the users asked for. */
const byShardOf = async <Entry>(
  userIds: readonly string[],
  inRange: (shard: number, firstUserId: string, lastUserId: string) => Promise<Map<string, Entry[]>>,
): Promise<Map<string, Entry[]>> => {
  const wanted = new Set(userIds);
  const byUser = new Map<string, Entry[]>();
  const byShard = new Map<number, string[]>();
  for (const userId of [...wanted].sort())
    byShard.set(userShard(userId), [...(byShard.get(userShard(userId)) ?? []), userId]);
  for (const [shard, users] of byShard) {
    const found = await inRange(shard, users[0]!, users.at(-1)!);
    for (const [userId, entries] of found) if (wanted.has(userId)) byUser.set(userId, entries);
  }
  return byUser;
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
  private readonly writer: ReportVersionWriter;
  private readonly corrections: DynamoDbCorrectionRepository;
  private readonly disputeStore: DynamoDbDisputeRepository;
  private readonly consent: DynamoDbConsentRepository;
  private readonly kinds: DynamoDbKindRepository;

  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    partBudgetBytes = REPORT_PART_BUDGET_BYTES,
  ) {
    this.payments = new DynamoDbPaymentRepository(documentClient, tableName);
    this.writer = new ReportVersionWriter(documentClient, tableName, partBudgetBytes);
    this.corrections = new DynamoDbCorrectionRepository(documentClient, tableName);
    this.disputeStore = new DynamoDbDisputeRepository(documentClient, tableName);
    this.consent = new DynamoDbConsentRepository(documentClient, tableName);
    this.kinds = new DynamoDbKindRepository(documentClient, tableName);
  }

  /** The users' disputes: one range query per shard among them, as their corrections are. */
  disputes(userIds: readonly string[]): Promise<Map<string, Dispute[]>> {
    return byShardOf(userIds, (shard, first, last) => this.disputeStore.inRange(shard, first, last));
  }

  /**
   * Pattern 6 for a batch: the users' commitment corrections, one range query per shard among them
   * (a batch's users share one), keeping only the users asked for.
   */
  commitmentCorrections(userIds: readonly string[]): Promise<Map<string, CommitmentCorrection[]>> {
    return byShardOf(userIds, (shard, first, last) => this.corrections.inRange(shard, first, last));
  }

  /** Pattern 7 for a batch: the users' consent changes, one range query per shard among them. */
  commitmentConsent(userIds: readonly string[]): Promise<Map<string, ConsentChange[]>> {
    return byShardOf(userIds, (shard, first, last) => this.consent.inRange(shard, first, last));
  }

  /** The users' kind choices (decision 0024), one range query per shard among them, as their consent. */
  commitmentKinds(userIds: readonly string[]): Promise<Map<string, KindChoice[]>> {
    return byShardOf(userIds, (shard, first, last) => this.kinds.inRange(shard, first, last));
  }

  /**
   * Reports from items read in sort-key order. A user whose head's parts were not all there (a
   * newer build replaced it during the read) is read again on its own, consistently.
   */
  private async reportsFromItems(month: string, items: readonly Item[]): Promise<MonthlyReport[]> {
    const reports: MonthlyReport[] = [];
    for (const [userId, parts] of itemsByUser(items)) {
      let report: MonthlyReport | undefined;
      try {
        report = joinReport(parts);
      } catch (error) {
        if (!(error instanceof ReportBeingRebuiltError)) throw error;
        report = await this.getReport(userId, month);
      }
      if (report) reports.push(report);
    }
    return reports;
  }

  /** Every page of a query, items in order. */
  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    const pages = paginateQuery({ client: this.documentClient }, { ...input, TableName: this.tableName });
    for await (const page of pages) items.push(...(page.Items ?? []));
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
    return this.reportsFromItems(month, items);
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

  /**
   * A user's payments of the local months `firstMonth`..`lastMonth`, by month in time order: one query
   * on `byUser` (every page) over the UTC range that holds them, only the attributes a report needs.
   */
  async userHistory(userId: string, firstMonth: string, lastMonth: string): Promise<PaymentsOfMonth[]> {
    const { from, to } = utcBoundsOfLocalMonths(firstMonth, lastMonth);
    const projection = Object.fromEntries(REPORTABLE_FIELDS.map((name) => [`#${name}`, name]));
    const items = await this.queryAll({
      IndexName: BY_USER_INDEX.indexName,
      KeyConditionExpression: '#user = :user AND #at BETWEEN :from AND :to',
      ExpressionAttributeNames: {
        ...projection,
        '#user': BY_USER_INDEX.partitionKey.name,
        '#at': BY_USER_INDEX.sortKey!.name,
      },
      ExpressionAttributeValues: { ':user': userId, ':from': from, ':to': to },
      ProjectionExpression: Object.keys(projection).join(', '),
    });
    return byLocalMonth(items as ReportablePayment[], firstMonth, lastMonth);
  }

  /**
   * Pattern 5: a user's report for a month, its head and parts in one query. The head comes first
   * and its version's parts were written before it; they go only after a newer head replaced it,
   * so a read that misses one was overtaken by a newer build: the next read finds that one whole.
   */
  async getReport(userId: string, month: string): Promise<MonthlyReport | undefined> {
    for (let read = 1; ; read += 1) {
      const items = await this.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :user)',
        ExpressionAttributeValues: { ':pk': reportPartition(month, userShard(userId)), ':user': userPrefix(userId) },
        ConsistentRead: true,
      });
      try {
        return joinReport(items.map((item) => withoutKeys<ReportPart>(item)));
      } catch (error) {
        if (!(error instanceof ReportBeingRebuiltError) || read >= REPORT_READS) throw error;
      }
    }
  }

  /**
   * Pattern 5, for the export: every report of the month, shard by shard, about `pageSize` items at
   * a time. A user whose items straddle two query pages is held back to the next page. A user whose
   * build failed, or whose only items are parts no head names (a build killed before its head), has
   * no report and is left out; parts of versions other than the head's are skipped.
   */
  async *reportsOfMonth(month: string, pageSize: number): AsyncGenerator<MonthlyReport[]> {
    for (let shard = 0; shard < MONTH_SHARDS; shard += 1) yield* this.reportsOfShard(month, shard, pageSize);
  }

  /** Pattern 5 for one shard of the month (the furnishing step's part): its reports, a page at a time. */
  async *reportsOfShard(month: string, shard: number, pageSize: number): AsyncGenerator<MonthlyReport[]> {
    let heldBack: Item[] = [];
    const pages = paginateQuery(
      { client: this.documentClient, pageSize },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': reportPartition(month, shard) },
      },
    );
    for await (const page of pages) {
      const items = [...heldBack, ...(page.Items ?? [])];
      const lastUser = page.LastEvaluatedKey ? (items.at(-1)?.userId as string | undefined) : undefined;
      heldBack = lastUser === undefined ? [] : items.filter((item) => item.userId === lastUser);
      const ready = lastUser === undefined ? items : items.filter((item) => item.userId !== lastUser);
      if (ready.length > 0) yield await this.reportsFromItems(month, ready);
    }
    if (heldBack.length > 0) yield await this.reportsFromItems(month, heldBack);
  }

  /**
   * Each report as a new version, made visible whole by one write of its head
   * (ReportVersionWriter); `changedBy` is stamped on a month summary the reports change.
   */
  putReports(reports: readonly MonthlyReport[], changedBy?: string): Promise<void> {
    return this.writer.putReports(reports, changedBy);
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
