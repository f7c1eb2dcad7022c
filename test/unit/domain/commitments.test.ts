import { CYCLE_TOLERANCE_DAYS, cycleOf, dueDate, learnDueDay, unpaidStatus } from '#domain/commitment-cycles';
import type { CommitmentCorrection } from '#domain/commitment-correction';
import { nextMonth } from '#domain/month';
import { type HistoryMonth, paymentHistoryProfile, streakOf } from '#domain/payment-history';
import { type CommitmentPayment, type MonthlyReport, buildMonthlyReport, buildReportFromHistory } from '#domain/report';

const BUILT_AT = '2026-11-01T02:00:00.000Z';
let sequence = 0;

/** A bank-feed payment on a local date (noon UTC unless a timestamp is given). */
const pay = (
  localDate: string,
  description: string,
  amount: string,
  extra: Partial<CommitmentPayment> = {},
): CommitmentPayment => {
  sequence += 1;
  return {
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    userId: 'u',
    timestamp: `${localDate}T12:00:00.000Z`,
    localDate,
    description,
    currency: 'GBP',
    amount,
    amountMinor: Number(amount.replace('.', '')),
    clientId: 'bank-feed',
    submittedBy: 'feed',
    ...extra,
  };
};

const byMonth = (payments: readonly CommitmentPayment[], months: readonly string[]) =>
  months.map((month) => ({ month, payments: payments.filter((payment) => payment.localDate!.startsWith(month)) }));

const statuses = (report: MonthlyReport, id: string, count = 6): string =>
  report.commitments
    .find((commitment) => commitment.commitmentId === id)!
    .history.slice(0, count)
    .map(({ status }) => status)
    .join(' ');

describe('cycles', () => {
  test('a payment a few days before the next due date, over the month end, counts for the next cycle', () => {
    expect(cycleOf('2026-10-31', '2026-10', 1)).toBe('2026-11');
    expect(cycleOf('2026-10-28', '2026-10', 1)).toBe('2026-11');
    expect(cycleOf('2026-10-25', '2026-10', 1)).toBe('2026-10');
    expect(cycleOf('2026-10-02', '2026-10', 1)).toBe('2026-10');
  });

  test('a payment a few days after the due date, over the month end, counts for the earlier cycle', () => {
    // Due Saturday 28 February 2026, collected Monday 2 March.
    expect(cycleOf('2026-03-02', '2026-03', 28)).toBe('2026-02');
    expect(cycleOf('2026-03-05', '2026-03', 28)).toBe('2026-02');
    expect(cycleOf('2026-03-06', '2026-03', 28)).toBe('2026-03');
    expect(cycleOf('2026-03-03', '2026-03', 1)).toBe('2026-03');
    expect(cycleOf('2026-11-02', '2026-11', 31)).toBe('2026-10');
  });

  test('the due date of a short month is its last day', () => {
    expect(dueDate('2026-02', 31)).toBe('2026-02-28');
    expect(dueDate('2028-02', 30)).toBe('2028-02-29');
  });

  test('an unpaid cycle is pending until its due date plus the tolerance has passed, then missed', () => {
    expect(CYCLE_TOLERANCE_DAYS).toBe(5);
    expect(unpaidStatus('2026-10', 28, '2026-11-01T02:00:00Z')).toBe('pending');
    expect(unpaidStatus('2026-10', 28, '2026-11-03T00:00:00Z')).toBe('missed');
    expect(unpaidStatus('2026-10', 1, '2026-10-06T00:00:00Z')).toBe('pending');
    expect(unpaidStatus('2026-10', 1, '2026-10-07T00:00:00Z')).toBe('missed');
  });

  test('the due day moves only when two cycles agree', () => {
    expect(learnDueDay(undefined, [7])).toBe(7);
    expect(learnDueDay(1, [20])).toBe(1);
    expect(learnDueDay(1, [0, 2])).toBe(1);
    expect(learnDueDay(1, [15, 15])).toBe(15);
    expect(learnDueDay(1, [-1, 0])).toBe(1);
  });
});

