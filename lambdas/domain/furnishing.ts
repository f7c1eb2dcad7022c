import type { Commitment, MonthlyReport } from '#domain/report';

/**
 * The furnishing of one bureau's Metro 2 file for a month: the month's reports and the customers' identities streamed
 * into header, base segments and trailer, the written file validated, and only a file that passes delivered. Metro 2
 * formatting (23a), identities (23b) and where the file goes (local directory, S3) are ports, wired by the handler.
 */

/** Why a commitment has no base segment in the file (the formatter's own reasons besides `no-identity`). */
export type SkipReason = string;

/** The Metro 2 mapping and records (lambdas/domain/metro2/): `Account` is its Metro2Account. */
export interface FurnishingFormatter<Consumer, Account> {
  header(fields: { month: string; bureau: string }): string;
  /** `userId`: the report's owner (the account number is stable per customer and commitment). */
  account(
    commitment: Commitment,
    consumer: Consumer | 'erased',
    month: string,
    userId: string,
  ): Account | { skipped: SkipReason };
  baseSegment(account: Account): string;
  /** A fresh trailer accumulator: counts the accounts added, then writes the trailer record. */
  trailer(): { add(account: Account): void; record(): string };
}

export interface FurnishingViolation {
  record: number;
  rule: string;
  field?: string;
  message: string;
}

/** 23a's validateMetro2File: the written file read back, line by line. */
export type FurnishingValidator = (lines: AsyncIterable<string>) => Promise<FurnishingViolation[]>;

/** 23b's IdentityRepository: a page of customers' identities; a customer with none is absent from the map. */
export interface IdentitySource<Consumer> {
  identitiesOf(userIds: readonly string[]): Promise<Map<string, Consumer | 'erased'>>;
}

/** What the run records of a delivered file: never an identity, only counts and the file's digest. */
export interface FurnishingManifest {
  month: string;
  bureau: string;
  /** Header, base segments and trailer. */
  records: { header: 1; base: number; trailer: 1 };
  /** Commitments left out, by reason. */
  skipped: Record<SkipReason, number>;
  /** Customers whose erasure this file furnished (account status DA). */
  erasures: number;
  sha256: string;
  /** Where the file is: a path locally, an s3:// URI in AWS. */
  location: string;
}

/** One file being written: lines appended, read back for the validator, then delivered whole or discarded. */
export interface FurnishingFileWriter {
  write(line: string): Promise<void>;
  lines(): AsyncIterable<string>;
  /** Makes the file and its manifest visible, replacing an earlier run's; the sink adds `sha256` and `location`. */
  deliver(manifest: Omit<FurnishingManifest, 'sha256' | 'location'>): Promise<FurnishingManifest>;
  discard(): Promise<void>;
}

export interface FurnishingFileSink {
  open(month: string, bureau: string): Promise<FurnishingFileWriter>;
}

export type FurnishingResult =
  | { status: 'delivered'; manifest: FurnishingManifest }
  | { status: 'rejected'; month: string; bureau: string; violations: FurnishingViolation[] };

/** Violations named in a rejected result: enough to act on, small enough for a state payload. */
export const MAX_LISTED_VIOLATIONS = 20;

export interface FurnishingPorts<Consumer, Account> {
  formatter: FurnishingFormatter<Consumer, Account>;
  validator: FurnishingValidator;
  identities: IdentitySource<Consumer>;
  sink: FurnishingFileSink;
}

interface Counts {
  base: number;
  skipped: Record<SkipReason, number>;
  erasures: Set<string>;
}

const skip = (counts: Counts, reason: SkipReason): void => {
  counts.skipped[reason] = (counts.skipped[reason] ?? 0) + 1;
};

/** One page of reports into base segments: identities asked once per page, so memory stays one page deep. */
const writePage = async <Consumer, Account>(
  page: readonly MonthlyReport[],
  month: string,
  { formatter, identities }: FurnishingPorts<Consumer, Account>,
  trailer: ReturnType<FurnishingFormatter<Consumer, Account>['trailer']>,
  writer: FurnishingFileWriter,
  counts: Counts,
): Promise<void> => {
  const known = await identities.identitiesOf([...new Set(page.map((report) => report.userId))]);
  for (const report of page) {
    const consumer = known.get(report.userId);
    for (const commitment of report.commitments) {
      if (consumer === undefined) {
        skip(counts, 'no-identity');
        continue;
      }
      const account = formatter.account(commitment, consumer, month, report.userId);
      if (typeof account === 'object' && account !== null && 'skipped' in account) {
        skip(counts, account.skipped);
        continue;
      }
      await writer.write(formatter.baseSegment(account));
      trailer.add(account);
      counts.base += 1;
      if (consumer === 'erased') counts.erasures.add(report.userId);
    }
  }
};

/** Writes, validates and delivers (or discards) one bureau's file of the month. */
export const furnishBureau = async <Consumer, Account>(
  month: string,
  bureau: string,
  reports: AsyncIterable<readonly MonthlyReport[]>,
  ports: FurnishingPorts<Consumer, Account>,
): Promise<FurnishingResult> => {
  const writer = await ports.sink.open(month, bureau);
  const counts: Counts = { base: 0, skipped: {}, erasures: new Set() };
  const trailer = ports.formatter.trailer();
  try {
    await writer.write(ports.formatter.header({ month, bureau }));
    for await (const page of reports) await writePage(page, month, ports, trailer, writer, counts);
    await writer.write(trailer.record());
    const violations = await ports.validator(writer.lines());
    if (violations.length > 0) {
      await writer.discard();
      return { status: 'rejected', month, bureau, violations: violations.slice(0, MAX_LISTED_VIOLATIONS) };
    }
  } catch (error) {
    await writer.discard();
    throw error;
  }
  const records = { header: 1, base: counts.base, trailer: 1 } as const;
  const manifest = await writer.deliver({
    month,
    bureau,
    records,
    skipped: counts.skipped,
    erasures: counts.erasures.size,
  });
  return { status: 'delivered', manifest };
};
