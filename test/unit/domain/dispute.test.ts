import { randomUUID } from 'node:crypto';
import {
  type Dispute,
  DisputeAlreadyResolvedError,
  InvalidDisputeError,
  fileDispute,
  isOverdue,
  openDisputesOldestFirst,
  parseDisputeRequest,
  parseResolutionRequest,
  resolveDispute,
  summariseOpenDisputes,
} from '#domain/dispute';
import { InvalidJsonError } from '#domain/errors';
import type { PaymentRecord } from '#domain/payment-record';
import { buildReportFromHistory } from '#domain/report';

const STEP = { at: '2026-11-03T10:00:00.000Z', by: 'u', clientId: 'local-user-app' };
const OPS = { at: '2026-11-10T10:00:00.000Z', by: 'ops-client', clientId: 'ops-client' };
const REQUEST = { commitmentId: 'GBP#netflix', month: '2026-09', reason: 'paid-on-time', text: 'I paid on the 5th' };

const fieldsOf = (parse: (body: string) => unknown, body: unknown): string[] => {
  try {
    parse(JSON.stringify(body));
  } catch (error) {
    if (error instanceof InvalidDisputeError) return error.fieldErrors.map((fieldError) => fieldError.field);
    throw error;
  }
  return [];
};

const open = (overrides: Partial<Dispute> = {}): Dispute => ({
  ...fileDispute(randomUUID(), 'u', parseDisputeRequest(JSON.stringify(REQUEST)), STEP),
  ...overrides,
});

describe('dispute state machine', () => {
  test('a filed dispute is open, with who filed it and when', () => {
    const dispute = open();
    expect(dispute).toMatchObject({ state: 'open', filed: STEP, resolution: null, paymentId: null });
  });

  test.each(['verified', 'corrected', 'deleted'] as const)('open -> %s, audited with the note', (outcome) => {
    const resolved = resolveDispute(open(), { outcome, note: 'Checked the bank statement' }, OPS);
    expect(resolved.state).toBe(outcome);
    expect(resolved.resolution).toEqual({ ...OPS, outcome, note: 'Checked the bank statement' });
  });

  test.each(['verified', 'corrected', 'deleted'] as const)(
    'a %s dispute is final: no reopen, no second resolution',
    (outcome) => {
      const resolved = resolveDispute(open(), { outcome, note: 'done' }, OPS);
      for (const again of ['verified', 'corrected', 'deleted'] as const)
        expect(() => resolveDispute(resolved, { outcome: again, note: 'again' }, OPS)).toThrow(
          DisputeAlreadyResolvedError,
        );
    },
  );

  test('open disputes oldest first with their age in days; resolved ones left out', () => {
    const older = open({ filed: { ...STEP, at: '2026-10-01T00:00:00.000Z' } });
    const newer = open({ filed: { ...STEP, at: '2026-11-01T00:00:00.000Z' } });
    const resolved = resolveDispute(open(), { outcome: 'verified', note: 'ok' }, OPS);
    const listed = openDisputesOldestFirst([newer, resolved, older], new Date('2026-11-05T12:00:00.000Z'));
    expect(listed.map((dispute) => [dispute.disputeId, dispute.ageDays])).toEqual([
      [older.disputeId, 35],
      [newer.disputeId, 4],
    ]);
  });
});

describe('the 30-day rule (FCRA §611(a)(1))', () => {
  const filedAt = (at: string) => open({ filed: { ...STEP, at } });
  const NOW = new Date('2026-11-05T12:00:00.000Z');

  test('open 30 whole days is not yet overdue; 31 is', () => {
    expect(isOverdue(filedAt('2026-10-06T12:00:00.000Z'), NOW)).toBe(false);
    expect(isOverdue(filedAt('2026-10-05T12:00:00.001Z'), NOW)).toBe(false);
    expect(isOverdue(filedAt('2026-10-05T12:00:00.000Z'), NOW)).toBe(true);
  });

  test('a resolved dispute is never overdue, however old', () => {
    const resolved = resolveDispute(filedAt('2026-01-01T00:00:00.000Z'), { outcome: 'verified', note: 'ok' }, OPS);
    expect(isOverdue(resolved, NOW)).toBe(false);
  });

  test("the summary counts open and overdue disputes and the oldest open one's age; none open: zeros", () => {
    const resolved = resolveDispute(filedAt('2026-01-01T00:00:00.000Z'), { outcome: 'deleted', note: 'ok' }, OPS);
    const disputes = [filedAt('2026-09-01T00:00:00.000Z'), filedAt('2026-10-20T00:00:00.000Z'), resolved];
    expect(summariseOpenDisputes(disputes, NOW)).toEqual({ open: 2, overdue: 1, oldestOpenAgeDays: 65 });
    expect(summariseOpenDisputes([resolved], NOW)).toEqual({ open: 0, overdue: 0, oldestOpenAgeDays: 0 });
  });
});

