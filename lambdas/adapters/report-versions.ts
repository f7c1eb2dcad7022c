import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { MonthlyReport } from '#domain/report';
import {
  REPORT_PART_BUDGET_BYTES,
  type ReportPart,
  ReportBeingRebuiltError,
  headFigures,
  splitReport,
} from '#domain/report-parts';
import { isNoChange, summaryChange } from '#domain/report-run';
import {
  reportPartKey,
  reportPartition,
  reportVersionPartKey,
  reportVersionsPrefix,
  runSummaryKey,
  userShard,
} from '#adapters/table-keys';
import { batchWriteAll } from '#adapters/batch-write';

/**
 * Writes a new version of a report so that readers see the old version or the new one whole,
 * whatever stops the writer between two requests (docs/decisions/0014-report-versions.md):
 * 1. parts 1.. under keys of the new version, which no reader follows yet;
 * 2. ONE conditional put of the head (part 0, at the key readers start from) naming the version,
 *    refused when a newer build is already visible; where the month already has a run summary and
 *    the report's figures change, the put and the summary's change are one transaction;
 * 3. the superseded version's parts, and any version a killed build left behind, deleted.
 */

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

// Reports written at once by one batch: each is a few requests, the batch's users are hundreds.
const REPORTS_AT_ONCE = 16;
// A head replaced by another build between our read of it and our transaction: tried again.
const FLIP_ATTEMPTS = 5;

/** A build's version: its build time first (so a later build sorts after), then a random tag (two builds in one millisecond differ). */
export const newReportVersion = (builtAt: string): string => `${builtAt}#${randomBytes(4).toString('hex')}`;

/** A version's items: the head (part 0) at the user's part-0 key, parts 1.. under the version's keys. */
export const toReportItems = (
  report: MonthlyReport,
  version = newReportVersion(report.builtAt),
  budgetBytes = REPORT_PART_BUDGET_BYTES,
): Item[] =>
  splitReport(report, budgetBytes).map((part) => ({
    ...(part.part === 0
      ? reportPartKey(report.userId, report.month, 0)
      : reportVersionPartKey(report.userId, report.month, version, part.part)),
    type: 'MonthlyReport',
    ...part,
    version,
  }));

/** The keys of the parts 1.. a head named: a version's, or those stored before versions. */
const partKeysOf = (head: ReportPart): Key[] =>
  Array.from({ length: Math.max(0, head.parts - 1) }, (_, index) =>
    head.version === undefined
      ? reportPartKey(head.userId, head.month, index + 1)
      : reportVersionPartKey(head.userId, head.month, head.version, index + 1),
  );

const keyOf = (item: Item): Key => ({ pk: item.pk as string, sk: item.sk as string });

// The head in place is older than ours: an older version, or a head stored before versions and built no later.
const OLDER_HEAD = '(#version < :version OR (attribute_not_exists(#version) AND #builtAt <= :builtAt))';
const NO_HEAD = 'attribute_not_exists(pk)';

type Flip = { visible: true; before?: ReportPart } | { visible: false };
type Transacted = 'flipped' | 'head-moved' | 'no-summary';

