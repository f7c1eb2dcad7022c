import { InvalidJsonError } from '#domain/errors';
import {
  InvalidReversalError,
  type PaymentReversal,
  ReversalConflictError,
  checkReversalDate,
  isCalendarDate,
  mayReverse,
  parseReversalRequest,
  reversalOutcome,
} from '#domain/payment-reversal';

const USER = '6f1c2d3e-4b5a-4c6d-8e7f-901234567890';
const FEED = 'bank-feed-client';

const fieldsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidReversalError) return error.fieldErrors.map(({ field }) => field);
    throw error;
  }
  throw new Error('not refused');
};

const stored = (overrides: Partial<PaymentReversal> = {}): PaymentReversal => ({
  paymentId: 'p',
  reason: 'returned-unpaid',
  reversedOn: '2026-10-08',
  note: null,
  recordedAt: '2026-10-09T10:00:00.000Z',
  by: FEED,
  clientId: FEED,
  requestId: 'r',
  ...overrides,
});

describe('the reversal request', () => {
  test('a reason from the list, a calendar date and an optional note (normalised as descriptions are)', () => {
    expect(parseReversalRequest('{"reason":"insufficient-funds","reversedOn":"2026-10-08"}')).toEqual({
      reason: 'insufficient-funds',
      reversedOn: '2026-10-08',
      note: null,
    });
    expect(
      parseReversalRequest(JSON.stringify({ reason: 'other', reversedOn: '2024-02-29', note: '  ARUDD 0  ' })),
    ).toEqual({ reason: 'other', reversedOn: '2024-02-29', note: 'ARUDD 0' });
  });

  test.each([
    [{ reason: 'bounced', reversedOn: '2026-10-08' }, ['reason']],
    [{ reversedOn: '2026-10-08' }, ['reason']],
    [{ reason: 'other', reversedOn: '2026-02-30' }, ['reversedOn']],
    [{ reason: 'other', reversedOn: '2026-10-08T10:00:00Z' }, ['reversedOn']],
    [{ reason: 'other', reversedOn: 20261008 }, ['reversedOn']],
    [{ reason: 'other', reversedOn: '2026-10-08', note: '' }, ['note']],
    [{ reason: 'other', reversedOn: '2026-10-08', note: 'x'.repeat(141) }, ['note']],
    [{ reason: 'other', reversedOn: '2026-10-08', note: 'a\u202eb' }, ['note']],
    [{ reason: 'other', reversedOn: '2026-10-08', amount: '1.00' }, ['amount']],
  ])('%j is refused naming %j', (body, fields) =>
    expect(fieldsOf(() => parseReversalRequest(JSON.stringify(body)))).toEqual(fields),
  );

  test('a body that is not JSON is InvalidJson; JSON but not one object, or a repeated key, names the body or field', () => {
    expect(() => parseReversalRequest('{"reason":')).toThrow(InvalidJsonError);
    expect(() => parseReversalRequest(null)).toThrow(InvalidJsonError);
    expect(fieldsOf(() => parseReversalRequest('[1]'))).toEqual(['(body)']);
    expect(
      fieldsOf(() => parseReversalRequest('{"reason":"other","reason":"other","reversedOn":"2026-10-08"}')),
    ).toEqual(['reason']);
  });

  test('calendar dates only', () => {
    expect([isCalendarDate('2028-02-29'), isCalendarDate('2027-02-29'), isCalendarDate('2026-13-01')]).toEqual([
      true,
      false,
      false,
    ]);
  });
});

describe('the reversal date', () => {
  const payment = { timestamp: '2026-10-05T23:30:00.000Z', localDate: '2026-10-05' };
  const now = new Date('2026-10-20T12:00:00.000Z');

  test("on or after the payment's own (local) date, up to today anywhere on Earth", () => {
    for (const reversedOn of ['2026-10-05', '2026-10-20', '2026-10-21'])
      expect(() => checkReversalDate({ reversedOn }, payment, now)).not.toThrow();
  });

  test("before the payment's date, or in the future, is refused naming reversedOn", () => {
    expect(fieldsOf(() => checkReversalDate({ reversedOn: '2026-10-04' }, payment, now))).toEqual(['reversedOn']);
    expect(fieldsOf(() => checkReversalDate({ reversedOn: '2026-10-22' }, payment, now))).toEqual(['reversedOn']);
  });

  test('a payment stored before local dates were kept is judged by its UTC date', () => {
    const old = { timestamp: '2026-10-05T23:30:00.000Z' };
    expect(() => checkReversalDate({ reversedOn: '2026-10-05' }, old, now)).not.toThrow();
  });
});

describe('who may reverse', () => {
  test('only the integration that submitted the payment for its customer', () => {
    expect(mayReverse({ userId: USER, submittedBy: FEED }, FEED)).toBe(true);
    expect(mayReverse({ userId: USER, submittedBy: FEED }, 'another-feed')).toBe(false);
    // The customer's own payment: no integration saw it leave the bank.
    expect(mayReverse({ userId: USER, submittedBy: USER }, USER)).toBe(false);
    expect(mayReverse({ userId: USER, submittedBy: USER }, FEED)).toBe(false);
  });
});

describe('one reversal per payment', () => {
  const request = { reason: 'returned-unpaid' as const, reversedOn: '2026-10-08', note: null };

  test('none stored: record it; the same again: replay', () => {
    expect(reversalOutcome(undefined, request)).toBe('record');
    expect(reversalOutcome(stored(), request)).toBe('replay');
  });

  test.each([[{ reason: 'insufficient-funds' as const }], [{ reversedOn: '2026-10-09' }], [{ note: 'a note' }]])(
    'a different one (%j) conflicts',
    (change) => {
      expect(() => reversalOutcome(stored(), { ...request, ...change })).toThrow(ReversalConflictError);
    },
  );
});
