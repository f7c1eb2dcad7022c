import { descriptionKey } from '#domain/description';

/**
 * The payee a bank narrative names, as a key that survives what banks vary from month to month:
 * the rail ("DD", "DIRECT DEBIT", "CARD PAYMENT TO"), references and mandate numbers, phone
 * numbers, dates, card digits, case, punctuation, a web domain's suffix and a trailing city or
 * country. What is left are the payee's own words, in order, so two payees that share only a
 * rail, a generic word or a brand keep distinct keys ("amazon prime" / "amazon music").
 * Pure; the rules and their sources are in docs/decisions/0015-commitments-cycles-history.md.
 */

const MONTH_NAME = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*';

/** Whole phrases removed before the narrative is split into words (order matters: longest first). */
const NOISE_PATTERNS: readonly RegExp[] = [
  // US ACH (Bank of America "DES:... ID:... INDN:... CO ID:... PPD"): the payee is before DES:.
  /\s(?:des|indn|co id|id|trace|sec):.*$/u,
  // Chase ACH "ORIG CO NAME:COMCAST CO ENTRY DESCR:..." keeps the originator's name only.
  /^orig co name:\s*(.*?)\s+co entry descr:.*$/u,
  // Wells Fargo "PURCHASE AUTHORIZED ON 11/05", "RECURRING PAYMENT AUTHORIZED ON".
  /\b(?:purchase|recurring payment|payment) authori[sz]ed on\b/gu,
  // Dates: 2026-11-05, 05/11/26, 05.11, 5 nov 2026, 05nov, nov 5, times 14:32.
  /\b\d{4}-\d{1,2}-\d{1,2}\b/gu,
  /\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b/gu,
  new RegExp(`\\b\\d{1,2}\\s?${MONTH_NAME}(?:\\s?\\d{2,4})?\\b`, 'gu'),
  new RegExp(`\\b${MONTH_NAME}\\s?\\d{1,2}(?:,?\\s?\\d{4})?\\b`, 'gu'),
  /\b\d{1,2}:\d{2}(?::\d{2})?\b/gu,
  // A day alone after "on" ("CARD PAYMENT TO NETFLIX.COM ON 05").
  /\bon\s+\d{1,2}(?:st|nd|rd|th)?\b/gu,
  // Phone numbers: a country code or a group of 3+ digits, then 4+ more digits, spaces, dots or dashes between
  // ("866-579-7172", "+44 20 7946 0958"); "FLAT 2" before one keeps its 2.
  /(?<![\p{L}\d])(?:\+\d{1,3}|\d{3,})(?:[\s.-]?\d){4,}/gu,
  // Card digits: "xxxx1234", "****1234", "card ending 1234", "card no 1234".
  /[x*]{2,}\d{2,4}\b/gu,
  /\bcard\s+(?:ending|no\.?|number)?\s*\d{4}\b/gu,
  // A reference after its label: "ref abc123", "mandate no 0012", "reference: RENT-FLAT2".
  /\b(?:ref|reference|mandate|mandate no|mandate ref|ref no|transaction|txn|trn|auth|id)\b[\s.:#-]*(?:no\b[\s.:#-]*)?[a-z0-9/-]*\d[a-z0-9/-]*/gu,
  // Web domains: "netflix.com", "www.spotify.co.uk", "apple.com/bill" keep the name.
  /\bwww\./gu,
  /\.(?:com|net|org|io|tv|co|uk|us|ie|de|fr|nl|eu|app|me)\b/gu,
];

/**
 * Words of the rails (UK: Bacs Direct Debit, standing orders, Faster Payments, card; US: ACH,
 * debit card, POS) and payment processors' prefixes: never part of a payee's name.
 */
const RAIL_PHRASES: readonly string[] = [
  'direct debit',
  'directdebit',
  'standing order',
  'standingorder',
  'faster payments',
  'faster payment',
  'card payment',
  'card purchase',
  'debit card purchase',
  'debit card',
  'bill payment',
  'online payment',
  'mobile payment',
  'bank transfer',
  'recurring payment',
  'ach debit',
  'ach pmt',
  'pos purchase',
  'pos debit',
  'visa purchase',
  'contactless payment',
  'payment to',
  'paypal',
  'sq',
  'tst',
];
const RAIL_WORDS = new Set([
  'dd',
  'ddr',
  'so',
  'sto',
  'stdord',
  'fps',
  'fp',
  'fpo',
  'bacs',
  'bgc',
  'tfr',
  'cpt',
  'pos',
  'ach',
  'ppd',
  'web',
  'ccd',
  'visa',
  'mastercard',
  'contactless',
  'card',
  'debit',
  'pmt',
  'pymt',
  'payment',
  'purchase',
  'recurring',
  'online',
  'to',
  'on',
  'ref',
  'reference',
  'mandate',
  'ltd',
  'limited',
  'plc',
  'inc',
  'llc',
  'gmbh',
  'bv',
  'sarl',
]);

/** A trailing place a card feed appends; removed from the end only, and never the payee's last word. */
const TRAILING_PLACES = new Set([
  'london',
  'manchester',
  'birmingham',
  'leeds',
  'glasgow',
  'edinburgh',
  'bristol',
  'liverpool',
  'cardiff',
  'belfast',
  'dublin',
  'amsterdam',
  'luxembourg',
  'paris',
  'berlin',
  'cork',
  'stockholm',
  'seattle',
  'gatos',
  'los',
  'cupertino',
  'sunnyvale',
  'york',
  'new',
  'san',
  'francisco',
  'jose',
  'uk',
  'gb',
  'gbr',
  'united',
  'kingdom',
  'us',
  'usa',
  'nl',
  'ie',
  'irl',
  'lu',
  'lux',
  'de',
  'fr',
  'ca',
  'ny',
  'wa',
  'tx',
  'fl',
  'il',
  'ma',
  'nj',
  'ga',
  'va',
  'gbp',
  'usd',
  'eur',
]);

// Escaped for a regular expression: the phrases are plain words.
const RAIL_PHRASE = new RegExp(
  `(?:^|\\s)(?:${RAIL_PHRASES.map((phrase) => phrase.replaceAll(' ', '\\s+')).join('|')})(?=\\s|$)`,
  'gu',
);

/** A word that is a reference or a number, not a name: it holds a digit and is 5 or more characters, or 3 or more digits. */
const isReferenceWord = (word: string): boolean =>
  /\d/u.test(word) && (word.length >= 5 || (word.match(/\d/gu)?.length ?? 0) >= 3);

const dropTrailingPlaces = (words: string[]): string[] => {
  const kept = [...words];
  while (kept.length > 1 && TRAILING_PLACES.has(kept.at(-1)!)) kept.pop();
  return kept;
};

/** The same word twice in a row is one ("NETFLIX.COM NETFLIX.COM CA" names Netflix once). */
const dropRepeats = (words: string[]): string[] => words.filter((word, index) => word !== words[index - 1]);

/**
 * The payee key of a narrative. Falls back to the case-folded narrative with its punctuation
 * spaced out when the rules would leave nothing (a narrative that is only "DIRECT DEBIT"), so a
 * key is never empty.
 */
export const payeeKey = (narrative: string): string => {
  let text = descriptionKey(narrative);
  for (const pattern of NOISE_PATTERNS) {
    // The one-off patterns keep their first group (the originator's name), if they have one.
    text = text.replace(pattern, (...match: unknown[]) => ` ${typeof match[1] === 'string' ? match[1] : ''} `);
  }
  // Apostrophes join ("sainsbury's"); "&" joins ("m&s"); other punctuation separates words.
  text = text.replace(/['’&]/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ');
  text = ` ${text} `.replace(RAIL_PHRASE, ' ');
  const words = text.split(' ').filter((word) => word !== '' && !RAIL_WORDS.has(word) && !isReferenceWord(word));
  const key = dropRepeats(dropTrailingPlaces(words)).join(' ');
  if (key !== '') return key;
  return (
    descriptionKey(narrative)
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim() || descriptionKey(narrative)
  );
};
