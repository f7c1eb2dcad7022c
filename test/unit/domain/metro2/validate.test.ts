import { fieldNamed, BASE_FIELDS, HEADER_FIELDS, TRAILER_FIELDS } from '#domain/metro2/layouts';
import type { FieldSpec } from '#domain/metro2/fields';
import { validateMetro2File, type Metro2Violation } from '#domain/metro2/validate';
import { TODAY, account, metro2File } from '../../../support/metro2';

// One test per rule the validator can break: each seen failing on a bad record and passing on a good one.

const options = { today: TODAY };
const validate = (lines: string[], extra = {}): Promise<Metro2Violation[]> =>
  validateMetro2File(lines, { ...options, ...extra });

const put = (record: string, field: FieldSpec, text: string): string => {
  expect(text).toHaveLength(field.length);
  return record.slice(0, field.start - 1) + text + record.slice(field.start - 1 + field.length);
};

/** The writer's file with base fields replaced (`name: text`, the field's full width). */
const withBase = (fields: Record<string, string>, lines = metro2File([account()])): string[] => {
  let base = lines[1]!;
  for (const [name, text] of Object.entries(fields)) base = put(base, fieldNamed(BASE_FIELDS, name), text);
  return [lines[0]!, base, ...lines.slice(2)];
};

const rulesOf = (violations: Metro2Violation[]) => violations.map(({ rule, field }) => `${rule} ${field ?? ''}`.trim());

const pad = (text: string, length: number) => text.padEnd(length, ' ');
const dated = (yyyymmdd: string) => `${yyyymmdd.slice(4, 6)}${yyyymmdd.slice(6)}${yyyymmdd.slice(0, 4)}`;

it('a file the writer made passes every rule: current, past due at each step, disputed, erased', async () => {
  const behind = (missed: number) =>
    account({ commitmentId: `behind-${missed}` }, [...Array<'missed'>(missed).fill('missed'), 'kept']);
  const accounts = [
    account(),
    ...[1, 2, 3, 4, 5, 6, 7, 8, 12].map(behind),
    account({ commitmentId: 'disputed', complianceCondition: 'XB' }, ['disputed', 'missed', 'kept']),
    account({ commitmentId: 'erased' }, undefined, 'erased'),
  ];
  expect(new Set(accounts.map(({ accountStatus }) => accountStatus))).toEqual(
    new Set(['11', '71', '78', '80', '82', '83', '84', 'DA']),
  );
  expect(await validate(metro2File(accounts))).toEqual([]);
});

describe.each<[rule: string, field: string, bad: Record<string, string>, good: Record<string, string>]>([
  ['required', 'surname', { surname: pad('', 25) }, { surname: pad('SMITH', 25) }],
  [
    'required',
    'consumerAccountNumber',
    { consumerAccountNumber: pad('', 30) },
    { consumerAccountNumber: pad('A1', 30) },
  ],
  ['required', 'dateOpened', { dateOpened: '00000000' }, { dateOpened: '01012020' }],
  ['required', 'dateOfAccountInformation', { dateOfAccountInformation: '99999999' }, {}],
  ['character-class', 'city', { city: pad('`', 20) }, { city: pad("ST. JOHN'S-ON/SEA", 20) }],
  ['numeric', 'amountPastDue', { amountPastDue: '00000000X' }, { amountPastDue: '000000000' }],
  ['numeric', 'dateOfBirth', { dateOfBirth: '0101199O' }, { dateOfBirth: '02291992' }],
  ['date', 'dateOpened', { dateOpened: '02302026' }, { dateOpened: '02282026' }],
  ['allowed-value', 'portfolioType', { portfolioType: 'X' }, { portfolioType: 'I' }],
  ['allowed-value', 'accountType', { accountType: 'ZZ' }, { accountType: '4D' }],
  ['allowed-value', 'accountStatus', { accountStatus: '12' }, { accountStatus: '11' }],
  ['allowed-value', 'termsFrequency', { termsFrequency: 'X' }, { termsFrequency: 'W' }],
  ['allowed-value', 'interestTypeIndicator', { interestTypeIndicator: 'X' }, { interestTypeIndicator: 'F' }],
  ['allowed-value', 'specialComment', { specialComment: 'ZZ' }, { specialComment: 'AW' }],
  ['allowed-value', 'complianceConditionCode', { complianceConditionCode: 'XZ' }, { complianceConditionCode: 'XB' }],
  ['allowed-value', 'ecoaCode', { ecoaCode: '4' }, { ecoaCode: '2' }],
  ['allowed-value', 'correctionIndicator', { correctionIndicator: '2' }, { correctionIndicator: '1' }],
  ['allowed-value', 'termsDuration', { termsDuration: 'X01' }, { termsDuration: 'REV' }],
  [
    'identification-number',
    'identificationNumber',
    { identificationNumber: pad('99999', 20) },
    { identificationNumber: pad('12345', 20) },
  ],
  ['payment-rating', 'paymentRating', { paymentRating: '1' }, { paymentRating: ' ' }],
  [
    'payment-rating',
    'paymentRating',
    { accountStatus: '13', paymentRating: ' ' },
    { accountStatus: '13', paymentRating: '0' },
  ],
  [
    'profile-characters',
    'paymentHistoryProfile',
    { paymentHistoryProfile: 'Z'.repeat(24) },
    { paymentHistoryProfile: 'D0' + 'B'.repeat(22) },
  ],
  [
    'profile-characters',
    'paymentHistoryProfile',
    { paymentHistoryProfile: '0 ' + 'B'.repeat(22) },
    { paymentHistoryProfile: '0E' + 'B'.repeat(22) },
  ],
  [
    'profile-b-trailing',
    'paymentHistoryProfile',
    { paymentHistoryProfile: 'B0' + 'B'.repeat(22) },
    { paymentHistoryProfile: 'D0' + 'B'.repeat(22) },
  ],
  [
    'future-date',
    'dateOfLastPayment',
    { dateOfLastPayment: dated('20261207') },
    { dateOfLastPayment: dated('20261206') },
  ],
  ['future-date', 'dateOpened', { dateOpened: dated('20270101') }, { dateOpened: dated('20200101') }],
  ['current-past-due', 'amountPastDue', { amountPastDue: '000000010' }, { amountPastDue: '000000000' }],
  [
    'current-delinquency',
    'dateOfFirstDelinquency',
    { dateOfFirstDelinquency: '10152026' },
    { dateOfFirstDelinquency: '00000000' },
  ],
  [
    'past-due-amount',
    'amountPastDue',
    { accountStatus: '71', amountPastDue: '000000000', dateOfFirstDelinquency: '11142026' },
    { accountStatus: '71', amountPastDue: '000001500', dateOfFirstDelinquency: '11142026' },
  ],
  [
    'past-due-delinquency',
    'dateOfFirstDelinquency',
    { accountStatus: '84', amountPastDue: '000001500', dateOfFirstDelinquency: '00000000' },
    { accountStatus: '84', amountPastDue: '000001500', dateOfFirstDelinquency: '06142026' },
  ],
  [
    'ssn-or-birth',
    'dateOfBirth',
    { dateOfBirth: '00000000' },
    { dateOfBirth: '00000000', socialSecurityNumber: '123456789' },
  ],
])('%s on %s', (rule, field, bad, good) => {
  it('fails on the bad record', async () => {
    expect(rulesOf(await validate(withBase(bad)))).toContain(`${rule} ${field}`);
  });
  it('passes the good one', async () => {
    // An edited status or SSN changes what the trailer should count: the trailer's own rule is tested below.
    const others = rulesOf(await validate(withBase(good))).filter((each) => !each.startsWith('trailer-total'));
    expect(others).toEqual([]);
  });
});

