/**
 * A payment's description ("Netflix", "Rent, flat 2") as it will read on a credit report.
 */

/** Counted in Unicode code points after trimming, so an emoji counts as one, as a person would count it. */
export const DESCRIPTION_MAX_LENGTH = 140;

export type DescriptionRefusal = 'empty' | 'too-long' | 'forbidden-character';

export type DescriptionResult = { ok: true; description: string } | { ok: false; reason: DescriptionRefusal };

// Control characters (Cc) and line/paragraph separators would break the report's layout;
// bidi embeddings, overrides and isolates can make a description display as something other
// than what it says; a lone surrogate (Cs, in a `u` regex) is not text at all and would not
// survive being stored as UTF-8.
const FORBIDDEN = /[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/** Trimmed and NFC-normalised, so that the same words typed on two devices are the same text. */
export const normaliseDescription = (text: string): DescriptionResult => {
  const description = text.trim().normalize('NFC');
  if (description.length === 0) return { ok: false, reason: 'empty' };
  if (FORBIDDEN.test(description)) return { ok: false, reason: 'forbidden-character' };
  if ([...description].length > DESCRIPTION_MAX_LENGTH) return { ok: false, reason: 'too-long' };
  return { ok: true, description };
};
