import type { FieldSpec, FieldType } from '#domain/metro2/fields';

/**
 * The three record layouts we write (header, base segment, trailer), field by field in order, as
 * moov-io/metro2 `pkg/lib/specifications.go` (character format) lays them out; positions follow
 * from the lengths, and the unit tests check each against the documented position.
 */

type Row = readonly [name: string, length: number, type: FieldType, required?: 'required'];

const layout = (rows: readonly Row[]): readonly FieldSpec[] => {
  let start = 1;
  return rows.map(([name, length, type, required]) => {
    const field: FieldSpec = { name, start, length, type, ...(required ? { required: true } : {}) };
    start += length;
    return field;
  });
};

export const HEADER_FIELDS = layout([
  ['recordDescriptorWord', 4, 'number', 'required'],
  ['recordIdentifier', 6, 'text', 'required'],
  ['cycleIdentifier', 2, 'text'],
  ['innovisProgramIdentifier', 10, 'text'],
  ['equifaxProgramIdentifier', 10, 'text'],
  ['experianProgramIdentifier', 5, 'text'],
  ['transUnionProgramIdentifier', 10, 'text'],
  ['activityDate', 8, 'date', 'required'],
  ['dateCreated', 8, 'date', 'required'],
  ['programDate', 8, 'date'],
  ['programRevisionDate', 8, 'date'],
  ['reporterName', 40, 'text', 'required'],
  ['reporterAddress', 96, 'text', 'required'],
  ['reporterTelephoneNumber', 10, 'number'],
  ['softwareVendorName', 40, 'text'],
  ['softwareVersionNumber', 5, 'text'],
  ['prbcProgramIdentifier', 10, 'text'],
  ['reserved', 146, 'text'],
]);

export const BASE_FIELDS = layout([
  ['recordDescriptorWord', 4, 'number', 'required'],
  ['processingIndicator', 1, 'number'],
  ['timeStamp', 14, 'timestamp'],
  ['correctionIndicator', 1, 'number'],
  ['identificationNumber', 20, 'text', 'required'],
  ['cycleIdentifier', 2, 'text'],
  ['consumerAccountNumber', 30, 'text', 'required'],
  ['portfolioType', 1, 'text', 'required'],
  ['accountType', 2, 'text', 'required'],
  ['dateOpened', 8, 'date', 'required'],
  ['creditLimit', 9, 'number'],
  ['highestCredit', 9, 'number'],
  ['termsDuration', 3, 'text', 'required'],
  ['termsFrequency', 1, 'text'],
  ['scheduledMonthlyPaymentAmount', 9, 'number'],
  ['actualPaymentAmount', 9, 'number'],
  ['accountStatus', 2, 'text', 'required'],
  ['paymentRating', 1, 'text'],
  ['paymentHistoryProfile', 24, 'text', 'required'],
  ['specialComment', 2, 'text'],
  ['complianceConditionCode', 2, 'text'],
  ['currentBalance', 9, 'number'],
  ['amountPastDue', 9, 'number'],
  ['originalChargeOffAmount', 9, 'number'],
  ['dateOfAccountInformation', 8, 'date', 'required'],
  ['dateOfFirstDelinquency', 8, 'date'],
  ['dateClosed', 8, 'date'],
  ['dateOfLastPayment', 8, 'date'],
  ['interestTypeIndicator', 1, 'text'],
  ['reserved', 17, 'text'],
  ['surname', 25, 'text', 'required'],
  ['firstName', 20, 'text', 'required'],
  ['middleName', 20, 'text'],
  ['generationCode', 1, 'text'],
  ['socialSecurityNumber', 9, 'number'],
  ['dateOfBirth', 8, 'date'],
  ['telephoneNumber', 10, 'number'],
  ['ecoaCode', 1, 'text', 'required'],
  ['consumerInformationIndicator', 2, 'text'],
  ['countryCode', 2, 'text'],
  ['firstLineOfAddress', 32, 'text', 'required'],
  ['secondLineOfAddress', 32, 'text'],
  ['city', 20, 'text', 'required'],
  ['state', 2, 'text', 'required'],
  ['postalCode', 9, 'text', 'required'],
  ['addressIndicator', 1, 'text'],
  ['residenceCode', 1, 'text'],
]);

/** Account Status codes with a trailer count, in the trailer's order. */
export const COUNTED_STATUSES = [
  'DA',
  '05',
  '11',
  '13',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '78',
  '80',
  '82',
  '83',
  '84',
  '88',
  '89',
  '93',
  '94',
  '95',
  '96',
  '97',
] as const;

const count = (name: string, required?: 'required'): Row =>
  required ? [name, 9, 'number', required] : [name, 9, 'number'];

export const TRAILER_FIELDS = layout([
  ['recordDescriptorWord', 4, 'number', 'required'],
  ['recordIdentifier', 7, 'text', 'required'],
  count('totalBaseRecords', 'required'),
  ['reserved1', 9, 'text'],
  count('totalStatusCodeDF'),
  count('totalJ1Segments'),
  count('totalJ2Segments'),
  count('blockCount', 'required'),
  ...COUNTED_STATUSES.map((status) => count(`totalStatusCode${status}`)),
  count('totalEcoaCodeZ'),
  count('totalEmploymentSegments'),
  count('totalOriginalCreditorSegments'),
  count('totalPurchasedToSoldFromSegments'),
  count('totalMortgageInformationSegments'),
  count('totalSpecializedPaymentSegments'),
  count('totalChangeSegments'),
  count('totalSocialNumbersAllSegments'),
  count('totalSocialNumbersBaseSegments'),
  count('totalSocialNumbersJ1Segments'),
  count('totalSocialNumbersJ2Segments'),
  count('totalDatesOfBirthAllSegments'),
  count('totalDatesOfBirthBaseSegments'),
  count('totalDatesOfBirthJ1Segments'),
  count('totalDatesOfBirthJ2Segments'),
  count('totalTelephoneNumbersAllSegments'),
  ['reserved2', 19, 'text'],
]);

export const fieldNamed = (fields: readonly FieldSpec[], name: string): FieldSpec => {
  const field = fields.find((candidate) => candidate.name === name);
  if (!field) throw new RangeError(`No Metro 2 field ${name}`);
  return field;
};
