import {
  accountsOfPage,
  type BureauAssembly,
  type FurnishingFormatter,
  type FurnishingManifest,
  type FurnishingResult,
  type FurnishingViolation,
  type IdentitySource,
  MAX_LISTED_VIOLATIONS,
  type SkipReason,
} from '#domain/furnishing';
import type { MonthlyReport } from '#domain/report';

/**
 * The furnishing step at scale (decision 0023): each of the month's report shards writes its PART of every bureau's
 * file (its base segments, each validated as written) and answers its counts; an assemble step per bureau then writes
 * header + parts in shard order + trailer, the trailer's totals summed from the parts' counts. Memory stays one page
 * of reports deep in a shard and one part's worth of buffer in the assembler; the workflow carries counts only.
 */

/** What one shard's part holds: the same for every bureau (the bureau changes a segment's furnisher fields only). */
export interface PartCounts {
  base: number;
  /** The trailer's count fields over the part's base segments (statuses, dates of birth, ...): summed, the trailer. */
  totals: Record<string, number>;
  skipped: Record<SkipReason, number>;
  /** Customers whose erasure (`DA`) the part carries. */
  erasedUsers: number;
}

export const NO_COUNTS: PartCounts = { base: 0, totals: {}, skipped: {}, erasedUsers: 0 };

const addCounts = (into: Record<string, number>, from: Readonly<Record<string, number>>): Record<string, number> => {
  const sum = { ...into };
  for (const [name, count] of Object.entries(from)) sum[name] = (sum[name] ?? 0) + count;
  return sum;
};

/** The month's counts: every part's summed (the assemble arithmetic, unit-tested). */
export const sumPartCounts = (parts: readonly PartCounts[]): PartCounts =>
  parts.reduce<PartCounts>(
    (sum, part) => ({
      base: sum.base + part.base,
      totals: addCounts(sum.totals, part.totals),
      skipped: addCounts(sum.skipped, part.skipped),
      erasedUsers: sum.erasedUsers + part.erasedUsers,
    }),
    NO_COUNTS,
  );

/** Violations a shard answers (64 shards' answers stay well inside a state payload's 256 KiB). */
export const MAX_SHARD_VIOLATIONS = 3;

/** A violation of a part: the shard and the bureau whose part it is, the record's number within that part. */
export interface PartViolation extends FurnishingViolation {
  shard: number;
  bureau: string;
}

/** A shard's answer (into the workflow): counts, each bureau's part key, at most MAX_SHARD_VIOLATIONS violations. */
export interface ShardFurnishing {
  month: string;
  shard: number;
  counts: PartCounts;
  /** Bureau → where its part is (a path locally, an object key in AWS). */
  parts: Record<string, string>;
  violations: PartViolation[];
}

/** The part formatter: base segments per bureau, the trailer's count fields, and a trailer from summed totals. */
export interface PartFormatter<Consumer, Account> extends Pick<FurnishingFormatter<Consumer, Account>, 'account'> {
  baseSegment(account: Account, bureau: string): string;
  /** A fresh accumulator of the trailer's count fields. */
  tally(): { add(account: Account): void; totals(): Record<string, number> };
}

/** A base segment's violations, `record` being its number within its part. */
export type RecordValidator = (record: string, number: number) => FurnishingViolation[];

export interface PartWriter {
  write(line: string): Promise<void>;
  /** The part complete (replacing an earlier run's): its location. */
  finish(): Promise<string>;
  discard(): Promise<void>;
}

/** Where parts go: locally DATA_DIR/furnishing/<month>/parts/, in AWS a parts/ prefix of the furnishing bucket. */
export interface FurnishingPartStore {
  openPart(month: string, bureau: string, shard: number): Promise<PartWriter>;
  /** The shard's erased customers (ids, kept beside its parts, never in the workflow): read back after delivery. */
  putErased(month: string, shard: number, userIds: readonly string[]): Promise<void>;
  erasedOf(month: string, shard: number): Promise<string[]>;
}

export interface ShardPorts<Consumer, Account> {
  formatter: PartFormatter<Consumer, Account>;
  validateRecord: RecordValidator;
  identities: IdentitySource<Consumer>;
  parts: FurnishingPartStore;
}

interface ShardState<Account> {
  writers: Map<string, PartWriter>;
  tally: ReturnType<PartFormatter<unknown, Account>['tally']>;
  base: number;
  skipped: Record<SkipReason, number>;
  erased: Set<string>;
  violations: PartViolation[];
}

const writeAccount = async <Consumer, Account>(
  account: Account,
  shard: number,
  state: ShardState<Account>,
  { formatter, validateRecord }: ShardPorts<Consumer, Account>,
): Promise<void> => {
  state.base += 1;
  state.tally.add(account);
  for (const [bureau, writer] of state.writers) {
    const record = formatter.baseSegment(account, bureau);
    await writer.write(record);
    if (state.violations.length < MAX_SHARD_VIOLATIONS)
      for (const violation of validateRecord(record, state.base))
        state.violations.push({ ...violation, shard, bureau });
  }
};

