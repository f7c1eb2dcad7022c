import { PaymentConflictError } from '#domain/errors';
import { type PaymentRecord, type PaymentRepository, isLateArrival, storePayment } from '#domain/payment-record';
import { resolveIdempotency } from '#domain/submission';

const record = (overrides: Partial<PaymentRecord> = {}): PaymentRecord => ({
  id: 'c56a4180-65aa-42ec-a945-5fd21dec0538',
  userId: '0b5a3c4e-7a0f-4a8e-9a43-3f1b8e1b2c3d',
  timestamp: '2026-10-05T09:30:00.000Z',
  description: 'Netflix',
  currency: 'GBP',
  amount: '9.99',
  amountMinor: 999,
  receivedAt: '2026-10-05T09:31:00.000Z',
  requestId: 'request-1',
  clientId: 'local-user-app',
  submittedBy: '0b5a3c4e-7a0f-4a8e-9a43-3f1b8e1b2c3d',
  ...overrides,
});

/** An in-memory repository with the conditional-put semantics of the DynamoDB one. */
const memoryRepository = (): PaymentRepository & { items: Map<string, PaymentRecord> } => {
  const items = new Map<string, PaymentRecord>();
  return {
    items,
    putIfAbsent: async (item) => {
      const existing = items.get(item.id);
      if (existing) return { stored: false, existing };
      items.set(item.id, item);
      return { stored: true };
    },
    get: async (id) => items.get(id),
  };
};

describe('storePayment', () => {
  test('a new id is stored and answered as created, without internal fields', async () => {
    const repository = memoryRepository();
    const result = await storePayment(record(), repository);
    expect(result.outcome).toBe('created');
    expect(result.payment).toEqual({
      id: record().id,
      userId: record().userId,
      timestamp: '2026-10-05T09:30:00.000Z',
      description: 'Netflix',
      currency: 'GBP',
      amount: '9.99',
      receivedAt: '2026-10-05T09:31:00.000Z',
    });
    expect(repository.items.size).toBe(1);
  });

  test('the same content again replays the first answer (first receivedAt), writing nothing', async () => {
    const repository = memoryRepository();
    await storePayment(record(), repository);
    const again = await storePayment(
      record({ receivedAt: '2026-10-06T00:00:00.000Z', requestId: 'request-2' }),
      repository,
    );
    expect(again).toEqual({
      outcome: 'replayed',
      payment: expect.objectContaining({ receivedAt: '2026-10-05T09:31:00.000Z' }),
    });
    expect(repository.items.get(record().id)?.requestId).toBe('request-1');
  });

  test.each([
    ['amount', '9.98'],
    ['currency', 'EUR'],
    ['description', 'Spotify'],
    ['timestamp', '2026-10-05T09:30:00.001Z'],
    ['userId', '7c9e6679-7425-40de-944b-e07fc1f90ae7'],
  ])('a different %s under the same id is a conflict', async (field, value) => {
    const repository = memoryRepository();
    await storePayment(record(), repository);
    await expect(storePayment(record({ [field]: value }), repository)).rejects.toThrow(PaymentConflictError);
  });

  const payee = { reference: 'DDM-1', name: 'PureGym', kind: 'subscription' } as const;
  test.each([
    ['no payee, then one', undefined, payee],
    ['a payee, then none', payee, undefined],
    ['another reference', payee, { ...payee, reference: 'DDM-2' }],
    ['another kind', payee, { ...payee, kind: 'other' as const }],
    ['another name', payee, { reference: 'DDM-1', kind: 'subscription' as const }],
  ])('the payee is content: %s under the same id is a conflict', async (_case, first, second) => {
    const repository = memoryRepository();
    await storePayment(record(first ? { payee: first } : {}), repository);
    await expect(
      storePayment(record({ requestId: 'request-2', ...(second ? { payee: second } : {}) }), repository),
    ).rejects.toThrow(PaymentConflictError);
  });

  test('the same payee again replays', async () => {
    const repository = memoryRepository();
    await storePayment(record({ payee }), repository);
    const again = await storePayment(record({ payee: { ...payee }, requestId: 'request-2' }), repository);
    expect(again).toMatchObject({ outcome: 'replayed', payment: { payee } });
  });

  test('the offset is content (another local date); a payment stored before offsets were kept replays any', async () => {
    const dated = { localDate: '2026-10-05', utcOffset: 'Z' };
    const repository = memoryRepository();
    await storePayment(record(dated), repository);
    await expect(
      storePayment(record({ localDate: '2026-10-05', utcOffset: '+00:00', requestId: 'request-2' }), repository),
    ).rejects.toThrow(PaymentConflictError);
    const old = memoryRepository();
    await storePayment(record(), old);
    await expect(storePayment(record({ ...dated, requestId: 'request-2' }), old)).resolves.toMatchObject({
      outcome: 'replayed',
    });
  });
});

describe("isLateArrival: judged by the payment's local month", () => {
  test.each([
    ['2026-11-01T00:30:00.000Z', '2026-10-31', '2026-11-01T00:31:00.000Z', true],
    ['2026-11-01T00:30:00.000Z', undefined, '2026-11-01T00:31:00.000Z', false],
    ['2026-10-31T20:00:00.000Z', '2026-11-01', '2026-10-31T20:01:00.000Z', false],
    ['2026-10-05T09:30:00.000Z', '2026-10-05', '2026-11-02T00:00:00.000Z', true],
  ])('%s (local date %s) received %s: late %s', (timestamp, localDate, receivedAt, late) => {
    expect(isLateArrival({ timestamp, receivedAt, ...(localDate ? { localDate } : {}) })).toBe(late);
  });
});

describe('resolveIdempotency', () => {
  const payment = record();
  const notCalled = async (): Promise<never> => {
    throw new Error('must not read');
  };

  test('the first claimant is new, without a read', async () => {
    await expect(
      resolveIdempotency({ requestId: 'r1', firstRequestId: 'r1', payment, loadStored: notCalled }),
    ).resolves.toEqual({ outcome: 'new' });
  });

  test('a later request replays only what is stored', async () => {
    await expect(
      resolveIdempotency({ requestId: 'r2', firstRequestId: 'r1', payment, loadStored: async () => record() }),
    ).resolves.toMatchObject({ outcome: 'replayed' });
  });

  test('a later request whose first claimant never stored goes on to store', async () => {
    await expect(
      resolveIdempotency({ requestId: 'r2', firstRequestId: 'r1', payment, loadStored: async () => undefined }),
    ).resolves.toEqual({ outcome: 'new' });
  });

  test('a later request finding other content stored is a conflict', async () => {
    await expect(
      resolveIdempotency({
        requestId: 'r2',
        firstRequestId: 'r1',
        payment,
        loadStored: async () => record({ amount: '1.00' }),
      }),
    ).rejects.toThrow(PaymentConflictError);
  });
});