describe('history', () => {
  const history = (text: string): HistoryMonth[] =>
    text.split(' ').map((status, index) => ({ month: `m${index}`, status: status as HistoryMonth['status'] }));

  test('streak counts kept cycles in a row; a pending report month neither counts nor ends it; a missed one ends it', () => {
    expect(streakOf(history('kept kept missed kept'))).toBe(2);
    expect(streakOf(history('pending kept kept none'))).toBe(2);
    expect(streakOf(history('missed kept kept'))).toBe(0);
  });

  test('Metro 2 profile: 0 kept, D pending, B none, missed counts the months past due in a row (to 6)', () => {
    const text = ['pending', 'kept', 'missed', 'missed', 'kept', ...new Array<string>(9).fill('missed'), 'kept'];
    const full = [...text, ...new Array<string>(24 - text.length).fill('none')].join(' ');
    expect(paymentHistoryProfile(history(full))).toBe(`D0210${'6666'}543210${'B'.repeat(9)}`);
  });
});

describe('commitments over five months of a bank feed', () => {
  const months = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];
  const payments = [
    // A gym by direct debit, due on the 1st, narrative changing each month.
    pay('2026-06-01', 'DD PUREGYM LTD REF 0012345678', '35.00'),
    pay('2026-07-01', 'DIRECT DEBIT PUREGYM LIMITED 0012345679', '35.00'),
    // 1 August 2026 is a Saturday: taken on Friday 31 July, it counts for August.
    pay('2026-07-31', 'PUREGYM MANDATE NO 0034', '35.00'),
    // September's is missed; October's is paid, and so is November's, late on 31 October at -01:00.
    pay('2026-10-01', 'DD PUREGYM', '35.00'),
    pay('2026-10-31', 'DD PUREGYM', '35.00', { timestamp: '2026-11-01T00:30:00.000Z' }),
    // Netflix by card; a price rise in August does not split it.
    pay('2026-06-05', 'NETFLIX.COM 866-579-7172 CA', '10.99'),
    pay('2026-07-05', 'Netflix.com Amsterdam', '10.99'),
    pay('2026-08-05', 'CARD PAYMENT TO NETFLIX.COM ON 05 AUG', '12.99'),
    pay('2026-09-05', 'NETFLIX.COM', '12.99'),
    pay('2026-10-05', 'NETFLIX.COM', '12.99'),
    // Two subscriptions of one brand at different prices: two commitments.
    ...months.flatMap((month) => [
      pay(`${month}-10`, 'APPLE.COM/BILL 866-712-7753', '2.99'),
      pay(`${month}-20`, 'APPLE.COM/BILL', '9.99'),
    ]),
  ];
  const report = buildReportFromHistory('u', '2026-10', byMonth(payments, months), BUILT_AT);

  test('one commitment per payee, and two for the brand with two prices', () => {
    expect(report.commitments.map((c) => [c.commitmentId, c.payeeKey, c.amount, c.dueDay])).toEqual([
      ['GBP#apple bill', 'apple bill', '2.99', 10],
      ['GBP#apple bill#999', 'apple bill', '9.99', 20],
      ['GBP#netflix', 'netflix', '12.99', 5],
      ['GBP#puregym', 'puregym', '35.00', 1],
    ]);
  });

  test('streaks and histories: the early payment keeps August, September is missed, the price rise continues', () => {
    expect(statuses(report, 'GBP#puregym')).toBe('kept missed kept kept kept none');
    expect(report.commitments.find((c) => c.commitmentId === 'GBP#puregym')).toMatchObject({
      streak: 1,
      lastPaidOn: '2026-10-31',
      paymentHistoryProfile: `0100${'0'}${'B'.repeat(19)}`,
    });
    expect(statuses(report, 'GBP#netflix')).toBe('kept kept kept kept kept none');
    expect(report.commitments.map((c) => c.streak)).toEqual([5, 5, 5, 1]);
  });

  test("the payment late on the last day counts for next month's cycle and is carried forward", () => {
    expect(report.aheadPayments.map((payment) => [payment.commitmentId, payment.localDate])).toEqual([
      ['GBP#puregym', '2026-10-31'],
    ]);
    const november = buildMonthlyReport('u', '2026-11', [], report, '2026-12-01T02:00:00.000Z');
    const gym = november.commitments.find((c) => c.commitmentId === 'GBP#puregym')!;
    expect(gym).toMatchObject({ amount: '35.00', streak: 2 });
    expect(gym.payments.map((payment) => payment.localDate)).toEqual(['2026-10-31']);
    // Netflix, unpaid in November and past its due date plus tolerance, is missed there.
    expect(statuses(november, 'GBP#netflix', 2)).toBe('missed kept');
  });

  test('the monthly builds, each on the one before, give the same report as the first build from history', () => {
    let previous: MonthlyReport | undefined;
    for (const { month, payments: ofMonth } of byMonth(payments, months)) {
      previous = buildMonthlyReport('u', month, ofMonth, previous, BUILT_AT);
    }
    expect(previous).toEqual(report);
  });

  test('a cycle not yet due plus tolerance is pending, not missed', () => {
    const rent = [pay('2026-09-28', 'SO LANDLORD RENT', '900.00')];
    const october = buildReportFromHistory('u', '2026-10', byMonth(rent, ['2026-09', '2026-10']), BUILT_AT);
    expect(statuses(october, 'GBP#landlord rent', 2)).toBe('pending kept');
    expect(october.commitments[0]).toMatchObject({ streak: 1, paymentHistoryProfile: `D0${'B'.repeat(22)}` });
  });

  test('an explicit mandate reference decides the commitment whatever the narrative', () => {
    const withReference = [
      pay('2026-09-03', 'DD ENERGY CO', '80.00', { payee: { reference: 'DDM-42', name: 'Octopus', kind: 'utility' } }),
      pay('2026-10-03', 'DIRECT DEBIT OCTOPUS ENERGY', '85.00', { payee: { reference: 'DDM-42' } }),
    ];
    const built = buildReportFromHistory('u', '2026-10', byMonth(withReference, ['2026-09', '2026-10']), BUILT_AT);
    expect(built.commitments.map((c) => [c.commitmentId, c.streak, c.kind])).toEqual([
      ['GBP#ref#DDM-42', 2, 'utility'],
    ]);
  });
});

