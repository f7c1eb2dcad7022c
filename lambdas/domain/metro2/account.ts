import { createHash } from 'node:crypto';
import { minorUnits } from '#domain/currencies';
import { dueDate } from '#domain/commitment-cycles';
import type { Commitment } from '#domain/report';
import { lastDayOf, metro2ProfileOf, standingAt, statusOfStanding } from '#domain/metro2/standing';

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
  /** Minor units: every unpaid cycle due by the Date of Account Information. */
  currentBalance: number;
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

/** An erased customer's account is deleted whatever the consent now; one of a kind never furnished is not sent. */
const skipReason = (commitment: Metro2Source, consumer: Metro2Consumer | 'erased'): string | undefined => {
  const erased = consumer === 'erased';
  if (!erased && consumer.state.trim() === '') return NO_STATE_REASON;
  if (!erased && commitment.consent !== undefined && !commitment.consent.report) {
    return 'the customer has not opted it in';
  }
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
  return first && dueDate(first.month, commitment.dueDay);
};

/**
 * What a cycle is expected to cost: the report's scheduled amount (its latest payment), else this
 * cycle's total, for reports built before the scheduled amount was kept.
 */
const scheduledMinor = (commitment: Metro2Source): number =>
  minorOf(commitment.scheduledAmount ?? commitment.amount, commitment.currency);

/**
 * Status, amounts and dates at the Date of Account Information (decision 0017): Amount Past Due is
 * the scheduled amounts of the cycles 30 days or more past due ("do not include current amount
 * due"), the Current Balance every unpaid cycle due by then, the Date of First Delinquency 30 days
 * after the oldest unpaid cycle's due date, present exactly when the status is past due.
 */
const standingFields = (commitment: Metro2Source, scheduled: number) => {
  const standing = standingAt(commitment.history, 0, commitment.dueDay);
  const status = statusOfStanding(standing);
  return {
    accountStatus: status,
    amountPastDue: status === '11' ? 0 : standing.cyclesPastDue * scheduled,
    currentBalance: standing.cyclesDue * scheduled,
    ...(status !== '11' && standing.dateOfFirstDelinquency
      ? { dateOfFirstDelinquency: standing.dateOfFirstDelinquency }
      : {}),
  };
};

/** A deleted account (`DA`): nothing owed, no delinquency; the bureau removes the tradeline. */
const ERASED_FIELDS = { accountStatus: 'DA', amountPastDue: 0, currentBalance: 0 } as const;

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
  const reason = skipReason(commitment, consumer);
  if (reason !== undefined) return { skipped: reason };
  const dateOpened = firstKeptDate(commitment);
  if (dateOpened === undefined) return { skipped: 'it has no kept cycle in 24 months' };
  const scheduled = scheduledMinor(commitment);
  const corrected = commitment.disputes?.some((dispute) => dispute.month === month && dispute.state === 'corrected');
  return {
    accountNumber: accountNumberOf(options.userId, commitment.commitmentId),
    accountType: ACCOUNT_TYPE_OF_KIND[commitment.kind!]!,
    dateOpened,
    scheduledPayment: scheduled,
    actualPayment: minorOf(commitment.amount, commitment.currency),
    currency: commitment.currency,
    paymentHistoryProfile: metro2ProfileOf(commitment.history, commitment.dueDay),
    complianceCondition: commitment.complianceCondition === 'XB' ? 'XB' : '',
    ...(options.resent || corrected ? { correctionIndicator: '1' as const } : {}),
    ...(consumer === 'erased' ? ERASED_FIELDS : standingFields(commitment, scheduled)),
    dateOfAccountInformation: lastDayOf(month),
    ...(commitment.lastPaidOn ? { dateOfLastPayment: commitment.lastPaidOn } : {}),
    consumer,
  };
};
