import { type FieldSpec, fieldText, formatField, layRecord } from '#domain/metro2/fields';
import { BASE_FIELDS, HEADER_FIELDS, TRAILER_FIELDS, fieldNamed } from '#domain/metro2/layouts';
import { metro2BaseSegment, metro2Header } from '#domain/metro2/records';
import { account, consumer, furnisher, metro2File } from '../../../support/metro2';

// Every field of the three records at the position and width the format documents (CDIA Metro 2 character
// format, 426-byte records, positions 1-based as in moov-io/metro2's specifications); then each record the
// writer makes, field by field.

type Place = readonly [name: string, start: number, length: number];

const HEADER: Place[] = [
  ['recordDescriptorWord', 1, 4],
  ['recordIdentifier', 5, 6],
  ['cycleIdentifier', 11, 2],
  ['innovisProgramIdentifier', 13, 10],
  ['equifaxProgramIdentifier', 23, 10],
  ['experianProgramIdentifier', 33, 5],
  ['transUnionProgramIdentifier', 38, 10],
  ['activityDate', 48, 8],
  ['dateCreated', 56, 8],
  ['programDate', 64, 8],
  ['programRevisionDate', 72, 8],
  ['reporterName', 80, 40],
  ['reporterAddress', 120, 96],
  ['reporterTelephoneNumber', 216, 10],
  ['softwareVendorName', 226, 40],
  ['softwareVersionNumber', 266, 5],
  ['prbcProgramIdentifier', 271, 10],
  ['reserved', 281, 146],
];

const BASE: Place[] = [
  ['recordDescriptorWord', 1, 4],
  ['processingIndicator', 5, 1],
  ['timeStamp', 6, 14],
  ['correctionIndicator', 20, 1],
  ['identificationNumber', 21, 20],
  ['cycleIdentifier', 41, 2],
  ['consumerAccountNumber', 43, 30],
  ['portfolioType', 73, 1],
  ['accountType', 74, 2],
  ['dateOpened', 76, 8],
  ['creditLimit', 84, 9],
  ['highestCredit', 93, 9],
  ['termsDuration', 102, 3],
  ['termsFrequency', 105, 1],
  ['scheduledMonthlyPaymentAmount', 106, 9],
  ['actualPaymentAmount', 115, 9],
  ['accountStatus', 124, 2],
  ['paymentRating', 126, 1],
  ['paymentHistoryProfile', 127, 24],
  ['specialComment', 151, 2],
  ['complianceConditionCode', 153, 2],
  ['currentBalance', 155, 9],
  ['amountPastDue', 164, 9],
  ['originalChargeOffAmount', 173, 9],
  ['dateOfAccountInformation', 182, 8],
  ['dateOfFirstDelinquency', 190, 8],
  ['dateClosed', 198, 8],
  ['dateOfLastPayment', 206, 8],
  ['interestTypeIndicator', 214, 1],
  ['reserved', 215, 17],
  ['surname', 232, 25],
  ['firstName', 257, 20],
  ['middleName', 277, 20],
  ['generationCode', 297, 1],
  ['socialSecurityNumber', 298, 9],
  ['dateOfBirth', 307, 8],
  ['telephoneNumber', 315, 10],
  ['ecoaCode', 325, 1],
  ['consumerInformationIndicator', 326, 2],
  ['countryCode', 328, 2],
  ['firstLineOfAddress', 330, 32],
  ['secondLineOfAddress', 362, 32],
  ['city', 394, 20],
  ['state', 414, 2],
  ['postalCode', 416, 9],
  ['addressIndicator', 425, 1],
  ['residenceCode', 426, 1],
];

