import { createHash } from 'node:crypto';
import { minorUnits } from '#domain/currencies';
import { previousMonth } from '#domain/month';
import type { Commitment } from '#domain/report';
import { PAST_DUE_STATUSES } from '#domain/metro2/codes';

/**
 * One commitment of a report as the Metro 2 base segment of its account: which commitments are
 * furnished, and the status, profile, amounts and dates each carries. Pure; the rules and their
 * sources: docs/decisions/0017.
 */

export interface Metro2Consumer {
  surname: string;
  firstName: string;
  middleName?: string;
  generationCode?: string;
  /** `YYYY-MM-DD`. */
  dateOfBirth: string;
  addressLine1: string;
  addressLine2?: string;
  city: string;
  state: string;
  postalCode: string;
  countryCode: string;
}

export interface Metro2Account {
  /** Stable per commitment: the bureaus match months by it. */
  accountNumber: string;
  accountType: '29' | '92' | '4D';
  /** `YYYY-MM-DD`. */
  dateOpened: string;
  /** Minor units of `currency`; written in whole units. */
  scheduledPayment: number;
  actualPayment: number;
  currency: string;
  accountStatus: string;
  paymentHistoryProfile: string;
  complianceCondition: '' | 'XB';
  correctionIndicator?: '1';
  amountPastDue: number;
  dateOfFirstDelinquency?: string;
  dateOfAccountInformation: string;
  dateOfLastPayment?: string;
  /** `erased`: the account is deleted at the bureau (status `DA`), with no identity to send. */
  consumer: Metro2Consumer | 'erased';
}

/** A report's commitment as the mapping reads it (with issue 22's consent, disputes and compliance condition). */
export type Metro2Source = Commitment;

export interface Metro2Skipped {
  skipped: string;
}

export interface Metro2Options {
  /** The report's owner: with the commitment id, it makes the account number. */
  userId: string;
  /** This month's record was delivered before and is sent again because the month was corrected. */
  resent?: boolean;
}

/**
 * Unique and stable per commitment of a customer, 30 characters, no blanks, and nothing a bureau
 * could read a person or a payee from: `PT` and 28 hex digits of SHA-256 over user and commitment.
 */
export const accountNumberOf = (userId: string, commitmentId: string): string =>
  `PT${createHash('sha256').update(`${userId}\n${commitmentId}`).digest('hex').slice(0, 28).toUpperCase()}`;

const ACCOUNT_TYPE_OF_KIND: Readonly<Record<string, Metro2Account['accountType']>> = {
  rent: '29',
  utility: '92',
  telecom: '4D',
};

const daysIn = (month: string): number => {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
};

/** The cycle's due date in `month` (a shorter month's last day stands for 29 to 31, as decision 0015 says). */
export const dueDateIn = (month: string, dueDay: number): string =>
  `${month}-${String(Math.min(dueDay, daysIn(month))).padStart(2, '0')}`;

export const lastDayOf = (month: string): string => `${month}-${String(daysIn(month)).padStart(2, '0')}`;

/**
 * Metro 2's profile starts with the month before the Date of Account Information; the report's
 * starts with the report month. So the report's is shifted by one: its byte 1 is this record's
 * status, and the 24th month back, beyond the report, is `B` after `B` and else `D` (no data).
 */
export const metro2Profile = (reportProfile: string): string => {
  const earlier = reportProfile.slice(1, 24);
  return earlier + (earlier.endsWith('B') ? 'B' : 'D');
};

/** The report month's status: `11` when current, else the past-due status of the profile's ladder. */
export const statusOfProfile = (reportProfile: string): { status: string; monthsBehind: number } => {
  // A pending or disputed month (`D`) carries the last settled month's standing.
  const settled = [...reportProfile].find((code) => code >= '0' && code <= '6') ?? '0';
  const monthsBehind = Number(settled);
  return { status: monthsBehind === 0 ? '11' : PAST_DUE_STATUSES[monthsBehind - 1]!, monthsBehind };
};

const wholeUnits = (minor: number, currency: string): number => Math.trunc(minor / 10 ** (minorUnits(currency) ?? 0));

