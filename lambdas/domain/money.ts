/**
 * Exact amounts. An amount arrives as decimal text (a JSON string, or a JSON number's literal
 * text) and is only ever handled as text and BigInt, so 9.99 stays 9.99: a binary float
 * cannot hold most decimal fractions, and rounding money is not ours to do.
 */

/** The contract's limit (the schema's pattern says the same): no monthly commitment comes near it. */
export const MAX_INTEGER_DIGITS = 15;

export interface ExactAmount {
  /** The amount with exactly the currency's minor-unit digits: `9.90`, `1000` (JPY), `1.500` (BHD). */
  amount: string;
  /** The same amount in minor units (pence, yen, fils): an integer that a JS number holds exactly. */
  amountMinor: number;
}

export type AmountRefusal =
  /** Not digits with an optional fraction: a `+`, an exponent, spaces, `.5`, `5.`. */
  | 'not-plain-decimal'
  | 'too-many-integer-digits'
  /** More fraction digits than the currency has minor units, trailing zeros included. */
  | 'too-many-fraction-digits'
  /** Zero, or negative (`-1`, `-0.5`). */
  | 'not-positive'
  /** The minor-unit integer would exceed Number.MAX_SAFE_INTEGER. */
  | 'too-large';

export type AmountResult = ({ ok: true } & ExactAmount) | { ok: false; reason: AmountRefusal };

const PLAIN_DECIMAL = /^([0-9]+)(?:\.([0-9]+))?$/;

/**
 * The exact form of `text` in a currency with `minorUnits` fraction digits. Leading zeros are
 * accepted and dropped (`007.5` is `7.50`); a fraction longer than the currency's is refused
 * even when it ends in zeros (`9.990` GBP): the contract allows no more fraction digits than
 * minor units, and a client sending three for GBP has more likely mixed up currencies (a BHD
 * amount labelled GBP) than padded by accident; accepting it would hide that bug.
 */
export const toExactAmount = (text: string, minorUnits: number): AmountResult => {
  const match = PLAIN_DECIMAL.exec(text);
  if (!match)
    return {
      ok: false,
      reason: text.startsWith('-') && PLAIN_DECIMAL.test(text.slice(1)) ? 'not-positive' : 'not-plain-decimal',
    };
  const integerDigits = match[1]!.replace(/^0+(?=[0-9])/, '');
  const fractionDigits = match[2] ?? '';
  if (integerDigits.length > MAX_INTEGER_DIGITS) return { ok: false, reason: 'too-many-integer-digits' };
  if (fractionDigits.length > minorUnits) return { ok: false, reason: 'too-many-fraction-digits' };

  const fraction = fractionDigits.padEnd(minorUnits, '0');
  const minor = BigInt(integerDigits + fraction);
  if (minor <= 0n) return { ok: false, reason: 'not-positive' };
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'too-large' };

  return {
    ok: true,
    amount: minorUnits === 0 ? integerDigits : `${integerDigits}.${fraction}`,
    amountMinor: Number(minor),
  };
};

/**
 * The decimal text of `minor` minor units in a currency with `minorUnits` fraction digits:
 * `1998n, 2` is `19.98`. The inverse of `toExactAmount`; BigInt throughout, so a sum of many
 * amounts stays exact however large it grows.
 */
export const formatMinorUnits = (minor: bigint, minorUnits: number): string => {
  const sign = minor < 0n ? '-' : '';
  const digits = (minor < 0n ? -minor : minor).toString().padStart(minorUnits + 1, '0');
  if (minorUnits === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -minorUnits)}.${digits.slice(-minorUnits)}`;
};
