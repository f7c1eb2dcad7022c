/**
 * A commitment's history said in words (no DOM: the strip's text alternative, and what unit tests read): consecutive
 * months of one status as one run, then the months with a payment the bank returned or reversed (decisions/0019).
 */
export type HistoryStatus = 'kept' | 'missed' | 'pending' | 'none' | 'disputed';
export interface HistoryMonth {
  month: string;
  status: HistoryStatus;
}

export const STATUS_WORDS: Record<HistoryStatus, string> = {
  kept: 'kept',
  missed: 'missed',
  pending: 'pending',
  none: 'no payments yet',
  disputed: 'disputed (under investigation)',
};

/** The reversed months, said after the runs; nothing when there are none. */
const reversedText = (reversedMonths: readonly string[]): string =>
  reversedMonths.length === 0
    ? ''
    : ` A payment of ${reversedMonths.join(', ')} was returned or reversed by the bank: it does not count as kept.`;

/** The history said in words, consecutive months of one status as one run, then the months with a reversed payment. */
export const historyText = (history: readonly HistoryMonth[], reversedMonths: readonly string[] = []): string => {
  const runs: { first: string; last: string; status: HistoryStatus }[] = [];
  for (const { month, status } of history) {
    const run = runs.at(-1);
    if (run?.status === status) run.last = month;
    else runs.push({ first: month, last: month, status });
  }
  const said = runs.map(({ first, last, status }) =>
    first === last ? `${first} ${STATUS_WORDS[status]}` : `${first} to ${last} ${STATUS_WORDS[status]}`,
  );
  return `Last ${history.length} months, most recent first: ${said.join('; ')}.${reversedText(reversedMonths)}`;
};
