import { InvalidJsonError } from '#domain/errors';
import { InvalidCorrectionError, parseCorrectionRequest } from '#domain/commitment-correction';
import {
  CorrectionRefusedError,
  type ListedCommitment,
  applyCorrections,
  checkCorrection,
  firstAffectedMonth,
} from '#domain/commitment-listing';

const PAYMENT = '3f2b8c1e-6d4a-4e2b-9c1f-8a7d6e5b4c3a';
const fieldsOf = (body: unknown): string[] => {
  try {
    parseCorrectionRequest(typeof body === 'string' ? body : JSON.stringify(body));
  } catch (error) {
    if (error instanceof InvalidCorrectionError) return error.fieldErrors.map((fieldError) => fieldError.field);
    throw error;
  }
  return [];
};

describe('parseCorrectionRequest', () => {
  test('JSON that is not an acceptable object names the field (a 400, not a 500)', () => {
    expect(fieldsOf('[1]')).toEqual(['(body)']);
    expect(fieldsOf('{"kind":"merge","kind":"move"}')).toContain('kind');
  });

  it('reads a merge and a move (payment ids lower-cased)', () => {
    expect(parseCorrectionRequest('{"kind":"merge","from":"GBP#a","into":"GBP#b"}')).toEqual({
      kind: 'merge',
      from: 'GBP#a',
      into: 'GBP#b',
    });
    expect(
      parseCorrectionRequest(JSON.stringify({ kind: 'move', paymentId: PAYMENT.toUpperCase(), into: 'new' })),
    ).toEqual({ kind: 'move', paymentId: PAYMENT, into: 'new' });
  });

  it('reads the ids reports write: payee keys of several words, letters beyond ASCII, references', () => {
    for (const id of ['GBP#pure gym', 'EUR#café nero', 'GBP#apple bill#999', 'GBP#ref#DDM 0042/7781'])
      expect(parseCorrectionRequest(JSON.stringify({ kind: 'merge', from: id, into: 'GBP#b' }))).toMatchObject({
        from: id,
      });
  });

  it.each([
    [{ from: 'a', into: 'b' }, ['kind']],
    [{ kind: 'split', from: 'a', into: 'b' }, ['kind']],
    [{ kind: 'merge', into: 'b' }, ['from']],
    [{ kind: 'merge', from: 'a' }, ['into']],
    [{ kind: 'merge', from: 7, into: 'b' }, ['from']],
    [{ kind: 'merge', from: 'a'.repeat(201), into: 'b' }, ['from']],
    [{ kind: 'merge', from: ' GBP#a', into: 'b' }, ['from']],
    [{ kind: 'merge', from: 'GBP#a ', into: 'b' }, ['from']],
    [{ kind: 'merge', from: 'GBP#a\u0000b', into: 'b' }, ['from']],
    [{ kind: 'merge', from: 'GBP#a\u200bb', into: 'b' }, ['from']],
    [{ kind: 'merge', from: 'a', into: 'b', paymentId: PAYMENT }, ['paymentId']],
    [{ kind: 'move', into: 'new' }, ['paymentId']],
    [{ kind: 'move', paymentId: 'x', into: 'new' }, ['paymentId']],
    [{ kind: 'move', paymentId: PAYMENT, into: 'new', from: 'a' }, ['from']],
    [{ kind: 'move', paymentId: PAYMENT, into: 'new', note: 'hi' }, ['note']],
  ])('%j is refused naming %j', (body, fields) => {
    expect(fieldsOf(body)).toEqual(fields);
  });

  it('refuses what is not JSON as InvalidJson', () => {
    expect(() => parseCorrectionRequest('{')).toThrow(InvalidJsonError);
    expect(() => parseCorrectionRequest(null)).toThrow(InvalidJsonError);
  });
});

const history = (statuses: string[]) =>
  statuses.map((status, index) => ({
    month: `2026-${String(10 - index).padStart(2, '0')}`,
    status,
  })) as ListedCommitment['history'];

const gym: ListedCommitment = {
  commitmentId: 'GBP#gym',
  currency: 'GBP',
  history: history(['kept', 'missed', 'none']),
  payments: [{ id: 'p1', timestamp: '2026-10-05T09:00:00.000Z', localDate: '2026-10-05' }],
};
const ddGym: ListedCommitment = {
  commitmentId: 'GBP#dd-gym',
  payeeKey: 'dd-gym',
  currency: 'GBP',
  history: history(['none', 'kept', 'kept']),
  payments: [{ id: 'p2', timestamp: '2026-09-05T09:00:00.000Z' }],
};
const euro: ListedCommitment = { commitmentId: 'EUR#gym', currency: 'EUR', history: history(['kept']), payments: [] };
const at = { at: '2026-11-02T00:00:00.000Z', by: 'u', clientId: 'app' };

