import { historyOf, paymentHistoryProfile, streakOf } from '#domain/payment-history';
import type { CycleStatus } from '#domain/payment-history';
import { previousMonth } from '#domain/month';
import type { Commitment } from '#domain/report';

/**
 * A commitment as a report stores it, for tests that need one without building it: kept for
 * `keptMonths` months up to `month` (its history, streak and profile agree), then none.
 */
export const commitmentFixture = (
  month: string,
  keptMonths: number,
  overrides: Partial<Commitment> = {},
): Commitment => {
  const known = new Map<string, CycleStatus>();
  for (let at = month, n = 0; n < keptMonths; at = previousMonth(at), n += 1) known.set(at, 'kept');
  const history = historyOf(month, known);
  return {
    commitmentId: 'GBP#netflix',
    payee: 'Netflix',
    payeeKey: 'netflix',
    kind: null,
    currency: 'GBP',
    amount: '9.99',
    dueDay: 5,
    lastPaidOn: `${month}-05`,
    streak: streakOf(history),
    history,
    paymentHistoryProfile: paymentHistoryProfile(history),
    clientIds: [],
    selfReported: true,
    payments: [],
    ...overrides,
  };
};