describe('corrections', () => {
  const months = ['2026-09', '2026-10'];
  const correction = { at: '2026-10-20T00:00:00Z', by: 'u', clientId: 'web' };

  test('merge: the payments of `from`, past and later, go to `into`; the histories combine', () => {
    const payments = [pay('2026-09-02', 'GYM MEMBERSHIP', '30.00'), pay('2026-10-02', 'PUREGYM', '30.00')];
    const apart = buildReportFromHistory('u', '2026-10', byMonth(payments, months), BUILT_AT);
    // Apart, the old name's October is missed and the new name starts again.
    expect(apart.commitments.map((c) => c.streak)).toEqual([0, 1]);
    const merge: CommitmentCorrection = {
      kind: 'merge',
      from: 'GBP#gym membership',
      into: 'GBP#puregym',
      ...correction,
    };
    const merged = buildReportFromHistory('u', '2026-10', byMonth(payments, months), BUILT_AT, [merge]);
    expect(merged.commitments.map((c) => [c.commitmentId, c.streak])).toEqual([['GBP#puregym', 2]]);
    // A later month's payment under the old name goes to `into` too.
    const november = buildMonthlyReport(
      'u',
      '2026-11',
      [pay('2026-11-02', 'GYM MEMBERSHIP', '30.00')],
      merged,
      BUILT_AT,
      [merge],
    );
    expect(november.commitments.map((c) => [c.commitmentId, c.streak])).toEqual([['GBP#puregym', 3]]);
  });

  test('move: the payment and later payments with its payee key go to `into`, or to a new commitment', () => {
    const payments = [pay('2026-09-02', 'SO J SMITH', '500.00'), pay('2026-10-02', 'SO J SMITH', '500.00')];
    const moved = payments[1]!;
    const toNew: CommitmentCorrection = { kind: 'move', paymentId: moved.id, into: 'new', ...correction };
    const split = buildReportFromHistory('u', '2026-10', byMonth(payments, months), BUILT_AT, [toNew]);
    const newId = `GBP#j smith#${moved.id}`;
    expect(split.commitments.map((c) => [c.commitmentId, c.streak])).toEqual([
      ['GBP#j smith', 0],
      [newId, 1],
    ]);
    const november = buildMonthlyReport('u', '2026-11', [pay('2026-11-02', 'SO J SMITH', '500.00')], split, BUILT_AT, [
      toNew,
    ]);
    expect(november.commitments.find((c) => c.commitmentId === newId)?.streak).toBe(2);
  });
});

