import { visibleControls, visibleControlsByLine } from '#devtools/visible-controls';
import { escapeHtml } from '#local/html-escape';

/**
 * Every text the console shows comes from an execution (a request body, a client id, an error
 * cause) and may be anything: escaped for HTML, and its control characters shown as `\xNN`,
 * as `npm run ops` shows them (a copied escape sequence must not reach a terminal intact).
 */
export const htmlText = (text: string): string => escapeHtml(visibleControls(text));

/** A block of lines (a `<pre>`): its line breaks kept, every other control character shown. */
export const htmlLines = (text: string): string => escapeHtml(visibleControlsByLine(text));