const STATUS_COUNTS = [
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
];
const TRAILER: Place[] = [
  ['recordDescriptorWord', 1, 4],
  ['recordIdentifier', 5, 7],
  ['totalBaseRecords', 12, 9],
  ['reserved1', 21, 9],
  ['totalStatusCodeDF', 30, 9],
  ['totalJ1Segments', 39, 9],
  ['totalJ2Segments', 48, 9],
  ['blockCount', 57, 9],
  ...STATUS_COUNTS.map((status, index): Place => [`totalStatusCode${status}`, 66 + 9 * index, 9]),
  ['totalEcoaCodeZ', 264, 9],
  ['totalEmploymentSegments', 273, 9],
  ['totalOriginalCreditorSegments', 282, 9],
  ['totalPurchasedToSoldFromSegments', 291, 9],
  ['totalMortgageInformationSegments', 300, 9],
  ['totalSpecializedPaymentSegments', 309, 9],
  ['totalChangeSegments', 318, 9],
  ['totalSocialNumbersAllSegments', 327, 9],
  ['totalSocialNumbersBaseSegments', 336, 9],
  ['totalSocialNumbersJ1Segments', 345, 9],
  ['totalSocialNumbersJ2Segments', 354, 9],
  ['totalDatesOfBirthAllSegments', 363, 9],
  ['totalDatesOfBirthBaseSegments', 372, 9],
  ['totalDatesOfBirthJ1Segments', 381, 9],
  ['totalDatesOfBirthJ2Segments', 390, 9],
  ['totalTelephoneNumbersAllSegments', 399, 9],
  ['reserved2', 408, 19],
];

const SAMPLE: Record<FieldSpec['type'], string | number> = {
  text: 'X',
  number: 7,
  date: '2026-01-02',
  timestamp: '01022026123000',
};

describe.each([
  ['header', HEADER_FIELDS, HEADER],
  ['base segment', BASE_FIELDS, BASE],
  ['trailer', TRAILER_FIELDS, TRAILER],
] as const)('the %s layout', (_record, fields, places) => {
  it('lists every field at its documented position and width, covering the 426 bytes once', () => {
    expect(fields.map(({ name, start, length }) => [name, start, length])).toEqual(places);
    expect(places.reduce((end, [, start, length]) => (expect(start).toBe(end + 1), end + length), 0)).toBe(426);
  });
  it.each(places)('writes %s into bytes %i to %i wide and nowhere else', (name, start, length) => {
    const field = fieldNamed(fields, name);
    const blank = layRecord(fields, {});
    const record = layRecord(fields, { [name]: SAMPLE[field.type] });
    const written = formatField(field, SAMPLE[field.type]);
    expect(record.slice(start - 1, start - 1 + length)).toBe(written);
    expect(written).not.toBe(fieldText(blank, field));
    expect(record.slice(0, start - 1) + record.slice(start - 1 + length)).toBe(
      blank.slice(0, start - 1) + blank.slice(start - 1 + length),
    );
  });
});

const valuesOf = (record: string, fields: readonly FieldSpec[]) =>
  Object.fromEntries(fields.map((field) => [field.name, fieldText(record, field)]));

