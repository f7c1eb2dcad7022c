import { MONTH_INDEX_SHARDS } from '#contract/tables';
import { shardOf } from '#domain/month';

/**
 * The keys of every item kind in the payments table (docs/data-model.md), in one place: the
 * submission path writes them and the report run reads them.
 */

/** A payment item: access patterns 1 and 2. */
export const paymentKey = (id: string): { pk: string; sk: string } => ({ pk: `PAYMENT#${id}`, sk: 'PAYMENT' });

/** `byUserMonth` index partition: a user's payments in a month, in time order (pattern 3). */
export const userMonthKey = (userId: string, month: string): string => `USER#${userId}#MONTH#${month}`;

/** Partition of one month-index shard: `MONTH#2026-10#SHARD#07` (pattern 4). */
export const monthShardPartition = (month: string, shard: number): string =>
  `MONTH#${month}#SHARD#${String(shard).padStart(2, '0')}`;

/** A month-index item: "this user has payments in this month", in the user's shard. */
export const monthIndexKey = (month: string, userId: string): { pk: string; sk: string } => ({
  pk: monthShardPartition(month, shardOf(userId, MONTH_INDEX_SHARDS)),
  sk: `USER#${userId}`,
});

/** A user's report for a month (pattern 5). */
export const reportKey = (userId: string, month: string): { pk: string; sk: string } => ({
  pk: `USER#${userId}`,
  sk: `REPORT#${month}`,
});

/** The summary of a month's report run (pattern 5). */
export const runSummaryKey = (month: string): { pk: string; sk: string } => ({ pk: `REPORTRUN#${month}`, sk: 'SUMMARY' });
