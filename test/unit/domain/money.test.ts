import { type AmountRefusal, toExactAmount } from '#domain/money';

describe('toExactAmount', () => {
  it.each([
    ['9.99', 2, '9.99', 999],
    ['9.9', 2, '9.90', 990],
    ['9', 2, '9.00', 900],
    ['0.01', 2, '0.01', 1],
    ['007.50', 2, '7.50', 750],
    ['007.5', 2, '7.50', 750],
    ['1000', 0, '1000', 1000],
    ['0001000', 0, '1000', 1000],
    ['1.5', 3, '1.500', 1500],
    ['0.001', 3, '0.001', 1],
    ['1.2345', 4, '1.2345', 12345],
    ['1', 4, '1.0000', 10000],
    ['999999999999999', 0, '999999999999999', 999_999_999_999_999],
    // 16 significant digits: a float reads this text as 90071992547409.9 and loses the penny.
    ['90071992547409.91', 2, '90071992547409.91', Number.MAX_SAFE_INTEGER],
  ])('%s with %i minor units is %s (%i minor units)', (text, minorUnits, amount, amountMinor) => {
    expect(toExactAmount(text, minorUnits)).toEqual({ ok: true, amount, amountMinor });
  });

  it.each<[string, number, AmountRefusal]>([
    ['0', 2, 'not-positive'],
    ['0.00', 2, 'not-positive'],
    ['000', 0, 'not-positive'],
    ['-1', 2, 'not-positive'],
    ['-0.5', 2, 'not-positive'],
    ['1e2', 2, 'not-plain-decimal'],
    ['1E2', 2, 'not-plain-decimal'],
    ['1.5e1', 2, 'not-plain-decimal'],
    ['+1', 2, 'not-plain-decimal'],
    [' 1', 2, 'not-plain-decimal'],
    ['1 ', 2, 'not-plain-decimal'],
    ['.5', 2, 'not-plain-decimal'],
    ['5.', 2, 'not-plain-decimal'],
    ['', 2, 'not-plain-decimal'],
    ['1,00', 2, 'not-plain-decimal'],
    ['0x10', 2, 'not-plain-decimal'],
    ['Infinity', 2, 'not-plain-decimal'],
    ['١٢', 2, 'not-plain-decimal'],
    ['9.999', 2, 'too-many-fraction-digits'],
    ['9.990', 2, 'too-many-fraction-digits'],
    ['1.5', 0, 'too-many-fraction-digits'],
    ['1.0', 0, 'too-many-fraction-digits'],
    ['0.0001', 3, 'too-many-fraction-digits'],
    ['1.23456', 4, 'too-many-fraction-digits'],
    ['1234567890123456', 0, 'too-many-integer-digits'],
    ['1234567890123456.5', 2, 'too-many-integer-digits'],
    ['123456789012345678901234567890', 2, 'too-many-integer-digits'],
    ['90071992547409.92', 2, 'too-large'],
    ['9007199254740.992', 3, 'too-large'],
  ])('refuses %j with %i minor units: %s', (text, minorUnits, reason) => {
    expect(toExactAmount(text, minorUnits)).toEqual({ ok: false, reason });
  });

  it('computes minor units exactly where float arithmetic would not', () => {
    expect(toExactAmount('1.005', 3)).toMatchObject({ amountMinor: 1005 });
    expect(toExactAmount('0.29', 2)).toMatchObject({ amountMinor: 29 });
    // The traps: in binary floating point these products fall just short of the integer.
    expect(1.005 * 1000).toBeLessThan(1005);
    expect(0.29 * 100).toBeLessThan(29);
  });
});
