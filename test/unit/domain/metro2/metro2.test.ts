import { NO_STATE_REASON, accountFromCommitment, type Metro2Account, type Metro2Source } from '#domain/metro2/account';
import { fieldText } from '#domain/metro2/fields';
import { BASE_FIELDS, TRAILER_FIELDS, fieldNamed } from '#domain/metro2/layouts';
import { Metro2Trailer, metro2BaseSegment, metro2Header, type Metro2Furnisher } from '#domain/metro2/records';
import { validateMetro2File } from '#domain/metro2/validate';

const furnisher: Metro2Furnisher = {
  identificationNumber: 'PTRK00001',
  reporterName: 'Payments Tracker',
  reporterAddress: '100 Example Ave Anytown CA 90000',
  bureau: 'equifax',
  programIdentifier: 'EFX0000001',
  softwareVersion: '1.0',
};
const consumer = {
  surname: 'Public',
  firstName: 'John',
  dateOfBirth: '1990-01-01',
  addressLine1: '123 Main St',
  city: 'Springfield',
  state: 'IL',
  postalCode: '62701',
  countryCode: 'US',
};
const history = (statuses: string[]) =>
  statuses.map((status, index) => ({ month: `2026-${String(11 - index).padStart(2, '0')}`, status }));

const commitment = (overrides: Partial<Metro2Source> = {}): Metro2Source =>
  ({
    commitmentId: 'GBP#puregym',
    payee: 'PureGym',
    payeeKey: 'puregym',
    kind: 'rent',
    currency: 'GBP',
    amount: '1500.75',
    dueDay: 15,
    lastPaidOn: '2026-11-14',
    streak: 2,
    history: history(['kept', 'kept', 'none']),
    paymentHistoryProfile: '00' + 'B'.repeat(22),
    clientIds: [],
    selfReported: true,
    payments: [],
    ...overrides,
  }) as Metro2Source;

const account = (overrides: Partial<Metro2Source> = {}): Metro2Account => {
  const mapped = accountFromCommitment(commitment(overrides), consumer, '2026-11', { userId: 'u1' });
  if ('skipped' in mapped) throw new Error(mapped.skipped);
  return mapped;
};

const file = (accounts: Metro2Account[]): string[] => {
  const trailer = new Metro2Trailer();
  const bases = accounts.map((each) => (trailer.add(each), metro2BaseSegment(each, furnisher)));
  return [
    metro2Header({ furnisher, activityDate: '2026-11-30', dateCreated: '2026-12-01' }),
    ...bases,
    trailer.record(),
  ];
};
const options = { today: '2026-12-06' };

describe('Metro 2 records', () => {
  const base = metro2BaseSegment(account(), furnisher);
  it.each([
    ['recordDescriptorWord', 1, 4, '0426'],
    ['processingIndicator', 5, 1, '1'],
    ['correctionIndicator', 20, 1, '0'],
    ['identificationNumber', 21, 20, 'PTRK00001'.padEnd(20)],
    ['portfolioType', 73, 1, 'O'],
    ['accountType', 74, 2, '29'],
    ['dateOpened', 76, 8, '10152026'],
    ['termsDuration', 102, 3, '001'],
    ['scheduledMonthlyPaymentAmount', 106, 9, '000001500'],
    ['actualPaymentAmount', 115, 9, '000001500'],
    ['accountStatus', 124, 2, '11'],
    ['paymentHistoryProfile', 127, 24, '0' + 'B'.repeat(23)],
    ['dateOfAccountInformation', 182, 8, '11302026'],
    ['surname', 232, 25, 'PUBLIC'.padEnd(25)],
    ['dateOfBirth', 307, 8, '01011990'],
    ['postalCode', 416, 9, '62701    '],
  ])('base %s at %i, %i wide', (name, start, length, expected) => {
    expect(fieldNamed(BASE_FIELDS, name)).toMatchObject({ start, length });
    expect(base.slice(start - 1, start - 1 + length)).toBe(expected);
  });
  it('is 426 bytes and the trailer counts it', () => {
    const lines = file([account()]);
    expect(lines.map((line) => line.length)).toEqual([426, 426, 426]);
    expect(fieldText(lines[2]!, fieldNamed(TRAILER_FIELDS, 'totalStatusCode11'))).toBe('000000001');
    expect(fieldNamed(TRAILER_FIELDS, 'totalStatusCode11').start).toBe(84);
    expect(fieldText(lines[2]!, fieldNamed(TRAILER_FIELDS, 'blockCount'))).toBe('000000003');
  });
});

