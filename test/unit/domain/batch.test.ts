import { InvalidBatchError, PayloadTooLargeError } from '#domain/errors';
import { MAX_BATCH_PAYMENTS, itemRequestId, readBatch } from '#domain/batch';
import { invalidJsonDetailOf, thrownBy } from './thrown';

const LIMITS = { maxBodyBytes: 64 * 1024, maxItemBytes: 4096 };
const read = (text: string) => readBatch(text, LIMITS);

const batchErrorsOf = (text: string) => {
  const thrown = thrownBy(() => read(text));
  expect(thrown).toBeInstanceOf(InvalidBatchError);
  expect((thrown as Error).name).toBe('InvalidBatch');
  return (thrown as InvalidBatchError).fieldErrors;
};

describe('readBatch', () => {
  test('hands on each payment as its exact text: number literals, repeated keys, spacing and escapes as sent', () => {
    const items = [
      '{"id":"a","amount":9.990}',
      '{ "amount" : 1e2 , "amount": "1" }',
      '"text with \\"quotes\\", ] and }"',
      '[1, [2, {"x": [3]}]]',
      'null',
      '-0.5',
      '{"id":"\\u0061"}',
    ];
    const text = ` \n{ "payments" : [ ${items.join(' ,\n ')} ] }\n`;
    expect(read(text).map((item) => item.text)).toEqual(items);
  });

  test("names each payment's id where it has a readable one (a string id of an object)", () => {
    const items = read('{"payments":[{"id":"x"},{"id":7},{"other":1},"id",{"id":""},{"id":"\\u0061"}]}');
    expect(items.map((item) => item.id)).toEqual(['x', undefined, undefined, undefined, undefined, 'a']);
  });

  test('text that is not JSON is InvalidJson, with where it broke', () => {
    expect(invalidJsonDetailOf(() => read('{"payments": [{"id": 1},]}'))).toMatch(/not valid JSON/);
    expect(invalidJsonDetailOf(() => read('\uFEFF{"payments":[{}]}'))).toMatch(/byte order mark/);
  });

  test.each([
    ['an array', '[{"id":"a"}]', [{ field: '(body)', message: 'must be a JSON object with payments' }]],
    ['a string', '"payments"', [{ field: '(body)', message: 'must be a JSON object with payments' }]],
    ['no payments', '{}', [{ field: 'payments', message: 'is required' }]],
    [
      'payments not an array',
      '{"payments":{"id":"a"}}',
      [{ field: 'payments', message: 'must be an array of 1 to 100 payments' }],
    ],
    [
      'an empty batch',
      '{"payments":[]}',
      [{ field: 'payments', message: 'must be an array of 1 to 100 payments (got 0)' }],
    ],
    ['another field', '{"payments":[{}],"note":"x"}', [{ field: 'note', message: 'is not an allowed field' }]],
    ['payments twice', '{"payments":[{}],"payments":[{}]}', [{ field: 'payments', message: 'appears more than once' }]],
  ])('%s is not a batch: InvalidBatch naming the field', (_case, text, errors) => {
    expect(batchErrorsOf(text)).toEqual(errors);
  });

  test(`1 to ${MAX_BATCH_PAYMENTS} payments; one more is refused`, () => {
    const batch = (count: number) => `{"payments":[${Array(count).fill('{}').join(',')}]}`;
    expect(read(batch(1))).toHaveLength(1);
    expect(read(batch(MAX_BATCH_PAYMENTS))).toHaveLength(MAX_BATCH_PAYMENTS);
    expect(batchErrorsOf(batch(MAX_BATCH_PAYMENTS + 1))).toEqual([
      { field: 'payments', message: 'must be an array of 1 to 100 payments (got 101)' },
    ]);
  });

  test('a body over its limit, or one payment over the single limit (in UTF-8 bytes), is PayloadTooLarge', () => {
    const tooLarge = (text: string) => {
      const thrown = thrownBy(() => read(text));
      expect(thrown).toBeInstanceOf(PayloadTooLargeError);
      expect((thrown as Error).name).toBe('PayloadTooLarge');
      return (thrown as Error).message;
    };
    const item = (bytes: number) => `"${'é'.repeat((bytes - 2) / 2)}"`;
    expect(read(`{"payments":[${item(4096)}]}`)).toHaveLength(1);
    expect(tooLarge(`{"payments":[{},${item(4098)}]}`)).toBe(
      'payments[1] is larger than 4096 bytes, the limit of one payment',
    );
    const body = `{"payments":[${Array(20).fill(item(4000)).join(',')}]}`;
    expect(tooLarge(body)).toBe('The body may be at most 65536 bytes');
  });

  test('deep nesting inside a payment is read without recursion, and left to the payment to be refused', () => {
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const big = { maxBodyBytes: 1_000_000, maxItemBytes: 1_000_000 };
    expect(readBatch(`{"payments":[${deep}]}`, big).map((item) => item.text)).toEqual([deep]);
  });

  test("each payment's request id is the batch's and its position", () => {
    expect(itemRequestId('r-1', 0)).toBe('r-1/0');
    expect(itemRequestId('r-1', 99)).toBe('r-1/99');
  });
});
