import { exactJson, visibleControls, visibleControlsByLine } from '#devtools/visible-controls';

/** What a forged client id or request body may carry to an operator's terminal. */
const OSC_TITLE = '\u001b]0;owned\u0007';
const CSI_CLEAR = '\u001b[2J\u001b[H';
const C1_CSI = '\u009b31m';
const BIDI = '\u202eevil\u2066';
const RAW = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

describe('visibleControls', () => {
  test('shows C0, DEL, C1 and bidi controls as escapes and leaves other text alone', () => {
    const shown = visibleControls(`client ${OSC_TITLE}${CSI_CLEAR}${C1_CSI}${BIDI}\t\n\u007f é €`);
    expect(shown).toBe('client \\x1b]0;owned\\x07\\x1b[2J\\x1b[H\\x9b31m\\u202eevil\\u2066\\x09\\x0a\\x7f é €');
    expect(shown).not.toMatch(RAW);
  });

  test('by line: keeps the line breaks of a rendered table, nothing else', () => {
    expect(visibleControlsByLine(`a${OSC_TITLE}\nb\r`)).toBe('a\\x1b]0;owned\\x07\nb\\x0d');
  });

  test('exactJson: parses to the same value, with no control character raw', () => {
    const value = { clientId: `${OSC_TITLE}${CSI_CLEAR}${C1_CSI}${BIDI}\u0085`, n: 1 };
    const text = exactJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text.replace(/\n/g, '')).not.toMatch(RAW);
    expect(text).toContain('\\u009b31m\\u202eevil');
  });
});
