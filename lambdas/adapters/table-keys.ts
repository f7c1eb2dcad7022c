import { MONTH_SHARDS, PAYMENTS_KEY_PREFIXES } from '#contract/tables';
import { shardOf } from '#domain/month';

/**
 * The keys of every item kind in the payments table (docs/data-model.md), in one place: the
 * submission path writes them and the report run reads them.
 */

const twoDigits = (shard: number): string => String(shard).padStart(2, '0');

/** The month shard of a user: the same for all their months, their payments and their reports. */
export const userShard = (userId: string): number => shardOf(userId, MONTH_SHARDS);

/** A payment item: access patterns 1 and 2. */
export const paymentKey = (id: string): { pk: string; sk: string } => ({
  pk: `${PAYMENTS_KEY_PREFIXES.payment}${id}`,
  sk: 'PAYMENT',
});

/** `byMonthShard` partition: one shard of a month's payments, `MONTH#2026-10#SHARD#07` (pattern 4). */
export const monthShardPartition = (month: string, shard: number): string => `MONTH#${month}#SHARD#${twoDigits(shard)}`;

/**
 * What every sort key of one user starts with, in the shard partitions of payments, late arrivals
 * and reports: `begins_with` on it is one user's part of a shard (pattern 3), and the user ids of a
 * page bound a `BETWEEN` that reads whole users.
 */
export const userPrefix = (userId: string): string => `USER#${userId}#`;

/** After every sort key of the user: `BETWEEN userPrefix(first) AND userEnd(last)` covers whole users. */
export const userEnd = (userId: string): string => `${userPrefix(userId)}\uffff`;

/** `byMonthShard` sort key: grouped by user, then time order, the id breaking ties. */
export const monthShardSortKey = (userId: string, timestamp: string, id: string): string =>
  `${userPrefix(userId)}${timestamp}#${id}`;

/** `lateArrivals` partition: payments received in `receivedMonth` for an earlier month. */
export const lateArrivalsPartition = (receivedMonth: string, shard: number): string =>
  `LATE#${receivedMonth}#SHARD#${twoDigits(shard)}`;

/** `lateArrivals` sort key: grouped by user, then by the payment's own month (earliest first). */
export const lateArrivalSortKey = (userId: string, month: string, id: string): string =>
  `${userPrefix(userId)}MONTH#${month}#${id}`;

/** The partition of one shard of a month's reports: the export reads a month shard by shard. */
export const reportPartition = (month: string, shard: number): string =>
  `${PAYMENTS_KEY_PREFIXES.report}${month}#SHARD#${twoDigits(shard)}`;

const partNumber = (part: number): string => `PART#${String(part).padStart(4, '0')}`;

/**
 * One item of a user's report for a month (pattern 5), as stored before versions: part 0 is the
 * report's head (it names the visible version); parts 1.. of reports stored before versions.
 * `begins_with(sk, userPrefix)` reads the head and every part in one query, the head first.
 */
export const reportPartKey = (userId: string, month: string, part: number): { pk: string; sk: string } => ({
  pk: reportPartition(month, userShard(userId)),
  sk: `${userPrefix(userId)}${partNumber(part)}`,
});

/** What the sort keys of every version's parts 1.. of a user's report start with (after the head's). */
export const reportVersionsPrefix = (userId: string): string => `${userPrefix(userId)}V#`;

/** Part 1.. of one version of a user's report: no reader uses it until the head names its version. */
export const reportVersionPartKey = (
  userId: string,
  month: string,
  version: string,
  part: number,
): { pk: string; sk: string } => ({
  pk: reportPartition(month, userShard(userId)),
  sk: `${reportVersionsPrefix(userId)}${version}#${partNumber(part)}`,
});

/** The summary of a month's report run (pattern 5). */
export const runSummaryKey = (month: string): { pk: string; sk: string } => ({
  pk: `${PAYMENTS_KEY_PREFIXES.runSummary}${month}`,
  sk: 'SUMMARY',
});

