import { type DescriptionRefusal, normaliseDescription } from '#domain/description';

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
    // 280 code points before NFC, 140 after
    ['e\u0301'.repeat(140), '\u00e9'.repeat(140)],
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
  ])('refuses %j: %s', (text, reason) => {
    expect(normaliseDescription(text)).toEqual({ ok: false, reason });
  });
});
