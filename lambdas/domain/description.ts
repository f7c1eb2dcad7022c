/**
 * A payment's description ("Netflix", "Rent, flat 2") as it will read on a credit report.
 */

/** Counted in Unicode code points after trimming, so an emoji counts as one, as a person would count it. */
export const DESCRIPTION_MAX_LENGTH = 140;

export type DescriptionRefusal = 'empty' | 'too-long' | 'forbidden-character' | 'nothing-visible';

export type DescriptionResult = { ok: true; description: string } | { ok: false; reason: DescriptionRefusal };

/**
 * Characters a description may not hold, as the body of a regular-expression class (`u` flag).
 * Control characters (Cc) and line/paragraph separators would break the report's layout. Format
 * characters (Cf: zero-width space, soft hyphen, tags, bidi marks), every default-ignorable code
 * point (Hangul fillers, variation selectors) and the bidi controls display as nothing, or
 * reorder what is around them, so "Net\u200bflix" would read as "Netflix" yet be another payee.
 * Noncharacters are not for interchange. A lone surrogate (Cs) is not text at all and would not
 * survive being stored as UTF-8. The JSON Schema's pattern is built from this, so the contract
 * and the code refuse the same characters.
 */
const INVISIBLE_CHARACTERS = '\\p{Cf}\\p{Default_Ignorable_Code_Point}\\p{Noncharacter_Code_Point}\\p{Bidi_Control}';
export const FORBIDDEN_CHARACTERS = `\\p{Cc}\\p{Cs}\\p{Zl}\\p{Zp}${INVISIBLE_CHARACTERS}`;

/**
 * A character that shows something: a letter, digit, punctuation or symbol that is not default
 * ignorable. Marks alone, spaces and the braille blank (U+2800, a symbol that draws no dot) do not.
 */
export const VISIBLE_CHARACTER = '(?![\\u2800\\p{Default_Ignorable_Code_Point}])[\\p{L}\\p{N}\\p{P}\\p{S}]';

const FORBIDDEN = new RegExp(`[${FORBIDDEN_CHARACTERS}]`, 'u');
const INVISIBLE_ALL = new RegExp(`[${INVISIBLE_CHARACTERS}]`, 'gu');
const FORBIDDEN_ALL = new RegExp(`[${FORBIDDEN_CHARACTERS}]`, 'gu');
const VISIBLE = new RegExp(VISIBLE_CHARACTER, 'u');

/**
 * The whole rule as one ECMA-262 pattern for the JSON Schema (and so the OpenAPI document):
 * optional whitespace around 1 to `maxLength` allowed characters that begin and end with a
 * non-space, at least one of them visible. Whitespace is what `String.prototype.trim` removes
 * (`\s`), so the limit is counted after trimming, as the contract says. No lookbehind, for
 * validators in other languages. A payee's name and reference follow the same rule, shorter.
 */
export const textPattern = (maxLength: number): string =>
  `^(?=[\\s\\S]*${VISIBLE_CHARACTER})\\s*[^\\s${FORBIDDEN_CHARACTERS}]` +
  `(?:[^${FORBIDDEN_CHARACTERS}]{0,${maxLength - 2}}[^\\s${FORBIDDEN_CHARACTERS}])?\\s*$`;

export const DESCRIPTION_PATTERN = textPattern(DESCRIPTION_MAX_LENGTH);

/**
 * Trimmed and NFC-normalised, so that the same words typed on two devices are the same text.
 * The length is counted as sent (after trimming), as the schema's pattern counts it.
 */
export const normaliseText = (text: string, maxLength: number): DescriptionResult => {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { ok: false, reason: 'empty' };
  if (FORBIDDEN.test(trimmed)) return { ok: false, reason: 'forbidden-character' };
  if ([...trimmed].length > maxLength) return { ok: false, reason: 'too-long' };
  if (!VISIBLE.test(trimmed)) return { ok: false, reason: 'nothing-visible' };
  return { ok: true, description: trimmed.normalize('NFC') };
};

export const normaliseDescription = (text: string): DescriptionResult => normaliseText(text, DESCRIPTION_MAX_LENGTH);

/** What a refused text field is told, for a description or a payee's name or reference. */
export const textRefusalMessage = (reason: DescriptionRefusal, maxLength: number): string => {
  switch (reason) {
    case 'empty':
      return 'must not be empty or only whitespace';
    case 'too-long':
      return `must be at most ${maxLength} characters (Unicode code points, after trimming)`;
    case 'forbidden-character':
      return 'must not contain control characters, line separators, or invisible characters: format (e.g. U+200B, U+00AD), bidi-control (e.g. U+200F), default-ignorable or noncharacter code points';
    case 'nothing-visible':
      return 'must contain at least one visible character (a letter, digit, punctuation or symbol)';
  }
};

/**
 * The form two descriptions share when they read the same: compatibility-normalised (NFKC: a
 * full-width "Ｎｅｔｆｌｉｘ" is "Netflix"), without the invisible characters validation refuses
 * (payments stored before it refused them group with their visible twins), whitespace runs as
 * one space, case-folded. Commitments are grouped by it.
 */
export const descriptionKey = (description: string): string =>
  description
    .normalize('NFKC')
    // Invisible first (U+FEFF counts as whitespace to JS, yet separates nothing), then whitespace,
    // so that a tab or newline still separates words, then whatever else is forbidden.
    .replace(INVISIBLE_ALL, '')
    .replace(/[\s\u2800]+/gu, ' ')
    .replace(FORBIDDEN_ALL, '')
    .trim()
    // Lower, upper, lower: full case folding as JS offers it ("STRASSE" and "Straße" are one payee,
    // as are the Greek capital and its iota subscript). The first lowering matters: the capital
    // sharp s "ẞ" upper-cases to itself and lowers to "ß", which would then fold again to "ss";
    // so the key of a key is the key. Then NFKC again for what that decomposed.
    .toLowerCase()
    .toUpperCase()
    .toLowerCase()
    .normalize('NFKC');
