import { NO_STATE_REASON, accountFromCommitment, type Metro2Account } from '#domain/metro2/account';
import { PROFILE_CHARACTER_OF_STATUS } from '#domain/metro2/codes';
import { fieldText } from '#domain/metro2/fields';
import { BASE_FIELDS, fieldNamed } from '#domain/metro2/layouts';
import { validateMetro2File } from '#domain/metro2/validate';
import type { CycleStatus } from '#domain/payment-history';
import { MONTH, TODAY, account, commitment, consumer, history, metro2File } from '../../../support/metro2';

// The mapping of a report's commitment to its Metro 2 account: what is furnished, the status at the Date of
// Account Information (30 November 2026), the profile, the amounts and the dates (decision 0017).

const map = (statuses: CycleStatus[], dueDay = 15): Metro2Account => account({ dueDay }, statuses);

describe('which commitments are furnished', () => {
  it.each([
    ['the customer opted it out', { consent: { report: false, changedAt: null } }, 'the customer has not opted it in'],
    ['its kind is unknown', { kind: null }, 'its kind is unknown'],
    [
      'subscription has no account type',
      { kind: 'subscription' as const },
      'Metro 2 has no account type for kind subscription',
    ],
    ['other has no account type', { kind: 'other' as const }, 'Metro 2 has no account type for kind other'],
  ])('not when %s', (_case, overrides, skipped) => {
    expect(accountFromCommitment(commitment(overrides), consumer, MONTH, { userId: 'u1' })).toEqual({ skipped });
  });
  it('a GB address: furnished with its two-letter region in State (the file passes); without one, skipped', async () => {
    const gb = { ...consumer, city: 'LONDON', state: 'LN', postalCode: 'E16AN', countryCode: 'GB' };
    const lines = metro2File([accountFromCommitment(commitment(), gb, MONTH, { userId: 'u1' }) as Metro2Account]);
    expect(fieldText(lines[1]!, fieldNamed(BASE_FIELDS, 'countryCode'))).toBe('GB');
    expect(fieldText(lines[1]!, fieldNamed(BASE_FIELDS, 'state'))).toBe('LN');
    expect(await validateMetro2File(lines, { today: TODAY })).toEqual([]);
    expect(accountFromCommitment(commitment(), { ...gb, state: '' }, MONTH, { userId: 'u1' })).toEqual({
      skipped: NO_STATE_REASON,
    });
    // An erased customer has no address: the deletion is sent whatever the State was.
    expect(accountFromCommitment(commitment(), 'erased', MONTH, { userId: 'u1' })).toMatchObject({
      accountStatus: 'DA',
    });
  });
  it('not when none of its 24 months was kept', () => {
    expect(accountFromCommitment(commitment({}, ['missed', 'missed']), consumer, MONTH, { userId: 'u1' })).toEqual({
      skipped: 'it has no kept cycle in 24 months',
    });
  });
  it.each([
    ['rent', '29'],
    ['utility', '92'],
    ['telecom', '4D'],
  ] as const)('%s as Account Type %s', (kind, type) => {
    expect(account({ kind }).accountType).toBe(type);
  });
});

describe('status at the Date of Account Information', () => {
  it.each<[string, CycleStatus[], number, Partial<Metro2Account>]>([
    ['kept this month', ['kept', 'kept'], 15, { accountStatus: '11', amountPastDue: 0, currentBalance: 0 }],
    // Due 15 November, unpaid on the 30th: 15 days past due is not yet 30 (CRRG: 0 = 0–29 days).
    [
      'one cycle missed 15 days before the month ends',
      ['missed', 'kept'],
      15,
      { accountStatus: '11', amountPastDue: 0, currentBalance: 150075 },
    ],
    [
      'one cycle missed 29 days before the month ends',
      ['missed', 'kept'],
      1,
      { accountStatus: '11', amountPastDue: 0 },
    ],
    ['due on the 31st, November has 30 days', ['missed', 'kept'], 31, { accountStatus: '11', amountPastDue: 0 }],
    ['pending at the build', ['pending', 'kept'], 28, { accountStatus: '11', amountPastDue: 0 }],
    [
      'two missed, the older 46 days late',
      ['missed', 'missed', 'kept'],
      15,
      { accountStatus: '71', amountPastDue: 150075, currentBalance: 300150, dateOfFirstDelinquency: '2026-11-14' },
    ],
    [
      'two missed due on the 1st: 60 days since October 1',
      ['missed', 'missed', 'kept'],
      1,
      { accountStatus: '78', amountPastDue: 150075, dateOfFirstDelinquency: '2026-10-31' },
    ],
    [
      'three missed',
      ['missed', 'missed', 'missed', 'kept'],
      15,
      { accountStatus: '78', amountPastDue: 300150, dateOfFirstDelinquency: '2026-10-15' },
    ],
    [
      'four missed',
      ['missed', 'missed', 'missed', 'missed', 'kept'],
      15,
      { accountStatus: '80', amountPastDue: 450225 },
    ],
    ['five missed', Array<CycleStatus>(5).fill('missed').concat('kept'), 15, { accountStatus: '82' }],
    ['six missed', Array<CycleStatus>(6).fill('missed').concat('kept'), 15, { accountStatus: '83' }],
    ['seven missed', Array<CycleStatus>(7).fill('missed').concat('kept'), 15, { accountStatus: '84' }],
    [
      'twelve missed stays 84',
      Array<CycleStatus>(12).fill('missed').concat('kept'),
      15,
      { accountStatus: '84', amountPastDue: 11 * 150075 },
    ],
    [
      'an open dispute this month holds it out: October is still 46 days late',
      ['disputed', 'missed', 'kept'],
      15,
      { accountStatus: '71', amountPastDue: 150075, dateOfFirstDelinquency: '2026-11-14' },
    ],
    ['kept after missed months: current again', ['kept', 'missed', 'missed', 'kept'], 15, { accountStatus: '11' }],
  ])('%s', (_case, statuses, dueDay, expected) => {
    const mapped = map(statuses, dueDay);
    expect(mapped).toMatchObject(expected);
    if (mapped.accountStatus === '11') expect(mapped).not.toHaveProperty('dateOfFirstDelinquency');
  });

  it('Amount Past Due and the Date of First Delinquency are set exactly when the status is past due', () => {
    const runs: CycleStatus[][] = [];
    for (let missed = 0; missed <= 8; missed += 1)
      for (const [first, rest] of [
        ['missed', 'kept'],
        ['kept', 'missed'],
        ['disputed', 'kept'],
      ] as const)
        runs.push([first, ...Array<CycleStatus>(missed).fill(rest), 'kept']);
    for (const statuses of runs)
      for (const dueDay of [1, 10, 15, 28, 31]) {
        const mapped = map(statuses, dueDay);
        const pastDue = mapped.accountStatus !== '11';
        expect([statuses, dueDay, mapped.amountPastDue > 0, mapped.dateOfFirstDelinquency !== undefined]).toEqual([
          statuses,
          dueDay,
          pastDue,
          pastDue,
        ]);
      }
  });

  it('uses the scheduled amount for a missed cycle, else (older reports) the last cycle paid', () => {
    expect(account({ scheduledAmount: '99.00' }, ['missed', 'missed', 'kept']).amountPastDue).toBe(9900);
    expect(account({ scheduledAmount: '99.00' }, ['kept']).scheduledPayment).toBe(9900);
  });
});

