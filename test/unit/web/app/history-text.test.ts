import { type HistoryMonth, historyText } from '#web/app/history-text';

/** The history strip's text alternative (web/app/history-text.ts): what a screen reader hears instead of the cells. */
const history: HistoryMonth[] = [
  { month: '2026-10', status: 'kept' },
  { month: '2026-09', status: 'missed' },
  { month: '2026-08', status: 'kept' },
];

describe('the history strip in words', () => {
  test('runs of months, and nothing about reversals when there are none', () => {
    expect(historyText(history)).toBe('Last 3 months, most recent first: 2026-10 kept; 2026-09 missed; 2026-08 kept.');
  });

  test('a month with a payment the bank reversed is named after the runs', () => {
    expect(historyText(history, ['2026-09'])).toBe(
      'Last 3 months, most recent first: 2026-10 kept; 2026-09 missed; 2026-08 kept. ' +
        'A payment of 2026-09 was returned or reversed by the bank: it does not count as kept.',
    );
  });
});