describe('a payment late over the month end', () => {
  const insurance = (localDate: string) => pay(localDate, 'DD ACME INSURANCE', '20.00');
  const february = buildReportFromHistory(
    'u',
    '2026-02',
    byMonth([insurance('2025-12-28'), insurance('2026-01-28')], ['2025-12', '2026-01', '2026-02']),
    '2026-03-01T02:00:00.000Z',
  );

  test("keeps last month's pending cycle, and this month's payment keeps this month's", () => {
    expect(statuses(february, 'GBP#acme insurance', 3)).toBe('pending kept kept');
    const march = buildMonthlyReport(
      'u',
      '2026-03',
      [insurance('2026-03-02'), insurance('2026-03-27')],
      february,
      '2026-04-01T02:00:00.000Z',
    );
    expect(statuses(march, 'GBP#acme insurance', 4)).toBe('kept kept kept kept');
    expect(march.commitments[0]).toMatchObject({ streak: 4, amount: '20.00', lastPaidOn: '2026-03-27' });
    expect(march.commitments[0]!.payments.map((payment) => payment.localDate)).toEqual(['2026-03-27']);
  });

  test('keeps a cycle a report built after the tolerance called missed (a first build folds the months)', () => {
    const months = ['2025-12', '2026-01', '2026-02', '2026-03'];
    const payments = ['2025-12-28', '2026-01-28', '2026-03-02'].map(insurance);
    const march = buildReportFromHistory('u', '2026-03', byMonth(payments, months), '2026-04-10T02:00:00.000Z');
    expect(statuses(march, 'GBP#acme insurance', 4)).toBe('missed kept kept kept');
  });

  test('counts for this month when last month was already kept', () => {
    const kept = buildMonthlyReport('u', '2026-02', [insurance('2026-02-27')], february, '2026-03-01T02:00:00.000Z');
    const march = buildMonthlyReport('u', '2026-03', [insurance('2026-03-02')], kept, '2026-04-01T02:00:00.000Z');
    expect(statuses(march, 'GBP#acme insurance', 2)).toBe('kept kept');
    expect(march.commitments[0]!.payments.map((payment) => payment.localDate)).toEqual(['2026-03-02']);
  });
});

