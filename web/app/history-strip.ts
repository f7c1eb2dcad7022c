/**
 * A commitment's 24-month history as a strip of cells, most recent first, read at a glance: each cell
 * has its own colour and mark (not colour alone), and the strip has a text alternative that says
 * the same in runs of months ("2026-11 to 2026-10 kept; 2026-09 missed; ...").
 */
export type HistoryStatus = 'kept' | 'missed' | 'pending' | 'none' | 'disputed';
export interface HistoryMonth {
  month: string;
  status: HistoryStatus;
}

const MARK: Record<HistoryStatus, string> = { kept: '✓', missed: '✗', pending: '…', none: '', disputed: '?' };
export const STATUS_WORDS: Record<HistoryStatus, string> = {
  kept: 'kept',
  missed: 'missed',
  pending: 'pending',
  none: 'no payments yet',
  disputed: 'disputed (under investigation)',
};

/** The history said in words, consecutive months of one status as one run. */
export const historyText = (history: readonly HistoryMonth[]): string => {
  const runs: { first: string; last: string; status: HistoryStatus }[] = [];
  for (const { month, status } of history) {
    const run = runs.at(-1);
    if (run?.status === status) run.last = month;
    else runs.push({ first: month, last: month, status });
  }
  const said = runs.map(({ first, last, status }) =>
    first === last ? `${first} ${STATUS_WORDS[status]}` : `${first} to ${last} ${STATUS_WORDS[status]}`,
  );
  return `Last ${history.length} months, most recent first: ${said.join('; ')}.`;
};

export const historyStrip = (history: readonly HistoryMonth[]): HTMLElement => {
  const figure = document.createElement('div');
  figure.className = 'history';
  const strip = document.createElement('ol');
  strip.className = 'history-strip';
  // The cells are for the eye; the sentence below says the same to a screen reader.
  strip.setAttribute('aria-hidden', 'true');
  for (const { month, status } of history) {
    const cell = document.createElement('li');
    cell.className = `cell ${status}`;
    cell.dataset.status = status;
    cell.title = `${month}: ${STATUS_WORDS[status]}`;
    cell.textContent = MARK[status];
    strip.append(cell);
  }
  const text = document.createElement('p');
  text.className = 'visually-hidden history-text';
  text.textContent = historyText(history);
  figure.append(strip, text);
  return figure;
};