const writeShardPage = async <Consumer, Account>(
  page: readonly MonthlyReport[],
  month: string,
  shard: number,
  state: ShardState<Account>,
  ports: ShardPorts<Consumer, Account>,
): Promise<void> => {
  const accounts = accountsOfPage(page, month, ports.formatter, ports.identities, state.skipped);
  for await (const { account, userId, erased } of accounts) {
    await writeAccount(account, shard, state, ports);
    if (erased) state.erased.add(userId);
  }
};

/**
 * One shard's parts, one per bureau, streamed from the shard's reports page by page; each base segment validated as
 * it is written. A part with violations is still written (the assemble step rejects its bureau's file and names them).
 */
export const furnishShard = async <Consumer, Account>(
  month: string,
  shard: number,
  bureaus: readonly string[],
  reports: AsyncIterable<readonly MonthlyReport[]>,
  ports: ShardPorts<Consumer, Account>,
): Promise<ShardFurnishing> => {
  const writers = new Map<string, PartWriter>();
  for (const bureau of bureaus) writers.set(bureau, await ports.parts.openPart(month, bureau, shard));
  const state: ShardState<Account> = {
    writers,
    tally: ports.formatter.tally(),
    base: 0,
    skipped: {},
    erased: new Set(),
    violations: [],
  };
  const parts: Record<string, string> = {};
  try {
    for await (const page of reports) await writeShardPage(page, month, shard, state, ports);
    for (const [bureau, writer] of writers) parts[bureau] = await writer.finish();
  } catch (error) {
    await Promise.all([...writers.values()].map((writer) => writer.discard()));
    throw error;
  }
  await ports.parts.putErased(month, shard, [...state.erased]);
  const counts = {
    base: state.base,
    totals: state.tally.totals(),
    skipped: state.skipped,
    erasedUsers: state.erased.size,
  };
  return { month, shard, counts, parts, violations: state.violations.slice(0, MAX_SHARD_VIOLATIONS) };
};

/** The assembled file before delivery: its length, and delivery (replacing an earlier run's file) or discard. */
export interface AssembledFile {
  bytes: number;
  deliver(manifest: Omit<FurnishingManifest, 'sha256' | 'location'>): Promise<FurnishingManifest>;
  discard(): Promise<void>;
}

/** Writes header + the parts in the order given + trailer as the month's file of the bureau (not yet delivered). */
export interface FurnishingAssembler {
  assemble(
    month: string,
    bureau: string,
    header: string,
    parts: readonly string[],
    trailer: string,
  ): Promise<AssembledFile>;
  /** Removes an earlier run's file of the month and its manifest, if any: whether there was one (issue 23: a re-run replaces). */
  withdraw(month: string, bureau: string): Promise<boolean>;
}

export interface AssemblePorts {
  header(fields: { month: string; bureau: string }): string;
  trailer(totals: Readonly<Record<string, number>>): string;
  /** The envelope's check: header, trailer against the parts' totals, length against the base count. */
  validateAssembly(assembly: {
    header: string;
    trailer: string;
    totals: Readonly<Record<string, number>>;
    bytes: number;
  }): FurnishingViolation[];
  assembler: FurnishingAssembler;
}

const rejected = (month: string, bureau: string, violations: FurnishingViolation[]): FurnishingResult => ({
  status: 'rejected',
  month,
  bureau,
  violations: violations.slice(0, MAX_LISTED_VIOLATIONS),
});

/**
 * One bureau's file from the shards' answers: rejected (nothing assembled) if a part broke a rule, naming shard, record
 * and rule; nothing to furnish (no file; an earlier run's withdrawn) if the parts hold no base segment; else assembled in shard order, its
 * envelope checked, and delivered. Shards missing from `shards` (failed) are left out, as a run with failed shards
 * furnishes what was written.
 */
export const assembleBureau = async (
  month: string,
  bureau: string,
  shards: readonly ShardFurnishing[],
  ports: AssemblePorts,
): Promise<BureauAssembly> => {
  const inOrder = [...shards].sort((a, b) => a.shard - b.shard);
  const broken = inOrder.flatMap(({ violations }) => violations.filter((violation) => violation.bureau === bureau));
  if (broken.length > 0) return rejected(month, bureau, broken);
  const counts = sumPartCounts(inOrder.map((shard) => shard.counts));
  // A header and trailer alone would tell the bureau nothing (decision 0023): no file, the skips say why; an earlier
  // run's file of the month is withdrawn, as a re-run replaces the month's files.
  if (counts.base === 0) {
    const withdrawn = await ports.assembler.withdraw(month, bureau);
    return { status: 'nothing-to-furnish', month, bureau, skipped: counts.skipped, withdrawn };
  }
  const header = ports.header({ month, bureau });
  const trailer = ports.trailer(counts.totals);
  const parts = inOrder.map((shard) => shard.parts[bureau]!);
  const file = await ports.assembler.assemble(month, bureau, header, parts, trailer);
  const violations = ports.validateAssembly({ header, trailer, totals: counts.totals, bytes: file.bytes });
  if (violations.length > 0) {
    await file.discard();
    return rejected(month, bureau, violations);
  }
  const manifest = await file.deliver({
    month,
    bureau,
    records: { header: 1, base: counts.base, trailer: 1 },
    skipped: counts.skipped,
    erasures: counts.erasedUsers,
  });
  return { status: 'delivered', manifest };
};
