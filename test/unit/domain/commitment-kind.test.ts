import { InvalidKindError, type KindChoice, kindOf, parseKindRequest, withKindChoices } from '#domain/commitment-kind';
import { InvalidJsonError } from '#domain/errors';
import { buildMonthlyReport } from '#domain/report';

// The kind a report gives a commitment (decision 0024): the integration's payee.kind wins, else the customer's
// latest choice, else unknown; and the body of PUT /commitments/{id}/kind.

const choice = (kind: KindChoice['kind'], at: string, commitmentId = 'GBP#acme'): KindChoice => ({
  commitmentId,
  kind,
  at,
  by: 'u',
  clientId: 'web',
});

describe('kindOf', () => {
  const choices = [choice('telecom', '2026-11-02T00:00:00Z'), choice('rent', '2026-11-03T00:00:00Z')];
  it("the integration's kind wins over the customer's choice", () => {
    expect(kindOf({ commitmentId: 'GBP#acme', kind: 'utility' }, choices)).toEqual({
      kind: 'utility',
      kindSource: 'integration',
    });
  });
  it("else the customer's latest choice, in time order whatever the order kept", () => {
    expect(kindOf({ commitmentId: 'GBP#acme', kind: null }, choices)).toEqual({ kind: 'rent', kindSource: 'customer' });
    expect(kindOf({ commitmentId: 'GBP#acme', kind: null }, [...choices].reverse())).toMatchObject({ kind: 'rent' });
  });
  it("a kind the last build took from the customer is the customer's choice now, not the integration's", () => {
    const carried = { commitmentId: 'GBP#acme', kind: 'telecom' as const, kindSource: 'customer' as const };
    expect(kindOf(carried, choices)).toEqual({ kind: 'rent', kindSource: 'customer' });
  });
  it("else unknown; another commitment's choice does not count", () => {
    expect(
      kindOf({ commitmentId: 'GBP#acme', kind: null }, [choice('rent', '2026-11-03T00:00:00Z', 'GBP#other')]),
    ).toEqual({
      kind: null,
    });
  });
});

describe('withKindChoices on a report the build made', () => {
  const payment = (description: string, payee?: { reference: string; kind: 'utility' }) => ({
    id: `${description}-1`,
    userId: 'u',
    timestamp: '2026-10-05T09:30:00.000Z',
    description,
    currency: 'GBP',
    amount: '50.00',
    amountMinor: 5000,
    receivedAt: '2026-10-05T09:31:00.000Z',
    requestId: 'r',
    clientId: 'c',
    submittedBy: 'u',
    ...(payee ? { payee } : {}),
  });
  it('applies the choice to the unnamed commitment only, and the next build applies it afresh', () => {
    const built = buildMonthlyReport(
      'u',
      '2026-10',
      [payment('Acme Lettings'), payment('Water Co', { reference: 'W-1', kind: 'utility' })],
      undefined,
      '2026-11-01T02:00:00.000Z',
    );
    const chosen = [
      choice('rent', '2026-10-20T00:00:00Z', 'GBP#acme lettings'),
      choice('telecom', '2026-10-21T00:00:00Z', 'GBP#ref#W-1'),
    ];
    const october = withKindChoices(built, chosen);
    expect(october.commitments.map(({ commitmentId, kind, kindSource }) => [commitmentId, kind, kindSource])).toEqual([
      ['GBP#acme lettings', 'rent', 'customer'],
      ['GBP#ref#W-1', 'utility', 'integration'],
    ]);
    const november = buildMonthlyReport('u', '2026-11', [], october, '2026-12-01T02:00:00.000Z');
    const changed = withKindChoices(november, [
      ...chosen,
      choice('utility', '2026-11-20T00:00:00Z', 'GBP#acme lettings'),
    ]);
    expect(changed.commitments.map(({ kind }) => kind)).toEqual(['utility', 'utility']);
  });
});

describe('parseKindRequest', () => {
  it.each(['rent', 'utility', 'telecom', 'subscription', 'other'])('accepts %s', (kind) => {
    expect(parseKindRequest(JSON.stringify({ kind }))).toEqual({ kind });
  });
  it.each([
    ['{}', [{ field: 'kind', message: 'is required' }]],
    ['{"kind":"mortgage"}', [{ field: 'kind', message: 'must be one of rent, utility, telecom, subscription, other' }]],
    ['{"kind":"rent","extra":1}', [{ field: 'extra', message: 'is not an allowed field' }]],
  ])('refuses %s naming the field', (body, fieldErrors) => {
    expect(() => parseKindRequest(body)).toThrow(InvalidKindError);
    try {
      parseKindRequest(body);
    } catch (error) {
      expect((error as InvalidKindError).fieldErrors).toEqual(fieldErrors);
    }
  });
  it('refuses a body that is not JSON', () => {
    expect(() => parseKindRequest('{')).toThrow(InvalidJsonError);
    expect(() => parseKindRequest(null)).toThrow(InvalidJsonError);
  });
});