/** Whole units of a decimal amount string (`"12.50"` gives 12): cents are dropped, as the format reports dollars. */
const minorOf = (amount: string, currency: string): number => {
  const [whole, fraction = ''] = amount.split('.');
  const digits = minorUnits(currency) ?? 0;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0').slice(0, digits) || '0');
};

export { wholeUnits };

/**
 * Metro 2's State is required whatever the country (moov-io/metro2 base_segment.go: `State` `validate:"required"`,
 * Country Code optional; no code list is checked): an address outside the US is furnishable with a two-letter region,
 * and without one the account is left out with this reason rather than failing the whole file (decision 0020).
 */
export const NO_STATE_REASON = 'its address has no State (Metro 2 requires one)';

const skipReason = (commitment: Metro2Source, consumer: Metro2Consumer): string | undefined => {
  if (consumer.state.trim() === '') return NO_STATE_REASON;
  if (commitment.consent !== undefined && !commitment.consent.report) return 'the customer has not opted it in';
  if (commitment.kind === null) return 'its kind is unknown';
  if (ACCOUNT_TYPE_OF_KIND[commitment.kind] === undefined) {
    return `Metro 2 has no account type for kind ${commitment.kind}`;
  }
  return undefined;
};

/** The first kept cycle's due date within the report's 24 months. */
const firstKeptDate = (commitment: Metro2Source): string | undefined => {
  const kept = commitment.history.filter((month) => month.status === 'kept');
  const first = kept[kept.length - 1];
  return first && dueDateIn(first.month, commitment.dueDay);
};

const delinquency = (commitment: Metro2Source, month: string, monthsBehind: number) => {
  if (monthsBehind === 0) return { amountPastDue: 0 };
  let firstMissed = month;
  for (let step = 1; step < monthsBehind; step += 1) firstMissed = previousMonth(firstMissed);
  // The amount of a missed cycle is not in the report, only the months behind: see decision 0017.
  return { amountPastDue: 0, dateOfFirstDelinquency: dueDateIn(firstMissed, commitment.dueDay) };
};

/**
 * The account a commitment is furnished as for `month`, or why it is not furnished. An erased
 * consumer's account is furnished as deleted (`DA`); the caller sends that once (issue 23).
 */
export const accountFromCommitment = (
  commitment: Metro2Source,
  consumer: Metro2Consumer | 'erased',
  month: string,
  options: Metro2Options,
): Metro2Account | Metro2Skipped => {
  const reason = consumer === 'erased' ? undefined : skipReason(commitment, consumer);
  if (reason !== undefined) return { skipped: reason };
  const dateOpened = firstKeptDate(commitment);
  if (dateOpened === undefined) return { skipped: 'it has no kept cycle in 24 months' };
  const { status, monthsBehind } = statusOfProfile(commitment.paymentHistoryProfile);
  const paid = minorOf(commitment.amount, commitment.currency);
  const corrected = commitment.disputes?.some((dispute) => dispute.month === month && dispute.state === 'corrected');
  return {
    accountNumber: accountNumberOf(options.userId, commitment.commitmentId),
    accountType: ACCOUNT_TYPE_OF_KIND[commitment.kind ?? ''] ?? '29',
    dateOpened,
    scheduledPayment: monthsBehind === 0 ? paid : 0,
    actualPayment: paid,
    currency: commitment.currency,
    accountStatus: consumer === 'erased' ? 'DA' : status,
    paymentHistoryProfile: metro2Profile(commitment.paymentHistoryProfile),
    complianceCondition: commitment.complianceCondition === 'XB' ? 'XB' : '',
    ...(options.resent || corrected ? { correctionIndicator: '1' as const } : {}),
    ...(consumer === 'erased' ? { amountPastDue: 0 } : delinquency(commitment, month, monthsBehind)),
    dateOfAccountInformation: lastDayOf(month),
    ...(commitment.lastPaidOn ? { dateOfLastPayment: commitment.lastPaidOn } : {}),
    consumer,
  };
};
