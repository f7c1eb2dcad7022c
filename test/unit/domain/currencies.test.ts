import { KNOWN_CURRENCIES, MAX_MINOR_UNITS, minorUnits } from '#domain/currencies';

describe('currencies', () => {
  it.each([
    ['GBP', 2],
    ['EUR', 2],
    ['USD', 2],
    ['CHF', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['ISK', 0],
    ['VND', 0],
    ['XAF', 0],
    ['XOF', 0],
    ['CLP', 0],
    ['BHD', 3],
    ['KWD', 3],
    ['JOD', 3],
    ['OMR', 3],
    ['TND', 3],
    ['LYD', 3],
    ['IQD', 3],
    ['CLF', 4],
    ['UYW', 4],
    ['XCG', 2],
    ['ZWG', 2],
    ['SLE', 2],
    ['VED', 2],
  ])('%s has %i minor units', (code, units) => {
    expect(minorUnits(code)).toBe(units);
  });

  it.each([
    // no minor units: metals, bond-market and IMF/ADB units, testing, "no currency"
    'XAU',
    'XAG',
    'XPT',
    'XPD',
    'XTS',
    'XXX',
    'XDR',
    'XBA',
    'XBB',
    'XBC',
    'XBD',
    'XSU',
    'XUA',
    // withdrawn
    'BGN',
    'HRK',
    'ANG',
    'SLL',
    'ZWL',
    'CUC',
    'DEM',
    // not codes
    'gbp',
    'Gbp',
    'ABC',
    '',
    'GBPX',
    'constructor',
    'toString',
    '__proto__',
    'hasOwnProperty',
  ])('%j is not a known currency', (code) => {
    expect(minorUnits(code)).toBeUndefined();
  });

  it('lists each active code once, in order, each with 0 to 4 minor units', () => {
    expect(KNOWN_CURRENCIES).toHaveLength(165);
    expect([...KNOWN_CURRENCIES].sort()).toEqual(KNOWN_CURRENCIES);
    expect(new Set(KNOWN_CURRENCIES).size).toBe(KNOWN_CURRENCIES.length);
    for (const code of KNOWN_CURRENCIES) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(minorUnits(code));
    }
    expect(MAX_MINOR_UNITS).toBe(4);
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(KNOWN_CURRENCIES)).toBe(true);
  });
});
