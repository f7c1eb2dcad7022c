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
  /** `userId`: the report's owner (with the commitment id, the mapping makes a stable account number). */
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

/**
 * The identities table's reader: a page of customers' identities for `month`'s file; a customer with none is absent.
 * `erased`: the customer's deletion (`DA`) is pending, or was first delivered in `month` (a re-run sends it again).
 */
export interface IdentitySource<Consumer> {
  identitiesOf(userIds: readonly string[], month: string): Promise<Map<string, Consumer | 'erased'>>;
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

/**
 * A month with no base segment for a bureau (no opted-in commitment of a customer with an identity): no file and no
 * manifest, as moov-io/metro2 would accept a header and trailer alone but a bureau has nothing to load (decision 0023).
 * `skipped` says why each commitment was left out.
 */
export interface NothingToFurnish {
  status: 'nothing-to-furnish';
  month: string;
  bureau: string;
  skipped: Record<SkipReason, number>;
  /** An earlier run's file of the month (and its manifest) was there and is withdrawn. */
  withdrawn: boolean;
}

/**
 * A FurnishBureau step that failed after its retries (the map's BureauFailed state answers it): the error's name only,
 * never its cause, which may quote anything. The other bureaus' outcomes stand beside it (decision 0023).
 */
export interface BureauFailed {
  status: 'failed';
  month: string;
  bureau: string;
  error: string;
}

/** What a FurnishBureau step answers: its file delivered or rejected, or nothing to send. */
export type BureauAssembly = FurnishingResult | NothingToFurnish;

/** A bureau's outcome in the report run: what its FurnishBureau step answered, or that the step failed. */
export type BureauFile = BureauAssembly | BureauFailed;

/** Erasures are marked furnished only when every configured bureau's file of the month was delivered (0023). */
export const everyFileDelivered = (files: readonly BureauFile[]): boolean =>
  files.length > 0 && files.every(({ status }) => status === 'delivered');

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

/** A furnished account of a page: the mapping's account, its owner, and whether the owner's identity is erased. */
export interface PageAccount<Account> {
  account: Account;
  userId: string;
  erased: boolean;
}

/**
 * A page of reports as accounts to furnish: identities asked once per page (memory one page deep); a commitment left
 * out is counted in `skipped` by reason (`no-identity` or the mapping's own). Shared by the one-file path and the
 * shards' parts (furnishing-parts.ts).
 */
export async function* accountsOfPage<Consumer, Account>(
  page: readonly MonthlyReport[],
  month: string,
  formatter: Pick<FurnishingFormatter<Consumer, Account>, 'account'>,
  identities: IdentitySource<Consumer>,
  skipped: Record<SkipReason, number>,
): AsyncGenerator<PageAccount<Account>> {
  const skip = (reason: SkipReason): void => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  const known = await identities.identitiesOf([...new Set(page.map((report) => report.userId))], month);
  for (const report of page) {
    const consumer = known.get(report.userId);
    for (const commitment of report.commitments) {
      if (consumer === undefined) {
        skip('no-identity');
        continue;
      }
      const account = formatter.account(commitment, consumer, month, report.userId);
      if (typeof account === 'object' && account !== null && 'skipped' in account) {
        skip(account.skipped);
        continue;
      }
      yield { account, userId: report.userId, erased: consumer === 'erased' };
    }
  }
}

/** One page of reports into base segments of the one file. */
const writePage = async <Consumer, Account>(
  page: readonly MonthlyReport[],
  month: string,
  { formatter, identities }: FurnishingPorts<Consumer, Account>,
  trailer: ReturnType<FurnishingFormatter<Consumer, Account>['trailer']>,
  writer: FurnishingFileWriter,
  counts: Counts,
): Promise<void> => {
  for await (const { account, userId, erased } of accountsOfPage(page, month, formatter, identities, counts.skipped)) {
    await writer.write(formatter.baseSegment(account));
    trailer.add(account);
    counts.base += 1;
    if (erased) counts.erasures.add(userId);
  }
};

/**
 * One bureau's file and, apart from the result (which goes into the run's history), the customers whose deletion
 * (`DA`) the delivered file carries: ids only, for the caller to mark once every bureau's file is delivered. Their
 * number grows with the month's erasures, not with its customers. A rejected file carries none.
 */
export interface BureauFurnishing {
  result: FurnishingResult;
  erasedUserIds: readonly string[];
}

/** Writes, validates and delivers (or discards) one bureau's file of the month. */
export const furnishBureau = async <Consumer, Account>(
  month: string,
  bureau: string,
  reports: AsyncIterable<readonly MonthlyReport[]>,
  ports: FurnishingPorts<Consumer, Account>,
): Promise<BureauFurnishing> => {
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
      const result = {
        status: 'rejected',
        month,
        bureau,
        violations: violations.slice(0, MAX_LISTED_VIOLATIONS),
      } as const;
      return { result, erasedUserIds: [] };
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
  return { result: { status: 'delivered', manifest }, erasedUserIds: [...counts.erasures] };
};

/** What a run records of its furnishing step: each configured bureau's result, or the error that stopped the step. */
export interface FurnishingOutcome {
  files: BureauFile[];
  /** The step failed after its retries (no file of this run was delivered past the bureaus listed in `files`). */
  error?: string;
}

export const FURNISHING_COLUMNS = ['BUREAU', 'FILE', 'LOCATION', 'BASE RECORDS', 'SKIPPED', 'CHECKS'] as const;

const skippedText = (skipped: Record<SkipReason, number>): string =>
  Object.entries(skipped)
    .map(([reason, count]) => `${count} ${reason}`)
    .join('; ') || '-';

const fileRow = (file: BureauFile): string[] => {
  switch (file.status) {
    case 'delivered':
      return [
        file.manifest.bureau,
        'delivered',
        file.manifest.location,
        String(file.manifest.records.base),
        skippedText(file.manifest.skipped),
        'passed',
      ];
    case 'nothing-to-furnish':
      return [
        file.bureau,
        file.withdrawn ? 'nothing to furnish (earlier file withdrawn)' : 'nothing to furnish (no file)',
        '-',
        '0',
        skippedText(file.skipped),
        '-',
      ];
    case 'failed':
      return [file.bureau, `step failed: ${file.error} (not delivered)`, '-', '-', '-', '-'];
    case 'rejected':
      return [
        file.bureau,
        'rejected (not delivered)',
        '-',
        '-',
        '-',
        `failed: ${file.violations.map(({ record, rule, field }) => `record ${record} ${rule}${field ? ` (${field})` : ''}`).join('; ')}`,
      ];
  }
};

/** The run's files as operators read them (npm run ops, the local console): one row each, FURNISHING_COLUMNS. */
export const furnishingRows = (outcome: FurnishingOutcome): string[][] => [
  ...outcome.files.map(fileRow),
  ...(outcome.error ? [['-', `step failed: ${outcome.error}`, '-', '-', '-', '-']] : []),
];

/** A workflow output's furnishing outcome (the report run's summary), if it has one. */
export const furnishingOf = (output: unknown): FurnishingOutcome | undefined => {
  const furnishing = (output as { furnishing?: unknown } | null | undefined)?.furnishing;
  return typeof furnishing === 'object' && furnishing !== null && Array.isArray((furnishing as FurnishingOutcome).files)
    ? (furnishing as FurnishingOutcome)
    : undefined;
};
