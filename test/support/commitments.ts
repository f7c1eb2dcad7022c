import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PaymentSubmission } from '#client/payments-api';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { testDocumentClient } from './dynamodb';
import { submit } from './http';
import { paymentSubmission } from '#devtools/submissions';
import { DynamoDbReportRepository } from '#adapters/report-repository';
import { previousMonth } from '#domain/month';
import type { Commitment, MonthlyReport } from '#domain/report';
import { historyOf, paymentHistoryProfile, streakOf } from '#domain/payment-history';
import type { CycleStatus } from '#domain/payment-history';

export type Status = 'kept' | 'missed' | 'pending' | 'none';

/** 24 months of history, most recent first, from `month`: `statuses[i]` for month i back, `none` beyond. */
export const historyFrom = (month: string, statuses: readonly Status[]): { month: string; status: Status }[] => {
  const history: { month: string; status: Status }[] = [];
  for (let index = 0, current = month; index < 24; index += 1, current = previousMonth(current))
    history.push({ month: current, status: statuses[index] ?? 'none' });
  return history;
};

export interface SeededPayment {
  id: string;
  timestamp: string;
  localDate: string;
  amount: string;
}

/**
 * A commitment in the shape the report build writes (commitmentId, payee, 24-month history, the
 * payments it cites), for seeding a report where the build itself is not what is tested.
 */
export const reportedCommitment = (
  commitmentId: string,
  payee: string,
  history: { month: string; status: Status }[],
  payments: SeededPayment[],
): Record<string, unknown> => ({
  commitmentId,
  payee,
  payeeKey: commitmentId.split('#')[1],
  kind: 'subscription',
  currency: 'GBP',
  amount: payments.at(-1)?.amount ?? '0.00',
  dueDay: 5,
  lastPaidOn: payments.at(-1)?.localDate ?? null,
  streak: history.findIndex((entry) => entry.status !== 'kept'),
  history,
  paymentHistoryProfile: history
    .map((entry) => (entry.status === 'kept' ? '0' : entry.status === 'none' ? 'B' : 'D'))
    .join(''),
  clientIds: ['local-user-app'],
  selfReported: true,
  payments: payments.map((payment) => ({ ...payment, clientId: 'local-user-app', onBehalf: false })),
});

/** Stores a report of these commitments for the user and month, as the report run stores one. */
export const seedReport = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
  month: string,
  commitments: Record<string, unknown>[],
): Promise<void> => {
  const report = { userId, month, payments: 0, builtAt: new Date().toISOString(), commitments };
  await new DynamoDbReportRepository(documentClient, tableName).putReports([report as unknown as MonthlyReport]);
};

/**
 * A customer of a started stack with two payments to one gym under two bank narratives, and their report of
 * `reportMonth` in which the two are two commitments (GBP#puregym, GBP#dd-puregym), with 24-month histories.
 */
export const seedGymCustomer = async (
  stack: RunningLocalStack,
  userId: string,
  reportMonth: string,
): Promise<{ gym: PaymentSubmission; gymAgain: PaymentSubmission }> => {
  const token = await stack.token({ sub: userId });
  const gym = paymentSubmission({ userId, description: 'PUREGYM LTD', timestamp: `${reportMonth}-05T09:30:00Z` });
  const gymAgain = paymentSubmission({
    userId,
    description: 'DD PUREGYM 0042',
    timestamp: `${reportMonth}-06T09:30:00Z`,
  });
  for (const body of [gym, gymAgain]) {
    const answer = await submit(stack.url, token, body);
    if (answer.status !== 201) throw new Error(`The seeded payment answered ${answer.status}`);
  }
  const cited = (body: PaymentSubmission): SeededPayment => ({
    id: body.id,
    timestamp: body.timestamp as string,
    localDate: (body.timestamp as string).slice(0, 10),
    amount: '9.99',
  });
  await seedReport(testDocumentClient(), stack.tableNames.payments, userId, reportMonth, [
    reportedCommitment('GBP#puregym', 'PUREGYM LTD', historyFrom(reportMonth, ['kept', 'kept', 'missed']), [
      cited(gym),
    ]),
    reportedCommitment('GBP#dd-puregym', 'DD PUREGYM', historyFrom(reportMonth, ['kept', 'none', 'kept']), [
      cited(gymAgain),
    ]),
  ]);
  return { gym, gymAgain };
};

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
