import { isOptedIn } from '#domain/commitment-consent';
import type { MonthlyReport } from '#domain/report';

/**
 * The month's reports as a credit bureau takes them in: one row per commitment, as CSV
 * (RFC 4180) or JSON Lines. Pure: the export handler reads the reports a page at a time and
 * writes what these functions return for each page, so a month is never held in memory whole.
 * Which format a request asks for is the API's business (contract/export-negotiation.ts).
 */

export type ExportFormat = 'csv' | 'jsonl';

/** Who takes the export: operations see every commitment; a bureau only those their customer opted in (decision 0021). */
export type ExportAudience = 'operations' | 'bureau';

export const EXPORT_AUDIENCES: readonly ExportAudience[] = ['operations', 'bureau'];

/**
 * One exported row: a commitment of one customer in one month. Names are the CSV header and the
 * JSON keys, and the same as the report's commitment fields (one vocabulary): lists are
 * space-separated text in both formats, so a CSV cell and a JSON value read alike.
 */
export interface ExportRow {
  userId: string;
  month: string;
  commitmentId: string;
  /** The payee as its latest payment named it. */
  payee: string;
  payeeKey: string;
  /** rent, utility, telecom, subscription, other, or empty when not known. */
  kind: string;
  currency: string;
  /** This cycle's total: exact decimal text with the currency's minor-unit digits, never a float. */
  amount: string;
  dueDay: number;
  /** Local date of the commitment's latest payment. */
  lastPaidOn: string;
  streak: number;
  /** The 24 months' statuses, most recent first, space-separated (`kept missed pending none`). */
  history: string;
  paymentHistoryProfile: string;
  /** The distinct client ids behind this cycle's payments, space-separated (sorted). */
  clientIds: string;
  selfReported: boolean;
  /** The ids of the payments counted for this cycle, space-separated: each amount traced to its submission. */
  paymentIds: string;
  /** Whether the customer opted the commitment in to the credit file as of the report's build (false before consent was kept). */
  consent: boolean;
  /** Metro 2 Compliance Condition Code: `XB` while a dispute of the month or an earlier one of the 24 is open, else empty. */
  complianceCondition: '' | 'XB';
  /** The months of the 24 with a payment the bank returned or reversed, space-separated, oldest first (decisions/0019). */
  reversedMonths: string;
  /** The ids of this cycle's reversed payments, space-separated: cited, counted for nothing. */
  reversedPaymentIds: string;
}

export const EXPORT_COLUMNS: ReadonlyArray<keyof ExportRow> = [
  'userId',
  'month',
  'commitmentId',
  'payee',
  'payeeKey',
  'kind',
  'currency',
  'amount',
  'dueDay',
  'lastPaidOn',
  'streak',
  'history',
  'paymentHistoryProfile',
  'clientIds',
  'selfReported',
  'paymentIds',
  'consent',
  'complianceCondition',
  'reversedMonths',
  'reversedPaymentIds',
];

/** One row per commitment of the report the audience may see, in the report's (sorted) commitment order. */
export const exportRows = (report: MonthlyReport, audience: ExportAudience = 'operations'): ExportRow[] =>
  report.commitments
    .filter((commitment) => audience === 'operations' || isOptedIn(commitment))
    .map((commitment) => ({
      userId: report.userId,
      month: report.month,
      commitmentId: commitment.commitmentId,
      payee: commitment.payee,
      payeeKey: commitment.payeeKey,
      kind: commitment.kind ?? '',
      currency: commitment.currency,
      amount: commitment.amount,
      dueDay: commitment.dueDay,
      lastPaidOn: commitment.lastPaidOn,
      streak: commitment.streak,
      history: commitment.history.map(({ status }) => status).join(' '),
      paymentHistoryProfile: commitment.paymentHistoryProfile,
      clientIds: commitment.clientIds.join(' '),
      selfReported: commitment.selfReported,
      paymentIds: commitment.payments.map((payment) => payment.id).join(' '),
      consent: isOptedIn(commitment),
      complianceCondition: commitment.complianceCondition ?? '',
      reversedMonths: (commitment.reversedMonths ?? []).join(' '),
      reversedPaymentIds: (commitment.reversedPayments ?? []).map((payment) => payment.id).join(' '),
    }));

/**
 * Spreadsheets run a cell that starts with one of these as a formula (CSV injection): such a cell
 * gets a leading apostrophe, which spreadsheets show as text and do not evaluate (OWASP's advice).
 */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;
/** RFC 4180: a field holding a comma, a double quote or a line break is quoted. */
const NEEDS_QUOTES = /[",\r\n]/;

export const csvCell = (value: string | number | boolean): string => {
  const text = String(value);
  const safe = FORMULA_TRIGGER.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) || safe !== text ? `"${safe.replaceAll('"', '""')}"` : safe;
};

const CSV_LINE_END = '\r\n';

const csvLine = (cells: ReadonlyArray<string | number | boolean>): string =>
  cells.map(csvCell).join(',') + CSV_LINE_END;

/** What the export writes before any report: the CSV header row; JSON Lines has none. */
export const exportPreamble = (format: ExportFormat): string => (format === 'csv' ? csvLine(EXPORT_COLUMNS) : '');

/** One page of reports as text in the format: a line per commitment. */
export const formatReports = (
  format: ExportFormat,
  reports: readonly MonthlyReport[],
  audience: ExportAudience = 'operations',
): string =>
  reports
    .flatMap((report) => exportRows(report, audience))
    .map((row) =>
      format === 'csv'
        ? csvLine(EXPORT_COLUMNS.map((column) => row[column]))
        : `${JSON.stringify(Object.fromEntries(EXPORT_COLUMNS.map((column) => [column, row[column]])))}\n`,
    )
    .join('');

/**
 * The export's body as it is written: the preamble, then each page of reports as it arrives from
 * `pages`. Nothing is buffered beyond one page; an error from `pages` ends the body there.
 */
export async function* exportChunks(
  format: ExportFormat,
  pages: AsyncIterable<readonly MonthlyReport[]>,
  audience: ExportAudience = 'operations',
): AsyncGenerator<string> {
  const preamble = exportPreamble(format);
  if (preamble) yield preamble;
  for await (const page of pages) {
    const text = formatReports(format, page, audience);
    if (text) yield text;
  }
}