describe('a reversed payment (decisions/0019)', () => {
  const rent = (localDate: string, extra: Partial<CommitmentPayment> = {}) =>
    pay(localDate, 'DD ACME LETTINGS', '800.00', extra);
  const reversal = (reversedOn: string) => ({
    paymentId: 'p',
    reason: 'returned-unpaid' as const,
    reversedOn,
    note: null,
    recordedAt: `${reversedOn}T10:00:00.000Z`,
    by: 'feed',
    clientId: 'bank-feed',
    requestId: 'r',
  });
  const ID = 'GBP#acme lettings';
  const months = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10'];

  test('keeps no cycle: the month is missed, the streak breaks there, and the payment is cited as reversed', () => {
    const payments = ['2026-06-01', '2026-07-01', '2026-08-01', '2026-09-01', '2026-10-01'].map((date) =>
      rent(date, date === '2026-08-01' ? { reversal: reversal('2026-08-06') } : {}),
    );
    const october = buildReportFromHistory('u', '2026-10', byMonth(payments, months), BUILT_AT);
    expect(statuses(october, ID, 5)).toBe('kept kept missed kept kept');
    expect(october.commitments[0]).toMatchObject({ streak: 2, reversedMonths: ['2026-08'], reversedPayments: [] });
    expect(october.commitments[0]!.paymentHistoryProfile.slice(0, 5)).toBe('00100');
    const august = buildReportFromHistory('u', '2026-08', byMonth(payments, months.slice(0, 3)), BUILT_AT);
    expect(august.commitments[0]).toMatchObject({
      amount: '0.00',
      lastPaidOn: '2026-07-01',
      payments: [],
      reversedPayments: [
        expect.objectContaining({
          localDate: '2026-08-01',
          reversal: { reason: 'returned-unpaid', reversedOn: '2026-08-06' },
        }),
      ],
      reversedMonths: ['2026-08'],
    });
  });

  test("a reversed payment late over the month end does not keep last month's unpaid cycle", () => {
    const insurance = (localDate: string, extra: Partial<CommitmentPayment> = {}) =>
      pay(localDate, 'DD ACME INSURANCE', '20.00', extra);
    const february = buildReportFromHistory(
      'u',
      '2026-02',
      byMonth([insurance('2025-12-28'), insurance('2026-01-28')], ['2025-12', '2026-01', '2026-02']),
      '2026-03-01T02:00:00.000Z',
    );
    const march = buildMonthlyReport(
      'u',
      '2026-03',
      [insurance('2026-03-02', { reversal: reversal('2026-03-04') }), insurance('2026-03-27')],
      february,
      '2026-04-01T02:00:00.000Z',
    );
    expect(statuses(march, 'GBP#acme insurance', 4)).toBe('kept missed kept kept');
    expect(march.commitments[0]).toMatchObject({ streak: 1, reversedMonths: ['2026-02'] });
    expect(march.commitments[0]!.payments.map((payment) => payment.localDate)).toEqual(['2026-03-27']);
  });

  test("a reversed payment made early for next month's cycle is carried as reversed, and keeps nothing there", () => {
    const payments = [rent('2026-08-01'), rent('2026-08-31', { reversal: reversal('2026-09-03') })];
    const august = buildReportFromHistory('u', '2026-08', byMonth(payments, ['2026-08']), BUILT_AT);
    expect(august.aheadPayments).toEqual([
      expect.objectContaining({ localDate: '2026-08-31', reversal: expect.anything() }),
    ]);
    const september = buildMonthlyReport('u', '2026-09', [], august, BUILT_AT);
    expect(statuses(september, ID, 2)).toBe('missed kept');
    expect(september.commitments[0]).toMatchObject({ reversedMonths: ['2026-09'], payments: [] });
    expect(september.commitments[0]!.reversedPayments).toHaveLength(1);
  });

  test('the reversed month stays marked in later months, until it leaves the 24', () => {
    const payments = [rent('2026-06-01'), rent('2026-07-01', { reversal: reversal('2026-07-05') })];
    let report = buildReportFromHistory('u', '2026-07', byMonth(payments, ['2026-06', '2026-07']), BUILT_AT);
    let month = '2026-07';
    for (let n = 0; n < 23; n += 1) {
      month = nextMonth(month);
      report = buildMonthlyReport('u', month, [rent(`${month}-01`)], report, BUILT_AT);
    }
    expect(month).toBe('2028-06');
    expect(report.commitments[0]!.reversedMonths).toEqual(['2026-07']);
    report = buildMonthlyReport('u', '2028-07', [rent('2028-07-01')], report, BUILT_AT);
    expect(report.commitments[0]!.reversedMonths).toEqual([]);
  });
});
