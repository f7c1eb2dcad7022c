import { randomUUID } from 'node:crypto';
import type { CommitmentPayment } from '#domain/report';
import { byLocalMonth, monthsFromTo, utcBoundsOfLocalMonths } from '#domain/user-history';

const paid = (timestamp: string, localDate?: string, id: string = randomUUID()): CommitmentPayment => ({
  id,
  userId: 'a0000000-0000-4000-8000-000000000000',
  timestamp,
  ...(localDate ? { localDate } : {}),
  description: 'DD PUREGYM',
  currency: 'GBP',
  amount: '35.00',
  amountMinor: 3500,
  clientId: 'local-integration',
  submittedBy: 'local-integration',
});

describe('a user history read at once', () => {
  test('the months from one to another, across a year end; none when the first is after the last', () => {
    expect(monthsFromTo('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthsFromTo('2026-02', '2026-02')).toEqual(['2026-02']);
    expect(monthsFromTo('2026-03', '2026-02')).toEqual([]);
  });

  test('the UTC range holds every local date of the months: a day before the first, a day after the last', () => {
    expect(utcBoundsOfLocalMonths('2024-11', '2026-09')).toEqual({
      from: '2024-10-31T00:00:00.000Z',
      to: '2026-10-02T00:00:00.000Z',
    });
    // The furthest offsets the API accepts (±23:59) stay inside it.
    const { from, to } = utcBoundsOfLocalMonths('2026-01', '2026-01');
    expect(new Date(Date.parse('2026-01-01T00:00:00+23:59')).toISOString() >= from).toBe(true);
    expect(new Date(Date.parse('2026-01-31T23:59:59.999-23:59')).toISOString() <= to).toBe(true);
  });

  test('each payment counts for its local month, each month present and in time order (the id breaking ties); others left out', () => {
    const [early, late] = ['1', '2'].map((digit) => `${digit.repeat(8)}-0000-4000-8000-000000000000`) as [
      string,
      string,
    ];
    const payments = [
      paid('2026-03-01T00:30:00.000Z', '2026-02-28'), // -01:00: February locally
      paid('2026-02-10T12:00:00.000Z', undefined, late),
      paid('2026-02-10T12:00:00.000Z', undefined, early),
      paid('2026-01-31T23:30:00.000Z', '2026-02-01'), // +01:00: February locally
      paid('2025-12-31T23:00:00.000Z', '2026-01-01'), // outside: January locally
      paid('2026-04-01T00:00:00.000Z'), // outside: April
    ];
    const months = byLocalMonth(payments, '2026-02', '2026-03');
    expect(
      months.map(({ month, payments: of }) => [month, of.map((p) => p.localDate ?? p.timestamp.slice(0, 10))]),
    ).toEqual([
      ['2026-02', ['2026-02-01', '2026-02-10', '2026-02-10', '2026-02-28']],
      ['2026-03', []],
    ]);
    expect(months[0]!.payments.slice(1, 3).map((p) => p.id)).toEqual([early, late]);
  });
});