describe('applyCorrections', () => {
  it('folds a merged commitment into its target: histories month by month (kept wins), payments together', () => {
    const listing = applyCorrections([gym, ddGym], [{ kind: 'merge', from: 'GBP#dd-gym', into: 'GBP#gym', ...at }]);
    expect(listing.commitments).toHaveLength(1);
    expect(listing.commitments[0]).toMatchObject({
      commitmentId: 'GBP#gym',
      mergedFrom: ['GBP#dd-gym'],
      history: history(['kept', 'kept', 'kept']),
    });
    expect(listing.commitments[0]?.payments?.map((payment) => payment.id)).toEqual(['p1', 'p2']);
    expect(listing.mergedInto).toEqual({ 'GBP#dd-gym': 'GBP#gym' });
  });

  it('follows a chain of merges, and ignores a merge that an earlier one made void (a cycle from two racing requests)', () => {
    const third: ListedCommitment = { ...ddGym, commitmentId: 'GBP#third', payments: [] };
    const listing = applyCorrections(
      [gym, ddGym, third],
      [
        { kind: 'merge', from: 'GBP#dd-gym', into: 'GBP#gym', ...at },
        { kind: 'merge', from: 'GBP#gym', into: 'GBP#dd-gym', ...at },
        { kind: 'merge', from: 'GBP#third', into: 'GBP#dd-gym', ...at },
      ],
    );
    expect(listing.commitments.map((commitment) => commitment.commitmentId)).toEqual(['GBP#gym']);
    expect(listing.commitments[0]?.mergedFrom).toEqual(['GBP#dd-gym', 'GBP#third']);
  });

  it('moves a payment into another commitment or a new one, and never across currencies', () => {
    const moved = applyCorrections([gym, ddGym], [{ kind: 'move', paymentId: 'p1', into: 'GBP#dd-gym', ...at }]);
    expect(moved.commitments.map((c) => c.payments?.map((p) => p.id))).toEqual([[], ['p2', 'p1']]);
    const alone = applyCorrections([gym, ddGym], [{ kind: 'move', paymentId: 'p2', into: 'new', ...at }]);
    expect(alone.commitments.map((c) => [c.commitmentId, c.payments?.map((p) => p.id)])).toEqual([
      ['GBP#gym', ['p1']],
      ['GBP#dd-gym', []],
      ['GBP#dd-gym#p2', ['p2']],
    ]);
    const across = applyCorrections([gym, euro], [{ kind: 'move', paymentId: 'p1', into: 'EUR#gym', ...at }]);
    expect(across.commitments).toEqual([gym, euro]);
  });
});

describe('checkCorrection', () => {
  const listing = applyCorrections([gym, ddGym, euro], [{ kind: 'merge', from: 'GBP#dd-gym', into: 'GBP#gym', ...at }]);
  const refusal = (run: () => void) => {
    try {
      run();
    } catch (error) {
      if (error instanceof CorrectionRefusedError) return [error.reason, error.field];
      throw error;
    }
    return undefined;
  };

  it.each([
    [{ kind: 'merge', from: 'GBP#gym', into: 'GBP#gym' }, ['conflict', 'into']],
    [{ kind: 'merge', from: 'GBP#dd-gym', into: 'GBP#gym' }, ['conflict', 'from']],
    [{ kind: 'merge', from: 'EUR#gym', into: 'GBP#gym' }, ['conflict', 'into']],
    [{ kind: 'merge', from: 'GBP#nope', into: 'GBP#gym' }, ['not-found', 'from']],
    [{ kind: 'merge', from: 'GBP#gym', into: 'GBP#nope' }, ['not-found', 'into']],
    [{ kind: 'move', paymentId: 'p1', into: 'GBP#gym' }, ['conflict', 'into']],
    [{ kind: 'move', paymentId: 'p1', into: 'GBP#nope' }, ['not-found', 'into']],
    [{ kind: 'move', paymentId: 'p1', into: 'new' }, undefined],
    [{ kind: 'merge', from: 'GBP#gym', into: 'EUR#gym' }, ['conflict', 'into']],
  ] as const)('%j: %j', (request, expected) => {
    expect(refusal(() => checkCorrection(listing, request, 'GBP'))).toEqual(expected);
  });

  it('refuses to move a payment into a commitment of another currency', () => {
    expect(refusal(() => checkCorrection(listing, { kind: 'move', paymentId: 'x', into: 'EUR#gym' }, 'GBP'))).toEqual([
      'conflict',
      'into',
    ]);
  });
});

describe('firstAffectedMonth', () => {
  const listing = applyCorrections([gym, ddGym], []);
  it("is a merge's earliest month with a payment in either history, a move's payment month", () => {
    expect(
      firstAffectedMonth(listing, { kind: 'merge', from: 'GBP#dd-gym', into: 'GBP#gym' }, undefined, '2026-11'),
    ).toBe('2026-08');
    expect(firstAffectedMonth(listing, { kind: 'move', paymentId: 'p2', into: 'new' }, '2026-09', '2026-11')).toBe(
      '2026-09',
    );
    expect(
      firstAffectedMonth(applyCorrections([], []), { kind: 'merge', from: 'a', into: 'b' }, undefined, '2026-11'),
    ).toBe('2026-11');
  });
});
