import fc from 'fast-check';
import { payeeKey } from '#domain/payee-key';
import {
  DESCRIPTION_PATTERN,
  type DescriptionRefusal,
  descriptionKey,
  normaliseDescription,
} from '#domain/description';

describe('normaliseDescription', () => {
  it.each([
    ['Netflix', 'Netflix'],
    ['  Netflix \t', 'Netflix'],
    ['Rent, flat 2', 'Rent, flat 2'],
    ['\u00a0Gym\u3000', 'Gym'],
    // NFC: "e" + combining acute becomes one "é"
    ['Cafe\u0301', 'Caf\u00e9'],
    ['a'.repeat(140), 'a'.repeat(140)],
    // 140 code points, 280 UTF-16 units: counted as a person counts them
    ['😀'.repeat(140), '😀'.repeat(140)],
    // 140 code points as sent, NFC makes 70
    ['e\u0301'.repeat(70), '\u00e9'.repeat(70)],
    // whitespace and invisible characters around it are trimmed before the length is counted
    [`  ${'a'.repeat(140)} \t\n\u2028\ufeff`, 'a'.repeat(140)],
    // a combining mark on a visible base is text, not an invisible character
    ['Cafe\u0301 \u0928\u093f', 'Caf\u00e9 \u0928\u093f'],
    ['Ünïcödé ✓ ₹ 日本', 'Ünïcödé ✓ ₹ 日本'],
  ])('%j becomes %j', (text, description) => {
    expect(normaliseDescription(text)).toEqual({ ok: true, description });
  });

  it('counts an emoji as one character', () => {
    expect(normaliseDescription(`${'a'.repeat(139)}😀`)).toMatchObject({ ok: true });
    expect(normaliseDescription(`${'a'.repeat(140)}😀`)).toEqual({ ok: false, reason: 'too-long' });
  });

  it.each<[string, DescriptionRefusal]>([
    ['', 'empty'],
    ['   ', 'empty'],
    ['\t\n', 'empty'],
    ['\u00a0\u3000\u2028', 'empty'],
    ['a'.repeat(141), 'too-long'],
    ['😀'.repeat(141), 'too-long'],
    ['Net\u0000flix', 'forbidden-character'],
    ['Net\tflix', 'forbidden-character'],
    ['Net\nflix', 'forbidden-character'],
    ['Net\u001bflix', 'forbidden-character'],
    ['Net\u007fflix', 'forbidden-character'],
    ['Net\u0085flix', 'forbidden-character'],
    ['Net\u2028flix', 'forbidden-character'],
    ['Net\u2029flix', 'forbidden-character'],
    ['Net\u202eflix', 'forbidden-character'],
    ['Net\u202aflix', 'forbidden-character'],
    ['Net\u2066flix', 'forbidden-character'],
    ['Net\u2069flix', 'forbidden-character'],
    ['Net\ud800flix', 'forbidden-character'],
    ['Netflix\udc00', 'forbidden-character'],
    // 140 code points as sent: the limit is counted before NFC, as the schema counts it
    ['e\u0301'.repeat(71), 'too-long'],
    // format characters, default-ignorables, bidi marks and noncharacters: they display as nothing
    ['Net\u200bflix', 'forbidden-character'],
    ['Net\u200dflix', 'forbidden-character'],
    ['Net\u00adflix', 'forbidden-character'],
    ['Net\u2060flix', 'forbidden-character'],
    ['Net\ufeffflix', 'forbidden-character'],
    ['Rent \u200f12', 'forbidden-character'],
    ['Rent \u200e12', 'forbidden-character'],
    ['Rent \u061c12', 'forbidden-character'],
    ['Net\u034fflix', 'forbidden-character'],
    ['Netflix\ufe0f', 'forbidden-character'],
    ['Net\u180eflix', 'forbidden-character'],
    ['Gym\u{e0067}\u{e0062}', 'forbidden-character'],
    ['\u200b', 'forbidden-character'],
    ['\u3164', 'forbidden-character'],
    ['Net\u3164flix', 'forbidden-character'],
    ['\uffa0', 'forbidden-character'],
    ['\u00ad', 'forbidden-character'],
    ['\u{e0041}\u{e0042}', 'forbidden-character'],
    ['\uffff', 'forbidden-character'],
    ['Gym\ufffe', 'forbidden-character'],
    ['Gym\ufdd0', 'forbidden-character'],
    ['Gym\u{1ffff}', 'forbidden-character'],
    // nothing visible: only a braille blank, only combining marks
    ['\u2800', 'nothing-visible'],
    ['\u2800 \u2800', 'nothing-visible'],
    ['\u0301', 'nothing-visible'],
    ['\u0301\u0308\u20dd', 'nothing-visible'],
  ])('refuses %j: %s', (text, reason) => {
    expect(normaliseDescription(text)).toEqual({ ok: false, reason });
  });
});

