import { randomUUID } from 'node:crypto';
import type { PaymentRecord } from '#domain/payment-record';

/** A stored payment as the submission path writes it (one item, with its index keys). */
export const storedPayment = (
  overrides: Partial<PaymentRecord> & Pick<PaymentRecord, 'userId' | 'timestamp'>,
): PaymentRecord => ({
  id: randomUUID(),
  description: 'Netflix',
  currency: 'GBP',
  amount: '9.99',
  amountMinor: 999,
  receivedAt: new Date().toISOString(),
  requestId: randomUUID(),
  clientId: 'local-user-app',
  submittedBy: overrides.userId,
  ...overrides,
});
