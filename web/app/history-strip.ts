/**
 * A commitment's 24-month history as a strip of cells, most recent first, read at a glance: each cell
 * has its own colour and mark (not colour alone), and the strip has a text alternative that says
 * the same in runs of months ("2026-11 to 2026-10 kept; 2026-09 missed; ..."). A month with a payment the
 * bank returned or reversed (decisions/0019) is marked ↩ and outlined, and the text names it.
 */
import { type HistoryMonth, type HistoryStatus, STATUS_WORDS, historyText } from './history-text';

export type { HistoryMonth, HistoryStatus };

const MARK: Record<HistoryStatus, string> = { kept: '✓', missed: '✗', pending: '…', none: '', disputed: '?' };
const REVERSED_MARK = '↩';

export const historyStrip = (history: readonly HistoryMonth[], reversedMonths: readonly string[] = []): HTMLElement => {
  const reversed = new Set(reversedMonths);
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
    if (reversed.has(month)) {
      cell.classList.add('reversed');
      cell.dataset.reversed = 'true';
      cell.title += '; a payment was reversed by the bank';
      cell.textContent += REVERSED_MARK;
    }
    strip.append(cell);
  }
  const text = document.createElement('p');
  text.className = 'visually-hidden history-text';
  text.textContent = historyText(history, reversedMonths);
  figure.append(strip, text);
  return figure;
};