describe('record structure', () => {
  const lines = metro2File([account()]);
  it.each<[string, string[], Partial<Metro2Violation>]>([
    ['a record shorter than 426 bytes', [lines[0]!.slice(1), lines[1]!, lines[2]!], { record: 1, rule: 'length' }],
    ['a base record longer', [lines[0]!, `${lines[1]!} `, lines[2]!], { record: 2, rule: 'length' }],
    [
      'a record descriptor word not 0426',
      [lines[0]!.replace(/^0426/, '0425'), lines[1]!, lines[2]!],
      { record: 1, rule: 'record-descriptor-word' },
    ],
    [
      'a header not named HEADER',
      [put(lines[0]!, fieldNamed(HEADER_FIELDS, 'recordIdentifier'), 'HEADEX'), lines[1]!, lines[2]!],
      { record: 1, rule: 'record-identifier' },
    ],
    [
      'a header without its required dates',
      [put(lines[0]!, fieldNamed(HEADER_FIELDS, 'activityDate'), '00000000'), lines[1]!, lines[2]!],
      { record: 1, rule: 'required', field: 'activityDate' },
    ],
    [
      'a trailer not named TRAILER',
      [lines[0]!, lines[1]!, put(lines[2]!, fieldNamed(TRAILER_FIELDS, 'recordIdentifier'), 'TRAILEX')],
      { record: 3, rule: 'record-identifier' },
    ],
    ['no base record', [lines[0]!, lines[2]!], { rule: 'structure' }],
    [
      'a trailer counting two bases for one',
      [lines[0]!, lines[1]!, lines[2]!.replace('TRAILER000000001', 'TRAILER000000002')],
      { record: 3, rule: 'trailer-total', field: 'totalBaseRecords' },
    ],
    [
      'a trailer whose status count is off',
      [lines[0]!, lines[1]!, put(lines[2]!, fieldNamed(TRAILER_FIELDS, 'totalStatusCode11'), '000000000')],
      { record: 3, rule: 'trailer-total', field: 'totalStatusCode11' },
    ],
    [
      'a trailer whose block count is off',
      [lines[0]!, lines[1]!, put(lines[2]!, fieldNamed(TRAILER_FIELDS, 'blockCount'), '000000001')],
      { record: 3, rule: 'trailer-total', field: 'blockCount' },
    ],
  ])('%s is refused', async (_case, file, violation) => {
    expect(await validate(file)).toContainEqual(expect.objectContaining(violation));
    expect(await validate(lines)).toEqual([]);
  });
});

describe('profile-last-month', () => {
  it("fails when character 1 is not what last month's status says, passes when it is", async () => {
    const number = account().accountNumber;
    expect(rulesOf(await validate(metro2File([account()]), { lastMonthStatus: new Map([[number, '71']]) }))).toEqual([
      'profile-last-month paymentHistoryProfile',
    ]);
    expect(await validate(metro2File([account()]), { lastMonthStatus: new Map([[number, '11']]) })).toEqual([]);
  });
});

describe('a deleted account (DA) of an erased customer', () => {
  it('passes without the identity it no longer has (matched by identification and account number)', async () => {
    expect(await validate(metro2File([account({}, undefined, 'erased')]))).toEqual([]);
  });
  it('a current record without that identity still fails', async () => {
    const erased = metro2File([account({}, undefined, 'erased')]);
    expect(rulesOf(await validate(withBase({ accountStatus: '11' }, erased)))).toEqual(
      expect.arrayContaining(['required surname', 'required firstName', 'required city', 'ssn-or-birth dateOfBirth']),
    );
  });
});
