import { DISPUTE_REASONS as API_REASONS } from '#domain/dispute';
import { DISPUTE_REASONS, type Dispute, REASON_WORDS, disputeOfMonth, disputeStateText } from '#web/app/dispute-words';

/** What the web app says of a customer's disputes (web/app/dispute-words.ts): which dispute a month shows, in words. */
const dispute = (overrides: Partial<Dispute>): Dispute => ({
  disputeId: 'd-1',
  userId: 'u-1',
  commitmentId: 'GBP#puregym',
  month: '2026-10',
  paymentId: null,
  reason: 'paid-on-time',
  text: 'Paid in cash',
  state: 'open',
  filed: { at: '2026-12-06T07:10:00.000Z', by: 'u-1', clientId: 'local-user-app' },
  resolution: null,
  ...overrides,
});

const resolved = (outcome: 'verified' | 'corrected' | 'deleted', at: string, note = 'Checked'): Partial<Dispute> => ({
  state: outcome,
  resolution: { at, by: 'local-operations', clientId: 'local-operations', outcome, note },
});

describe('the dispute reasons the form offers', () => {
  test('are exactly the reasons the API accepts, each in words', () => {
    expect([...DISPUTE_REASONS].sort()).toEqual([...API_REASONS].sort());
    for (const reason of DISPUTE_REASONS) expect(REASON_WORDS[reason]).toMatch(/^[A-Z].{5,}[^.]$/);
  });
});

describe('the dispute a month of a commitment shows', () => {
  const gym = { commitmentId: 'GBP#puregym', mergedFrom: ['GBP#dd-puregym'] };

  test('none for a month or commitment without one', () => {
    const held = [dispute({ month: '2026-09' }), dispute({ commitmentId: 'GBP#netflix' })];
    expect(disputeOfMonth(held, gym, '2026-10')).toBeUndefined();
  });

  test('the open one before any resolved, whatever the order', () => {
    const old = dispute({ disputeId: 'old', ...resolved('verified', '2026-12-05T00:00:00.000Z') });
    const open = dispute({ disputeId: 'open', filed: { at: '2026-12-01T00:00:00.000Z', by: 'u-1', clientId: 'x' } });
    expect(disputeOfMonth([open, old], gym, '2026-10')?.disputeId).toBe('open');
    expect(disputeOfMonth([old, open], gym, '2026-10')?.disputeId).toBe('open');
  });

  test('else the latest filed', () => {
    const filedOn = (day: string) => ({ at: `2026-11-${day}T00:00:00.000Z`, by: 'u-1', clientId: 'x' });
    const first = dispute({ disputeId: 'first', filed: filedOn('01'), ...resolved('verified', '2026-11-02') });
    const second = dispute({ disputeId: 'second', filed: filedOn('20'), ...resolved('deleted', '2026-11-21') });
    expect(disputeOfMonth([second, first], gym, '2026-10')?.disputeId).toBe('second');
    expect(disputeOfMonth([first, second], gym, '2026-10')?.disputeId).toBe('second');
  });

  test('one filed on a commitment since merged into this one', () => {
    const merged = dispute({ commitmentId: 'GBP#dd-puregym' });
    expect(disputeOfMonth([merged], gym, '2026-10')).toBe(merged);
    expect(disputeOfMonth([merged], { commitmentId: 'GBP#puregym' }, '2026-10')).toBeUndefined();
  });
});

describe('a dispute in words', () => {
  test('open: since the day it was filed, with the 30 days', () => {
    expect(disputeStateText(dispute({}))).toBe('Dispute open since 2026-12-06: we answer within 30 days.');
    expect(disputeStateText(dispute({ paymentId: 'p-1' }))).toBe(
      'Dispute of a payment open since 2026-12-06: we answer within 30 days.',
    );
  });

  test.each([
    ['verified', 'Dispute resolved on 2026-12-20, verified: reported as it was. Note: Checked'],
    ['corrected', 'Dispute resolved on 2026-12-20, corrected. Note: Checked'],
    ['deleted', 'Dispute resolved on 2026-12-20, deleted: this month is no longer reported. Note: Checked'],
  ] as const)('%s: the outcome, the day and the operator’s note', (outcome, said) => {
    expect(disputeStateText(dispute(resolved(outcome, '2026-12-20T10:00:00.000Z')))).toBe(said);
  });
});
