import {
  accountFromCommitment,
  type Metro2Account,
  type Metro2Consumer,
  type Metro2Source,
} from '#domain/metro2/account';
import { Metro2Trailer, metro2BaseSegment, metro2Header, type Metro2Furnisher } from '#domain/metro2/records';
import { previousMonth } from '#domain/month';
import { type CycleStatus, type HistoryMonth, paymentHistoryProfile } from '#domain/payment-history';

/** Metro 2 fixtures shared by the record, mapping and validator tests: one furnisher, consumer and commitment. */

export const MONTH = '2026-11';
export const TODAY = '2026-12-06';

/** 24 months back from `month`, `statuses[i]` for month i back, `none` beyond. */
export const history = (statuses: readonly CycleStatus[], month = MONTH): HistoryMonth[] => {
  const months: HistoryMonth[] = [];
  for (let at = month; months.length < 24; at = previousMonth(at)) {
    months.push({ month: at, status: statuses[months.length] ?? 'none' });
  }
  return months;
};

export const furnisher: Metro2Furnisher = {
  identificationNumber: 'PTRK00001',
  reporterName: 'Payments Tracker',
  reporterAddress: '100 Example Ave Anytown CA 90000',
  reporterTelephone: 2025550100,
  bureau: 'equifax',
  programIdentifier: 'EFX0000001',
  softwareVersion: '1.0',
};

export const consumer: Metro2Consumer = {
  surname: 'Public',
  firstName: 'John',
  middleName: 'Q',
  generationCode: 'J',
  dateOfBirth: '1990-01-01',
  addressLine1: '123 Main St',
  addressLine2: 'Apt 4',
  city: 'Springfield',
  state: 'IL',
  postalCode: '62701',
  countryCode: 'US',
};

/** A rent commitment due on the 15th, £1,500.75 a month, with `statuses[i]` for month i back from November 2026. */
export const commitment = (
  overrides: Partial<Metro2Source> = {},
  statuses: CycleStatus[] = ['kept', 'kept'],
): Metro2Source =>
  ({
    commitmentId: 'GBP#ref#LEASE-1',
    payee: 'Acme Lettings',
    payeeKey: 'acme lettings',
    kind: 'rent',
    currency: 'GBP',
    amount: '1500.75',
    scheduledAmount: '1500.75',
    dueDay: 15,
    lastPaidOn: '2026-11-14',
    streak: 2,
    history: history(statuses),
    paymentHistoryProfile: paymentHistoryProfile(history(statuses)),
    clientIds: [],
    selfReported: true,
    payments: [],
    ...overrides,
  }) as Metro2Source;

export const account = (
  overrides: Partial<Metro2Source> = {},
  statuses?: CycleStatus[],
  who: Metro2Consumer | 'erased' = consumer,
): Metro2Account => {
  const mapped = accountFromCommitment(commitment(overrides, statuses), who, MONTH, { userId: 'u1' });
  if ('skipped' in mapped) throw new Error(mapped.skipped);
  return mapped;
};

/** Header, a base segment per account and the trailer, as the writer streams them. */
export const metro2File = (accounts: Metro2Account[]): string[] => {
  const trailer = new Metro2Trailer();
  const bases = accounts.map((each) => (trailer.add(each), metro2BaseSegment(each, furnisher)));
  return [
    metro2Header({ furnisher, activityDate: '2026-11-30', dateCreated: '2026-12-01' }),
    ...bases,
    trailer.record(),
  ];
};