describe('the Payment History Profile', () => {
  it('starts with the month before the report month; months before the history are B', () => {
    expect(map(['kept', 'kept']).paymentHistoryProfile).toBe('0' + 'B'.repeat(23));
    expect(map(['kept', 'kept', 'kept']).paymentHistoryProfile).toBe('00' + 'B'.repeat(22));
  });
  it('each month is its own standing: a missed month not yet 30 days late is 0', () => {
    // October, September, August missed (due 15th), July kept: Oct 31 is 77 days after Aug 15; Sep 30 is 46.
    expect(map(['kept', 'missed', 'missed', 'missed', 'kept']).paymentHistoryProfile).toBe('2100' + 'B'.repeat(20));
  });
  it('a disputed month is the standing its record reported, a gap is D, and B never sits inside the history', () => {
    expect(map(['kept', 'disputed', 'none', 'kept']).paymentHistoryProfile).toBe('0D0' + 'B'.repeat(21));
    expect(map(['kept', 'disputed', 'missed', 'missed', 'kept']).paymentHistoryProfile).toBe('2100' + 'B'.repeat(20));
  });
  it('the 24th byte is D when the 23rd month had history', () => {
    expect(map(Array<CycleStatus>(24).fill('kept')).paymentHistoryProfile).toBe('0'.repeat(23) + 'D');
  });
  it('character 1 agrees with the status the month before reported, whatever the history', () => {
    const cases: CycleStatus[][] = [];
    for (let missed = 0; missed <= 8; missed += 1)
      for (const tail of [['kept'], ['disputed', 'kept'], ['missed', 'disputed', 'kept']] as CycleStatus[][])
        cases.push(
          ['kept', ...Array<CycleStatus>(missed).fill('missed'), ...tail],
          ['missed', ...Array<CycleStatus>(missed).fill('missed'), ...tail],
        );
    for (const statuses of cases)
      for (const dueDay of [1, 15, 31]) {
        const november = map(statuses, dueDay);
        const october = accountFromCommitment(
          commitment({ dueDay, history: history(statuses.slice(1), '2026-10') }),
          consumer,
          '2026-10',
          { userId: 'u1' },
        );
        if ('skipped' in october) continue;
        expect([statuses, dueDay, november.paymentHistoryProfile[0]]).toEqual([
          statuses,
          dueDay,
          PROFILE_CHARACTER_OF_STATUS[october.accountStatus],
        ]);
      }
  });
});

describe('compliance, corrections and erasure', () => {
  it('XB while a dispute is open; Correction Indicator on a re-sent month', () => {
    expect(account({ complianceCondition: 'XB' }).complianceCondition).toBe('XB');
    const resent = accountFromCommitment(commitment(), consumer, MONTH, { userId: 'u1', resent: true });
    expect(resent).toMatchObject({ correctionIndicator: '1' });
  });
  it('an erased customer: DA, nothing past due, no delinquency, no identity', () => {
    const erased = account({}, ['missed', 'missed', 'kept'], 'erased');
    expect(erased).toMatchObject({ accountStatus: 'DA', amountPastDue: 0, currentBalance: 0, consumer: 'erased' });
    expect(erased).not.toHaveProperty('dateOfFirstDelinquency');
  });
  it('the account number is stable per commitment and reveals nothing', () => {
    expect(account().accountNumber).toBe(account({ amount: '1.00' }).accountNumber);
    expect(account().accountNumber).not.toBe(account({ commitmentId: 'GBP#ref#LEASE-2' }).accountNumber);
    expect(account().accountNumber).toMatch(/^PT[0-9A-F]{28}$/);
  });
});