describe("DESCRIPTION_PATTERN, the JSON Schema's form of the rule", () => {
  const pattern = new RegExp(DESCRIPTION_PATTERN, 'u');
  it.each([
    ['Netflix', true],
    [`  ${'😀'.repeat(140)}  `, true],
    ['😀'.repeat(141), false],
    ['Net\u200bflix', false],
    ['\u2800', false],
    ['', false],
  ])('%j: %s', (text, matches) => {
    expect(pattern.test(text)).toBe(matches);
  });
});

describe('descriptionKey', () => {
  it.each([
    ['Netflix', 'netflix'],
    [' NETFLIX ', 'netflix'],
    ['Net  flix', 'net flix'],
    ['\uff2e\uff45\uff54\uff46\uff4c\uff49\uff58', 'netflix'],
    // stored before validation refused them: the invisible characters do not make another payee
    ['Net\u200bflix', 'netflix'],
    ['Rent \u200f12', 'rent 12'],
    ['Rent\t12', 'rent 12'],
    ['Rent \u200b 12', 'rent 12'],
    ['Gym\u2800', 'gym'],
    ['STRASSE', 'strasse'],
    ['Straße', 'strasse'],
    // The capital sharp s: its key is the same as the small one's, and the key of a key is the key.
    ['ẞ', 'ss'],
  ])('%j is %j', (description, key) => {
    expect(descriptionKey(description)).toBe(key);
  });
});

/** Code points that display as nothing or reorder their neighbours: each must be refused anywhere inside a description. */
const INVISIBLE = [
  0x00ad, 0x034f, 0x061c, 0x115f, 0x1160, 0x17b4, 0x180e, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202e,
  0x2060, 0x2064, 0x2066, 0x2069, 0x206f, 0x3164, 0xfe00, 0xfe0f, 0xfeff, 0xffa0, 0xfff0, 0xfdd0, 0xfdef, 0xfffe,
  0xffff, 0x1bca0, 0x1d173, 0x1fffe, 0xe0001, 0xe0020, 0xe007f, 0xe0100, 0xe01ef, 0xe0fff, 0x10ffff,
].map((codePoint) => String.fromCodePoint(codePoint));

const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...INVISIBLE, ' ', '\u2800', '\u0301', 'a', 'Ω'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 150,
});
const accepted = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom('a', 'B', '7', '&', ' ', '\u00e9', 'e\u0301', '日', '😀', '\u0928\u093f'),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
    minLength: 1,
    maxLength: 60,
  })
  .filter((candidate) => normaliseDescription(candidate).ok);

describe('descriptions, property-based', () => {
  test('the code and the schema pattern accept exactly the same texts', () => {
    const pattern = new RegExp(DESCRIPTION_PATTERN, 'u');
    fc.assert(
      fc.property(text, (candidate) => {
        expect(pattern.test(candidate)).toBe(normaliseDescription(candidate).ok);
      }),
      { numRuns: 3_000 },
    );
  });

  test('an invisible character anywhere inside an accepted description is refused', () => {
    fc.assert(
      fc.property(accepted, fc.constantFrom(...INVISIBLE), fc.nat(), (description, invisible, at) => {
        // strictly inside: at either end, whitespace-like ones (U+FEFF) are trimmed, as spaces are
        const characters = [...description.trim()];
        const inner = characters.length > 1 ? characters : [...characters, ...characters];
        const cut = 1 + (at % (inner.length - 1));
        const spoilt = `${inner.slice(0, cut).join('')}${invisible}${inner.slice(cut).join('')}`;
        expect(normaliseDescription(spoilt)).toEqual({ ok: false, reason: 'forbidden-character' });
      }),
    );
  });

  test('an accepted description has a visible, non-empty key, and its key is the key of every spelling that displays the same', () => {
    fc.assert(
      fc.property(accepted, fc.array(fc.constantFrom(...INVISIBLE)), (description, invisibles) => {
        const result = normaliseDescription(description);
        if (!result.ok) throw new Error('filtered to accepted descriptions');
        const key = descriptionKey(result.description);
        expect(key).not.toBe('');
        expect(descriptionKey(key)).toBe(key);
        // the same text with invisible characters strewn in (as stored before they were refused), other case, other spacing
        const strewn = [...result.description]
          .map((character, index) => `${character}${invisibles[index] ?? ''}`)
          .join('');
        expect(descriptionKey(strewn)).toBe(key);
        expect(descriptionKey(` ${result.description.toUpperCase()}  `)).toBe(key);
        expect(descriptionKey(result.description.toLowerCase())).toBe(key);
      }),
    );
  });
});

describe('payee keys', () => {
  test('two descriptions that display the same are one payee, whichever was stored before validation refused invisible characters', () => {
    expect(payeeKey('Net\u200bflix')).toBe(payeeKey('Netflix'));
    expect(payeeKey('Rent \u200f12')).toBe(payeeKey('rent 12'));
    expect(payeeKey(' NETFLIX\u2060 ')).toBe(descriptionKey('netflix'));
  });
});
