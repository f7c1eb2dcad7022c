import type { Commitment, MonthlyReport } from '#domain/report';

/**
 * A monthly report as the items it is stored in. DynamoDB holds at most 400 KB per item, and a
 * user with thousands of payments in a month cites each of them, so a report is one item in the
 * usual case and several when it would not fit: each part carries whole commitments, or a slice of
 * one commitment's payments, within a byte budget. Pure: the repository writes and reads the parts.
 */

export interface ReportPart {
  userId: string;
  month: string;
  builtAt: string;
  /** 0-based; part 0 is read first and says how many parts this version has. */
  part: number;
  parts: number;
  /**
   * Which build this part belongs to (unique per build; absent on parts stored before versions).
   * Part 0 is the report's head: it names the version whose parts make the visible report.
   */
  version?: string;
  /** The month's payment count: on part 0 only. */
  payments?: number;
  /** The report's carried state (decision 0015): on part 0 only. */
  aheadPayments?: MonthlyReport['aheadPayments'];
  payeeRoutes?: MonthlyReport['payeeRoutes'];
  /** The report's number of commitments, however they are split: on part 0 only (the summary's deltas come from it). */
  commitmentCount?: number;
  /** Commitments, or fragments of one: a commitment split over parts repeats its fields, each part citing some of its payments. */
  commitments: Commitment[];
}

/** A part's item is built from this budget, with room to spare under 400 KB for keys and attribute names. */
export const REPORT_PART_BUDGET_BYTES = 300_000;

/**
 * A head whose parts were not all read: a newer version was made visible and this one's parts
 * removed while the read was under way. Reading again settles it (the repository does; REPORT_RUN_ERROR_NAMES).
 */
export class ReportBeingRebuiltError extends Error {
  override readonly name = 'ReportBeingRebuilt';
}

// UTF-8 length of the JSON text: close to DynamoDB's item size (names plus values), and above it
// for numbers and booleans, so a part built to the budget stays below the limit.
const size = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** The report's items: as few as the budget allows, each under `budgetBytes` (bar a single citation larger than it). */
export const splitReport = (report: MonthlyReport, budgetBytes = REPORT_PART_BUDGET_BYTES): ReportPart[] => {
  const header = {
    userId: report.userId,
    month: report.month,
    builtAt: report.builtAt,
    part: 0,
    parts: 0,
    payments: report.payments,
    aheadPayments: report.aheadPayments,
    payeeRoutes: report.payeeRoutes,
    commitmentCount: report.commitments.length,
  };
  const pieces: Commitment[][] = [[]];
  let used = size({ ...header, commitments: [] });
  const startPart = (): void => {
    pieces.push([]);
    used = size({
      ...header,
      payments: undefined,
      aheadPayments: undefined,
      payeeRoutes: undefined,
      commitmentCount: undefined,
      commitments: [],
    });
  };
  for (const commitment of report.commitments) {
    const fields = size({ ...commitment, payments: [] }) + 1;
    if (used + fields + size(commitment.payments) > budgetBytes && pieces.at(-1)!.length > 0) startPart();
    let fragment: Commitment = { ...commitment, payments: [] };
    pieces.at(-1)!.push(fragment);
    used += fields;
    for (const payment of commitment.payments) {
      const cost = size(payment) + 1;
      if (used + cost > budgetBytes && fragment.payments.length > 0) {
        startPart();
        fragment = { ...commitment, payments: [] };
        pieces.at(-1)!.push(fragment);
        used += fields;
      }
      fragment.payments.push(payment);
      used += cost;
    }
  }
  return pieces.map((commitments, part) => ({
    userId: report.userId,
    month: report.month,
    builtAt: report.builtAt,
    part,
    parts: pieces.length,
    ...(part === 0
      ? {
          payments: report.payments,
          aheadPayments: report.aheadPayments,
          payeeRoutes: report.payeeRoutes,
          commitmentCount: report.commitments.length,
        }
      : {}),
    commitments,
  }));
};

/** The parts of the version a head names: leftovers of other builds (older, or never made visible) are not among them. */
const ofVersion = (head: ReportPart, part: ReportPart): boolean =>
  part.part < head.parts && part.version === head.version && part.builtAt === head.builtAt;

/**
 * The report from a user's stored items: the head (part 0) and the parts of the version it names,
 * in part order. Parts of other versions (a build killed before its head was written, or one
 * superseded and not yet removed) are ignored. No head: no report. A part of the head's version
 * missing means it was removed by a newer build while this read was under way.
 */
export const joinReport = (stored: readonly ReportPart[]): MonthlyReport | undefined => {
  const header = stored.find((part) => part.part === 0);
  if (!header) return undefined;
  const current = stored.filter((part) => ofVersion(header, part)).sort((a, b) => a.part - b.part);
  const complete = current.length === header.parts && current.every((part, index) => part.part === index);
  if (!complete)
    throw new ReportBeingRebuiltError(
      `The report of ${header.userId} for ${header.month} was replaced while being read`,
    );
  const commitments: Commitment[] = [];
  for (const fragment of current.flatMap((part) => part.commitments)) {
    const last = commitments.at(-1);
    if (last?.commitmentId === fragment.commitmentId) last.payments.push(...fragment.payments);
    else commitments.push({ ...fragment, payments: [...fragment.payments] });
  }
  return {
    userId: header.userId,
    month: header.month,
    payments: header.payments ?? 0,
    builtAt: header.builtAt,
    commitments,
    aheadPayments: header.aheadPayments ?? [],
    payeeRoutes: header.payeeRoutes ?? [],
  };
};

/** What a report adds to its month's summary: one user, its payments and its commitments. */
export interface ReportFigures {
  payments: number;
  commitments: number;
}

/**
 * The figures a stored head stands for. A head stored before `commitmentCount` was kept counts the
 * commitments it holds, which is all of them unless its report was split (then a lower bound).
 */
export const headFigures = (head: ReportPart): ReportFigures => ({
  payments: head.payments ?? 0,
  commitments: head.commitmentCount ?? new Set(head.commitments.map((commitment) => commitment.commitmentId)).size,
});