/** The lock that keeps a month's report runs one at a time (beside its summary, in the run's partition). */
export const runLockKey = (month: string): { pk: string; sk: string } => ({
  pk: `${PAYMENTS_KEY_PREFIXES.runSummary}${month}`,
  sk: 'LOCK',
});

/**
 * A customer's commitment corrections (pattern 6): in their shard's partition, by user then time, so
 * one user's are one `begins_with` query and a report batch reads its users' with one range query.
 */
export const correctionPartition = (shard: number): string =>
  `${PAYMENTS_KEY_PREFIXES.corrections}SHARD#${twoDigits(shard)}`;

export const correctionKey = (userId: string, at: string, id: string): { pk: string; sk: string } => ({
  pk: correctionPartition(userShard(userId)),
  sk: `${userPrefix(userId)}${at}#${id}`,
});

/** `lateArrivals` sort key of a correction: its user's months from `month` on are rebuilt, as after a late payment. */
export const correctionRebuildSortKey = (userId: string, month: string, id: string): string =>
  `${userPrefix(userId)}MONTH#${month}#CORRECTION#${id}`;

const LATE_SORT_KEY_MONTH = /#MONTH#([0-9]{4}-[0-9]{2})#/;

/** The month a `lateArrivals` entry (a late payment or a correction) asks to rebuild from. */
export const lateArrivalMonth = (gsi2sk: string): string | undefined => LATE_SORT_KEY_MONTH.exec(gsi2sk)?.[1];

/** A dispute's partition (decisions/0018): its filing, then at most one resolution, each one put, never updated. */
export const disputeKey = (disputeId: string, step: 'FILED' | 'RESOLVED'): { pk: string; sk: string } => ({
  pk: `${PAYMENTS_KEY_PREFIXES.disputes}${disputeId}`,
  sk: step,
});

/**
 * An open dispute's marker (decisions/0018, pattern 7): one partition, sorted by filing time, so operations' open list
 * is one paginated Query, oldest first. Put with the filing, deleted with the resolution (each one transaction).
 */
export const openDisputeMarkerKey = (filedAt: string, disputeId: string): { pk: string; sk: string } => ({
  pk: PAYMENTS_KEY_PREFIXES.openDisputes,
  sk: `${filedAt}#${disputeId}`,
});

/** `byMonthShard` partition of the disputes of a shard's users: one user's are one `begins_with` query. */
export const disputeShardPartition = (shard: number): string => `DISPUTES#SHARD#${twoDigits(shard)}`;

/** `byMonthShard` sort key of a dispute's step: by user, then filing time. */
export const disputeShardSortKey = (userId: string, filedAt: string, disputeId: string, step: string): string =>
  `${userPrefix(userId)}${filedAt}#${disputeId}#${step}`;

/** `lateArrivals` sort key of a dispute's step: its user's months from the disputed month on are rebuilt. */
export const disputeRebuildSortKey = (userId: string, month: string, disputeId: string, step: string): string =>
  `${userPrefix(userId)}MONTH#${month}#DISPUTE#${disputeId}#${step}`;
/**
 * A customer's consent changes (pattern 7): in their shard's partition, by user then time, as corrections are, so
 * one user's are one `begins_with` query and a report batch reads its users' with one range query.
 */
export const consentPartition = (shard: number): string => `${PAYMENTS_KEY_PREFIXES.consent}SHARD#${twoDigits(shard)}`;

export const consentKey = (userId: string, at: string, id: string): { pk: string; sk: string } => ({
  pk: consentPartition(userShard(userId)),
  sk: `${userPrefix(userId)}${at}#${id}`,
});

/** A customer's kind choices (decision 0024): kept as consent changes are, in their shard's partition by user then time. */
export const kindPartition = (shard: number): string => `${PAYMENTS_KEY_PREFIXES.kinds}SHARD#${twoDigits(shard)}`;

export const kindKey = (userId: string, at: string, id: string): { pk: string; sk: string } => ({
  pk: kindPartition(userShard(userId)),
  sk: `${userPrefix(userId)}${at}#${id}`,
});
