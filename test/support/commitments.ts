import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbReportRepository } from '#adapters/report-repository';
import { previousMonth } from '#domain/month';
import type { MonthlyReport } from '#domain/report';

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
 * payments it cites), for seeding a report where the build itself is not what is tested. `key`
 * repeats the id so that the report's parts join as the stored reports do.
 */
export const reportedCommitment = (
  commitmentId: string,
  payee: string,
  history: { month: string; status: Status }[],
  payments: SeededPayment[],
): Record<string, unknown> => ({
  commitmentId,
  key: commitmentId,
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