export class ReportVersionWriter {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly budgetBytes = REPORT_PART_BUDGET_BYTES,
  ) {}

  /**
   * Writes each report as a new version. `changedBy` (the run's execution) is stamped on a month's
   * summary when a report's figures change after the summary was written.
   */
  async putReports(reports: readonly MonthlyReport[], changedBy = 'unknown'): Promise<void> {
    const months = [...new Set(reports.map((report) => report.month))];
    const summarised = new Set<string>();
    for (const month of months) if (await this.hasSummary(month)) summarised.add(month);
    for (let start = 0; start < reports.length; start += REPORTS_AT_ONCE)
      await Promise.all(
        reports
          .slice(start, start + REPORTS_AT_ONCE)
          .map((report) => this.putReport(report, summarised.has(report.month), changedBy)),
      );
  }

  private async putReport(report: MonthlyReport, summarised: boolean, changedBy: string): Promise<void> {
    const version = newReportVersion(report.builtAt);
    const [head, ...parts] = toReportItems(report, version, this.budgetBytes) as [Item, ...Item[]];
    await this.batchWrite(parts.map((Item) => ({ PutRequest: { Item } })));
    const flip = await this.flip(head, summarised, changedBy);
    if (!flip.visible) {
      // A newer build is visible: ours was never read, and goes.
      await this.batchWrite(parts.map((item) => ({ DeleteRequest: { Key: keyOf(item) } })));
      return;
    }
    const superseded = flip.before ? partKeysOf(flip.before) : [];
    // A build killed before its head leaves parts no head names. It was a report of several parts,
    // and a month's payments only grow, so this build has several too: only these look for them.
    const abandoned = parts.length > 0 ? await this.otherVersions(report, version) : [];
    const stale = new Map([...superseded, ...abandoned].map((key) => [key.sk, key]));
    await this.batchWrite([...stale.values()].map((Key) => ({ DeleteRequest: { Key } })));
  }

  /** Makes the head visible, once; answers the head it replaced. */
  private async flip(head: Item, summarised: boolean, changedBy: string): Promise<Flip> {
    const figures = headFigures(head as unknown as ReportPart);
    for (let attempt = 0; attempt < FLIP_ATTEMPTS; attempt += 1) {
      try {
        const result = await this.documentClient.send(
          new PutCommand({
            TableName: this.tableName,
            Item: head,
            // With a summary, only a head with the same figures is replaced outright (a re-run, a
            // streak correction); otherwise the summary changes with it, below.
            ConditionExpression: summarised
              ? `${OLDER_HEAD} AND #payments = :payments AND #commitmentCount = :commitmentCount`
              : `${NO_HEAD} OR ${OLDER_HEAD}`,
            ExpressionAttributeNames: {
              '#version': 'version',
              '#builtAt': 'builtAt',
              ...(summarised ? { '#payments': 'payments', '#commitmentCount': 'commitmentCount' } : {}),
            },
            ExpressionAttributeValues: {
              ':version': head.version,
              ':builtAt': head.builtAt,
              ...(summarised ? { ':payments': figures.payments, ':commitmentCount': figures.commitments } : {}),
            },
            ReturnValues: 'ALL_OLD',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { visible: true, before: result.Attributes as ReportPart | undefined };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const before = error.Item ? (unmarshall(error.Item) as ReportPart) : undefined;
        if (!summarised || (before && !isOlder(before, head))) return { visible: false };
        const outcome = await this.flipWithSummary(head, before, changedBy);
        if (outcome === 'flipped') return { visible: true, before };
        if (outcome === 'no-summary') summarised = false;
      }
    }
    throw new ReportBeingRebuiltError(`The report of ${String(head.userId)} kept changing while being replaced`);
  }

  /** The head and its month summary's change in one transaction, on the head read a moment ago. */
  private async flipWithSummary(head: Item, before: ReportPart | undefined, changedBy: string): Promise<Transacted> {
    const change = summaryChange(before && headFigures(before), headFigures(head as unknown as ReportPart));
    // The transaction replaces exactly the head read a moment ago (or none, if there was none).
    const same: {
      ConditionExpression: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues?: Record<string, unknown>;
    } = !before
      ? { ConditionExpression: NO_HEAD }
      : before.version === undefined
        ? {
            ConditionExpression: 'attribute_not_exists(#version) AND #builtAt = :before',
            ExpressionAttributeNames: { '#version': 'version', '#builtAt': 'builtAt' },
            ExpressionAttributeValues: { ':before': before.builtAt },
          }
        : {
            ConditionExpression: '#version = :before',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':before': before.version },
          };
    try {
      await this.documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: head,
                ...same,
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: runSummaryKey(head.month as string),
                ConditionExpression: 'attribute_exists(pk)',
                UpdateExpression: isNoChange(change)
                  ? 'SET lastChangedBy = :by, lastChangedAt = :at'
                  : 'ADD #users :users, reported :users, payments :payments, commitments :commitments SET lastChangedBy = :by, lastChangedAt = :at',
                ...(isNoChange(change) ? {} : { ExpressionAttributeNames: { '#users': 'users' } }),
                ExpressionAttributeValues: {
                  ...(isNoChange(change)
                    ? {}
                    : { ':users': change.users, ':payments': change.payments, ':commitments': change.commitments }),
                  ':by': changedBy,
                  ':at': head.builtAt,
                },
              },
            },
          ],
        }),
      );
      return 'flipped';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [headReason, summaryReason] = error.CancellationReasons ?? [];
      if (headReason?.Code === 'ConditionalCheckFailed') return 'head-moved';
      if (summaryReason?.Code === 'ConditionalCheckFailed') return 'no-summary';
      throw error;
    }
  }

  private async hasSummary(month: string): Promise<boolean> {
    const result = await this.documentClient.send(
      new GetCommand({
        TableName: this.tableName,
        Key: runSummaryKey(month),
        ProjectionExpression: 'pk',
        ConsistentRead: true,
      }),
    );
    return result.Item !== undefined;
  }

  /** The keys of every version's parts of the user's report but `version`'s (keys only are kept; the read costs the parts' size). */
  private async otherVersions(report: MonthlyReport, version: string): Promise<Key[]> {
    const keys: Key[] = [];
    const pages = paginateQuery(
      { client: this.documentClient },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :versions)',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: {
          ':pk': reportPartition(report.month, userShard(report.userId)),
          ':versions': reportVersionsPrefix(report.userId),
        },
        ProjectionExpression: 'pk, sk, #version',
        ConsistentRead: true,
      },
    );
    for await (const page of pages)
      for (const item of page.Items ?? []) if (item.version !== version) keys.push(keyOf(item));
    return keys;
  }

  /** BatchWriteItem, 25 requests at a time; what DynamoDB leaves unprocessed is sent again with a bounded backoff. */
  batchWrite(all: readonly Record<string, unknown>[]): Promise<void> {
    return batchWriteAll(this.documentClient, this.tableName, all);
  }
}

/** The stored head was built before ours (a head stored before versions: by its build time). */
const isOlder = (stored: ReportPart, head: Item): boolean =>
  stored.version === undefined ? stored.builtAt <= (head.builtAt as string) : stored.version < (head.version as string);