describe('dispute requests', () => {
  test('a payment dispute keeps the payment id in canonical form', () => {
    const paymentId = '3F2B8C1E-6D4A-4E2B-9C1F-8A7D6E5B4C3A';
    expect(parseDisputeRequest(JSON.stringify({ ...REQUEST, paymentId })).paymentId).toBe(paymentId.toLowerCase());
  });

  test.each([
    [{ ...REQUEST, month: '2026-13' }, ['month']],
    [{ ...REQUEST, reason: 'angry' }, ['reason']],
    [{ ...REQUEST, text: '\u200b' }, ['text']],
    [{ ...REQUEST, text: 'x'.repeat(501) }, ['text']],
    [{ ...REQUEST, commitmentId: ' GBP' }, ['commitmentId']],
    [{ ...REQUEST, paymentId: 'nope' }, ['paymentId']],
    [{ ...REQUEST, userId: 'someone-else' }, ['userId']],
    [{}, ['commitmentId', 'month', 'reason', 'text']],
  ])('%j is refused naming %j', (body, fields) => {
    expect(fieldsOf(parseDisputeRequest, body).sort()).toEqual([...fields].sort());
  });

  test('not JSON is InvalidJson', () => {
    expect(() => parseDisputeRequest('{')).toThrow(InvalidJsonError);
    expect(() => parseDisputeRequest(null)).toThrow(InvalidJsonError);
  });

  // JSON that is not an acceptable object is a 400 naming the field (it was a 500: parseJsonObject's own error).
  const rawFieldsOf = (parse: (body: string) => unknown, raw: string): string[] =>
    fieldsOf((body) => parse(JSON.parse(body) as string), raw);
  test.each([
    ['[1]', '(body)'],
    ['"text"', '(body)'],
    ['{"month":"2026-01","month":"2026-02"}', 'month'],
    ['{"__proto__":{}}', '__proto__'],
  ])('the body %s is InvalidDispute naming %s, for a filing and for a resolution', (raw, field) => {
    expect(rawFieldsOf(parseDisputeRequest, raw)).toContain(field);
    expect(rawFieldsOf(parseResolutionRequest, raw)).toContain(field);
  });

  test.each([
    [{ outcome: 'reopened', note: 'x' }, ['outcome']],
    [{ outcome: 'open', note: 'x' }, ['outcome']],
    [{ outcome: 'deleted' }, ['note']],
  ])('resolution %j is refused naming %j', (body, fields) => {
    expect(fieldsOf(parseResolutionRequest, body)).toEqual(fields);
  });
});

const payment = (month: string): PaymentRecord => ({
  id: randomUUID(),
  userId: 'u',
  timestamp: `${month}-05T09:30:00.000Z`,
  localDate: `${month}-05`,
  description: 'Netflix',
  currency: 'GBP',
  amount: '9.99',
  amountMinor: 999,
  receivedAt: `${month}-05T09:31:00.000Z`,
  requestId: randomUUID(),
  clientId: 'local-user-app',
  submittedBy: 'u',
});

describe('a disputed month in the report', () => {
  // Paid July, August, October; September missed, then disputed.
  const months = ['2026-07', '2026-08', '2026-10'].map((month) => ({ month, payments: [payment(month)] }));
  const build = (disputes: Dispute[]) =>
    buildReportFromHistory('u', '2026-10', months, '2026-11-01T02:10:00.000Z', [], disputes).commitments[0]!;

  test('undisputed: September is missed and breaks the streak', () => {
    const commitment = build([]);
    expect(commitment.history.slice(0, 4).map((month) => month.status)).toEqual(['kept', 'missed', 'kept', 'kept']);
    expect(commitment).toMatchObject({ streak: 1, complianceCondition: null, disputes: [], deletedMonths: [] });
  });

  test('open: disputed, neither kept nor missed (the streak steps over it), D in the profile, XB', () => {
    const dispute = open();
    const commitment = build([dispute]);
    expect(commitment.history.slice(0, 4).map((month) => month.status)).toEqual(['kept', 'disputed', 'kept', 'kept']);
    expect(commitment.streak).toBe(3);
    expect(commitment.paymentHistoryProfile.slice(0, 4)).toBe('0D00');
    expect(commitment.complianceCondition).toBe('XB');
    expect(commitment.disputes).toEqual([
      { disputeId: dispute.disputeId, month: '2026-09', paymentId: null, state: 'open' },
    ]);
  });

  test('verified: reported as it was (missed), no XB', () => {
    const commitment = build([resolveDispute(open(), { outcome: 'verified', note: 'no payment' }, OPS)]);
    expect(commitment.history[1]!.status).toBe('missed');
    expect(commitment).toMatchObject({ streak: 1, complianceCondition: null });
  });

  test('deleted: the month is no longer reported (none), listed in deletedMonths', () => {
    const commitment = build([resolveDispute(open(), { outcome: 'deleted', note: 'bank error' }, OPS)]);
    expect(commitment.history[1]!.status).toBe('none');
    expect(commitment.paymentHistoryProfile[1]).toBe('B');
    expect(commitment).toMatchObject({ complianceCondition: null, deletedMonths: ['2026-09'] });
  });

  test("another commitment's dispute changes nothing here", () => {
    expect(build([open({ commitmentId: 'GBP#spotify' })])).toMatchObject({ complianceCondition: null, streak: 1 });
  });
});