describe('the records the writer makes', () => {
  it('the header: the receiving bureau, the dates and the reporter, blank- and zero-filled elsewhere', () => {
    const header = valuesOf(
      metro2Header({ furnisher, activityDate: '2026-11-30', dateCreated: '2026-12-01' }),
      HEADER_FIELDS,
    );
    expect(header).toEqual({
      recordDescriptorWord: '0426',
      recordIdentifier: 'HEADER',
      cycleIdentifier: '  ',
      innovisProgramIdentifier: ' '.repeat(10),
      equifaxProgramIdentifier: 'EFX0000001',
      experianProgramIdentifier: ' '.repeat(5),
      transUnionProgramIdentifier: ' '.repeat(10),
      activityDate: '11302026',
      dateCreated: '12012026',
      programDate: '00000000',
      programRevisionDate: '00000000',
      reporterName: 'PAYMENTS TRACKER'.padEnd(40),
      reporterAddress: '100 EXAMPLE AVE ANYTOWN CA 90000'.padEnd(96),
      reporterTelephoneNumber: '2025550100',
      softwareVendorName: 'PAYMENTS TRACKER'.padEnd(40),
      softwareVersionNumber: '1.0  ',
      prbcProgramIdentifier: ' '.repeat(10),
      reserved: ' '.repeat(146),
    });
  });
  it('a base segment: every field of a current rent account', () => {
    const base = valuesOf(metro2BaseSegment(account(), furnisher), BASE_FIELDS);
    expect(base).toEqual({
      recordDescriptorWord: '0426',
      processingIndicator: '1',
      timeStamp: '0'.repeat(14),
      correctionIndicator: '0',
      identificationNumber: 'PTRK00001'.padEnd(20),
      cycleIdentifier: '  ',
      consumerAccountNumber: account().accountNumber,
      portfolioType: 'O',
      accountType: '29',
      dateOpened: '10152026',
      creditLimit: '000000000',
      highestCredit: '000001500',
      termsDuration: '001',
      termsFrequency: 'M',
      scheduledMonthlyPaymentAmount: '000001500',
      actualPaymentAmount: '000001500',
      accountStatus: '11',
      paymentRating: ' ',
      paymentHistoryProfile: '0' + 'B'.repeat(23),
      specialComment: '  ',
      complianceConditionCode: '  ',
      currentBalance: '000000000',
      amountPastDue: '000000000',
      originalChargeOffAmount: '000000000',
      dateOfAccountInformation: '11302026',
      dateOfFirstDelinquency: '00000000',
      dateClosed: '00000000',
      dateOfLastPayment: '11142026',
      interestTypeIndicator: ' ',
      reserved: ' '.repeat(17),
      surname: 'PUBLIC'.padEnd(25),
      firstName: 'JOHN'.padEnd(20),
      middleName: 'Q'.padEnd(20),
      generationCode: 'J',
      socialSecurityNumber: '000000000',
      dateOfBirth: '01011990',
      telephoneNumber: '0000000000',
      ecoaCode: '1',
      consumerInformationIndicator: '  ',
      countryCode: 'US',
      firstLineOfAddress: '123 MAIN ST'.padEnd(32),
      secondLineOfAddress: 'APT 4'.padEnd(32),
      city: 'SPRINGFIELD'.padEnd(20),
      state: 'IL',
      postalCode: '62701    ',
      addressIndicator: ' ',
      residenceCode: ' ',
    });
    expect(consumer.surname).toBe('Public');
  });
  it('a past-due account: status, amounts past due, balance and the date of first delinquency', () => {
    // November, October and September missed (due on the 15th, £1,500.75), August kept: on 30 November the
    // oldest unpaid cycle is 76 days late (78); September's and October's are 30+ days past due, November's not.
    const behind = valuesOf(
      metro2BaseSegment(account({}, ['missed', 'missed', 'missed', 'kept']), furnisher),
      BASE_FIELDS,
    );
    expect(behind).toMatchObject({
      accountStatus: '78',
      amountPastDue: '000003001',
      currentBalance: '000004502',
      dateOfFirstDelinquency: '10152026',
      paymentHistoryProfile: '100' + 'B'.repeat(21),
    });
  });
  it('the trailer: counts tallied as the bases were written, Block Count with header and trailer', () => {
    const lines = metro2File([
      account(),
      account({ commitmentId: 'b' }, ['missed', 'missed', 'missed', 'kept']),
      account({}, undefined, 'erased'),
    ]);
    const trailer = valuesOf(lines.at(-1)!, TRAILER_FIELDS);
    const nines = (count: number) => String(count).padStart(9, '0');
    expect(trailer).toEqual({
      ...Object.fromEntries(TRAILER.map(([name]) => [name, nines(0)])),
      recordDescriptorWord: '0426',
      recordIdentifier: 'TRAILER',
      reserved1: ' '.repeat(9),
      reserved2: ' '.repeat(19),
      totalBaseRecords: nines(3),
      blockCount: nines(5),
      totalStatusCode11: nines(1),
      totalStatusCode78: nines(1),
      totalStatusCodeDA: nines(1),
      totalDatesOfBirthAllSegments: nines(2),
      totalDatesOfBirthBaseSegments: nines(2),
    });
  });
});
