/**
 * Text from an execution (a client id, a request body, an error cause) is whatever its sender
 * put there: printed raw, `\x1b]0;…\x07` retitles an operator's terminal and `\x1b[2J` clears it.
 * Every human-readable output of `npm run ops` and the console shows such characters as visible
 * escapes instead; JSON output stays exact JSON.
 */

// C0, DEL and C1 controls, and the Unicode format controls that reorder or hide text (bidi
// overrides and isolates, as in "Trojan Source", CVE-2021-42574).
const CONTROL = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

const escapeOf = (character: string): string => {
  const code = character.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

// What JSON.stringify leaves raw (it escapes C0 itself): DEL, C1 and the format controls.
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The text with every control character shown as `\xNN` (`\uNNNN` past U+00FF): one line, inert in any terminal. */
export const visibleControls = (text: string): string => text.replace(CONTROL, escapeOf);

/** A multi-line text for a terminal (a rendered table, a report): its line breaks kept, every other control shown. */
export const visibleControlsByLine = (text: string): string => text.split('\n').map(visibleControls).join('\n');

/** A value as indented JSON that parses to the same value, with no control character left raw (`\uNNNN` escapes). */
export const exactJson = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(
    RAW_IN_JSON,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
