import { RECORD_LENGTH, layRecord } from '#domain/metro2/fields';
import { BASE_FIELDS, COUNTED_STATUSES, HEADER_FIELDS, TRAILER_FIELDS } from '#domain/metro2/layouts';
import { type Metro2Account, wholeUnits } from '#domain/metro2/account';

/**
 * The records of a Metro 2 character-format file: one header, a base segment per account and a
 * trailer whose counts are tallied as the bases are written (so a file streams: nothing is held
 * but the counts). Each record is 426 bytes, the Record Descriptor Word first. Pure.
 */

/** Who sends the file, and to which bureau: the header and every base segment carry it. */
export interface Metro2Furnisher {
  /** The furnisher's id at the bureau, the same every month (base segment Identification Number). */
  identificationNumber: string;
  reporterName: string;
  reporterAddress: string;
  reporterTelephone?: number;
  /** Only the receiving bureau's program identifier is filled. */
  bureau: 'equifax' | 'experian' | 'transunion' | 'innovis';
  programIdentifier: string;
  softwareVersion: string;
}

export interface Metro2HeaderFields {
  furnisher: Metro2Furnisher;
  /** The latest Date of Account Information in the file, `YYYY-MM-DD`. */
  activityDate: string;
  /** `YYYY-MM-DD`. */
  dateCreated: string;
}

const RDW = RECORD_LENGTH;

const PROGRAM_FIELD: Record<Metro2Furnisher['bureau'], string> = {
  equifax: 'equifaxProgramIdentifier',
  experian: 'experianProgramIdentifier',
  transunion: 'transUnionProgramIdentifier',
  innovis: 'innovisProgramIdentifier',
};

export const metro2Header = ({ furnisher, activityDate, dateCreated }: Metro2HeaderFields): string =>
  layRecord(HEADER_FIELDS, {
    recordDescriptorWord: RDW,
    recordIdentifier: 'HEADER',
    [PROGRAM_FIELD[furnisher.bureau]]: furnisher.programIdentifier,
    activityDate,
    dateCreated,
    reporterName: furnisher.reporterName,
    reporterAddress: furnisher.reporterAddress,
    reporterTelephoneNumber: furnisher.reporterTelephone,
    softwareVendorName: furnisher.reporterName,
    softwareVersionNumber: furnisher.softwareVersion,
  });

const consumerValues = (account: Metro2Account): Record<string, string | undefined> => {
  const { consumer } = account;
  if (consumer === 'erased') return {};
  return {
    surname: consumer.surname,
    firstName: consumer.firstName,
    middleName: consumer.middleName,
    generationCode: consumer.generationCode,
    dateOfBirth: consumer.dateOfBirth,
    ecoaCode: '1',
    countryCode: consumer.countryCode,
    firstLineOfAddress: consumer.addressLine1,
    secondLineOfAddress: consumer.addressLine2,
    city: consumer.city,
    state: consumer.state,
    postalCode: consumer.postalCode,
  };
};

/** An open (`O`) account, one payment a month (`001`, `M`): how rent, utility and telecom accounts are reported. */
export const metro2BaseSegment = (account: Metro2Account, furnisher: Metro2Furnisher): string => {
  const whole = (minor: number): number => wholeUnits(minor, account.currency);
  return layRecord(BASE_FIELDS, {
    recordDescriptorWord: RDW,
    processingIndicator: 1,
    correctionIndicator: account.correctionIndicator === '1' ? 1 : 0,
    identificationNumber: furnisher.identificationNumber,
    consumerAccountNumber: account.accountNumber,
    portfolioType: 'O',
    accountType: account.accountType,
    dateOpened: account.dateOpened,
    highestCredit: whole(account.scheduledPayment),
    termsDuration: '001',
    termsFrequency: 'M',
    scheduledMonthlyPaymentAmount: whole(account.scheduledPayment),
    actualPaymentAmount: whole(account.actualPayment),
    accountStatus: account.accountStatus,
    paymentHistoryProfile: account.paymentHistoryProfile,
    complianceConditionCode: account.complianceCondition,
    currentBalance: whole(account.currentBalance),
    amountPastDue: whole(account.amountPastDue),
    dateOfAccountInformation: account.dateOfAccountInformation,
    dateOfFirstDelinquency: account.dateOfFirstDelinquency,
    dateOfLastPayment: account.dateOfLastPayment,
    // An erased consumer's record is matched by the two numbers above; it sends no identity (decision 0017).
    ecoaCode: '1',
    ...consumerValues(account),
  });
};

/** What the trailer counts of one base segment. */
export interface BaseTally {
  accountStatus: string;
  ecoaCode: string;
  hasSocialSecurityNumber: boolean;
  hasDateOfBirth: boolean;
  hasTelephone: boolean;
}

/** The trailer, tallied base by base: the writer adds accounts, the validator adds the records it reads. */
export class Metro2Trailer {
  private readonly counts = new Map<string, number>();

  private bump(name: string): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  add(account: Metro2Account): void {
    const erased = account.consumer === 'erased';
    this.tally({
      accountStatus: account.accountStatus,
      ecoaCode: '1',
      hasSocialSecurityNumber: false,
      hasDateOfBirth: !erased,
      hasTelephone: false,
    });
  }

  tally(base: BaseTally): void {
    this.bump('totalBaseRecords');
    this.bump('blockCount');
    if (base.accountStatus === 'DF' || (COUNTED_STATUSES as readonly string[]).includes(base.accountStatus)) {
      this.bump(`totalStatusCode${base.accountStatus}`);
    }
    if (base.ecoaCode === 'Z') this.bump('totalEcoaCodeZ');
    if (base.hasSocialSecurityNumber) {
      this.bump('totalSocialNumbersAllSegments');
      this.bump('totalSocialNumbersBaseSegments');
    }
    if (base.hasDateOfBirth) {
      this.bump('totalDatesOfBirthAllSegments');
      this.bump('totalDatesOfBirthBaseSegments');
    }
    if (base.hasTelephone) this.bump('totalTelephoneNumbersAllSegments');
  }

  /** The counts so far (a part's trailer totals, decision 0023): what `fromTotals` sums back into a trailer. */
  totals(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  /** A trailer from totals summed over parts (the assemble step): the same record as if every base had been added. */
  static fromTotals(totals: Readonly<Record<string, number>>): Metro2Trailer {
    const trailer = new Metro2Trailer();
    for (const [name, count] of Object.entries(totals)) trailer.counts.set(name, count);
    return trailer;
  }

  get baseRecords(): number {
    return this.counts.get('totalBaseRecords') ?? 0;
  }

  /** Every count field's value; Block Count is the bases plus the header and the trailer (moov-io's rule). */
  values(): Record<string, number> {
    const values: Record<string, number> = {};
    for (const field of TRAILER_FIELDS)
      if (field.type === 'number') values[field.name] = this.counts.get(field.name) ?? 0;
    values.recordDescriptorWord = RDW;
    values.blockCount = this.baseRecords + 2;
    return values;
  }

  record(): string {
    return layRecord(TRAILER_FIELDS, { ...this.values(), recordIdentifier: 'TRAILER' });
  }
}