describe('accountFromCommitment', () => {
  it('skips unknown kinds and kinds with no account type', () => {
    expect(accountFromCommitment(commitment({ kind: null }), consumer, '2026-11', { userId: 'u1' })).toEqual({
      skipped: 'its kind is unknown',
    });
    expect(
      accountFromCommitment(commitment({ kind: 'subscription' }), consumer, '2026-11', { userId: 'u1' }),
    ).toHaveProperty('skipped');
  });
  it('a GB address: furnished with a two-letter region in State, which passes the validator; without one, skipped', async () => {
    const gb = { ...consumer, city: 'LONDON', state: 'LN', postalCode: 'E16AN', countryCode: 'GB' };
    const mapped = accountFromCommitment(commitment(), gb, '2026-11', { userId: 'u1' }) as Metro2Account;
    const lines = file([mapped]);
    expect(fieldText(lines[1]!, fieldNamed(BASE_FIELDS, 'countryCode'))).toBe('GB');
    expect(fieldText(lines[1]!, fieldNamed(BASE_FIELDS, 'state'))).toBe('LN');
    expect(await validateMetro2File(lines, options)).toEqual([]);
    expect(accountFromCommitment(commitment(), { ...gb, state: '' }, '2026-11', { userId: 'u1' })).toEqual({
      skipped: NO_STATE_REASON,
    });
  });
  it('a missed month is 30 days behind (71), XB on open disputes, DA when erased', () => {
    expect(account({ paymentHistoryProfile: '10' + 'B'.repeat(22) }).accountStatus).toBe('71');
    expect(account({ complianceCondition: 'XB' }).complianceCondition).toBe('XB');
    const erased = accountFromCommitment(commitment(), 'erased', '2026-11', { userId: 'u1' });
    expect(erased).toMatchObject({ accountStatus: 'DA' });
  });
});

describe('validateMetro2File', () => {
  it('passes a file the writer made', async () => {
    expect(await validateMetro2File(file([account(), account({ commitmentId: 'x' })]), options)).toEqual([]);
  });
  const broken = (name: string, text: string): string[] => {
    const lines = file([account()]);
    const field = fieldNamed(BASE_FIELDS, name);
    lines[1] = lines[1]!.slice(0, field.start - 1) + text + lines[1]!.slice(field.start - 1 + field.length);
    return lines;
  };
  it.each([
    ['required', 'surname', ' '.repeat(25)],
    ['numeric', 'amountPastDue', '00000000X'],
    ['date', 'dateOpened', '02302026'],
    ['allowed-value', 'accountType', 'ZZ'],
    ['payment-rating', 'paymentRating', '1'],
    ['profile-characters', 'paymentHistoryProfile', 'Z'.repeat(24)],
    ['profile-b-trailing', 'paymentHistoryProfile', 'B0' + 'B'.repeat(22)],
    ['future-date', 'dateOfLastPayment', '12312026'],
    ['current-past-due', 'amountPastDue', '000000010'],
    ['current-delinquency', 'dateOfFirstDelinquency', '10152026'],
    ['character-class', 'city', '`'.padEnd(20)],
  ])('%s on %s', async (rule, field, text) => {
    expect(await validateMetro2File(broken(field, text), options)).toContainEqual(
      expect.objectContaining({ record: 2, rule, field }),
    );
  });
  it('recomputes the trailer and checks last month', async () => {
    const lines = file([account()]);
    lines[2] = lines[2]!.replace('TRAILER000000001', 'TRAILER000000002');
    expect(await validateMetro2File(lines, options)).toContainEqual(
      expect.objectContaining({ record: 3, rule: 'trailer-total', field: 'totalBaseRecords' }),
    );
    const number = account().accountNumber;
    expect(
      await validateMetro2File(file([account()]), { ...options, lastMonthStatus: new Map([[number, '71']]) }),
    ).toContainEqual(expect.objectContaining({ rule: 'profile-last-month' }));
    expect(await validateMetro2File([lines[0]!.slice(1), lines[1]!, lines[2]!], options)).toContainEqual(
      expect.objectContaining({ record: 1, rule: 'length' }),
    );
  });
});
