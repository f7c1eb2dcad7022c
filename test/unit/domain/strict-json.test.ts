import { MAX_DEPTH, isLosslessNumber, parseJsonObject } from '#domain/strict-json';
import { fieldErrorsOf, fieldsOf, invalidJsonDetailOf, thrownBy } from './thrown';

const numberTextAt = (text: string, key: string): string => {
  const value = parseJsonObject(text)[key];
  if (!isLosslessNumber(value)) throw new Error(`${key} is not a number`);
  return value.value;
};

describe('parseJsonObject', () => {
  it("keeps the parser's error as the cause of InvalidJson", () => {
    const thrown = thrownBy(() => parseJsonObject('{"a":1,}')) as Error;
    expect(thrown.name).toBe('InvalidJson');
    expect(thrown.cause).toBeInstanceOf(Error);
    expect(thrown.message).toContain((thrown.cause as Error).message);
  });

  it('keeps strings, booleans, null, arrays and objects as they are', () => {
    expect(parseJsonObject('{"a":"x","b":true,"c":null,"d":["y",false],"e":{"f":"z"}}')).toEqual({
      a: 'x',
      b: true,
      c: null,
      d: ['y', false],
      e: { f: 'z' },
    });
  });

  it.each([
    '9.99',
    '0.1',
    '1e2',
    '-0',
    '1.0',
    '123456789012345678901234567890.12345678901234567890',
    '90071992547409.91',
    '1e400',
  ])('keeps the number %s as its exact literal text', (literal) => {
    expect(numberTextAt(`{"amount": ${literal}}`, 'amount')).toBe(literal);
  });

  it.each([
    ['', 'position 0'],
    ['   ', 'position 3'],
    ['{', 'position 1'],
    ['{"a":1,}', 'position 7'],
    ["{'a':1}", 'position 1'],
    ['{"a":01}', 'position 6'],
    ['{"a":.5}', 'position 5'],
    ['{"a":NaN}', 'position 5'],
    ['{"a":1} x', 'position 8'],
    ['{"a":"\u0001"}', 'position 6'],
    ['\ufeff{"a":1}', 'position 0'],
    // a syntax error wins over what the structure scan found
    ['{"a":1,"a":1', 'position 12'],
  ])('refuses %j as InvalidJson, saying where (%s)', (text, where) => {
    expect(invalidJsonDetailOf(() => parseJsonObject(text))).toContain(where);
  });

  it.each(['[]', '[{"a":1}]', '"x"', '1', 'null', 'true'])(
    'refuses the top-level value %s: the body must be an object',
    (text) => {
      expect(fieldErrorsOf(() => parseJsonObject(text))).toEqual([
        { field: '(body)', message: 'must be a JSON object' },
      ]);
    },
  );

  describe('repeated keys', () => {
    it.each([
      ['{"a":1,"a":1}', 'equal values'],
      ['{"a":1,"a":2}', 'different values'],
      ['{"a":{"x":1},"a":{"x":1}}', 'equal objects'],
      ['{"a":1,"\\u0061":1}', 'an escaped spelling of the same key'],
    ])('refuses %s (%s), naming the field', (text) => {
      expect(fieldErrorsOf(() => parseJsonObject(text))).toEqual([{ field: 'a', message: 'appears more than once' }]);
    });

    it.each([
      ['{"a":{"b":1,"b":1}}', 'a'],
      ['{"x":1,"a":[{"b":1,"b":2}]}', 'a'],
      ['[{"b":1,"b":1}]', '(body)'],
    ])('refuses a repeated key nested in %s under the field %s', (text, field) => {
      expect(fieldErrorsOf(() => parseJsonObject(text))).toEqual([{ field, message: 'repeats the key "b"' }]);
    });

    it.each([
      '{"a":{"x":1},"b":{"x":1}}',
      '{"a":[{"x":1},{"x":1}]}',
      '{"a":"\\"b\\": 1","b":1}',
      '{"a":"b","b":"a"}',
      '{"a\\"":1,"a":1}',
    ])('accepts %s: the same key in different objects, or key-like text inside a string', (text) => {
      expect(() => parseJsonObject(text)).not.toThrow();
    });

    it('names every repeated key', () => {
      expect(fieldsOf(() => parseJsonObject('{"a":1,"b":2,"a":1,"b":2}'))).toEqual(['a', 'b']);
    });
  });

  describe('keys that reach Object.prototype', () => {
    it.each(['__proto__', 'constructor', 'prototype'])('refuses %s at the top level', (key) => {
      expect(fieldErrorsOf(() => parseJsonObject(`{"id":"x","${key}":{"polluted":true}}`))).toEqual([
        { field: key, message: 'is not an allowed field' },
      ]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it.each([
      ['{"amount":{"__proto__":{"polluted":true}}}', 'amount', '__proto__'],
      ['{"a":[{"constructor":{"prototype":1}}]}', 'a', 'constructor'],
      ['{"a":1,"b":{"c":{"prototype":1}}}', 'b', 'prototype'],
    ])('refuses them nested (%s), under the top-level field', (text, field, key) => {
      expect(fieldErrorsOf(() => parseJsonObject(text))).toContainEqual({
        field,
        message: `must not contain the key "${key}"`,
      });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('refuses the escaped spelling too', () => {
      expect(fieldsOf(() => parseJsonObject('{"\\u005f_proto__":{}}'))).toEqual(['__proto__']);
    });
  });

  describe('depth', () => {
    const nested = (depth: number): string => `{"a":${'['.repeat(depth - 1)}1${']'.repeat(depth - 1)}}`;

    it(`accepts ${MAX_DEPTH} levels`, () => {
      expect(() => parseJsonObject(nested(MAX_DEPTH))).not.toThrow();
    });

    it(`refuses ${MAX_DEPTH + 1} levels, under the field that nests`, () => {
      expect(fieldErrorsOf(() => parseJsonObject(nested(MAX_DEPTH + 1)))).toEqual([
        { field: 'a', message: `nests deeper than ${MAX_DEPTH} levels` },
      ]);
    });

    it('refuses a very deep body before parsing it, so the parser cannot overflow its stack', () => {
      expect(fieldsOf(() => parseJsonObject('['.repeat(200_000)))).toEqual(['(body)']);
      expect(fieldsOf(() => parseJsonObject(`{"a":${'{"b":'.repeat(200_000)}1${'}'.repeat(200_000)}}`))).toEqual(['a']);
    });

    it('does not count brackets inside strings', () => {
      expect(parseJsonObject(`{"a":"${'['.repeat(100)}"}`)).toEqual({ a: '['.repeat(100) });
    });
  });
});
