import { formatBytes, formatFigure, markdownTable, median, percentile, summariseLatencies } from '../../../bench/stats';

describe('benchmark arithmetic', () => {
  test('nearest-rank percentiles of 1..100 are the values themselves', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 99), percentile(values, 100)]).toEqual([
      50, 95, 99, 100,
    ]);
  });

  test('a percentile of few values rounds up to the next rank, never interpolates', () => {
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20, 30], 95)).toBe(30);
    expect(percentile([7], 1)).toBe(7);
  });

  test('no values give NaN; a percentile outside (0, 100] is refused', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  test('latencies are summarised whatever their order', () => {
    expect(summariseLatencies([5, 1, 4, 2, 3])).toEqual({ count: 5, p50: 3, p95: 5, p99: 5, max: 5 });
  });

  test('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  test('figures and sizes as the tables print them', () => {
    expect(formatFigure(1234.567, 1)).toBe('1,234.6');
    expect(formatFigure(Number.NaN)).toBe('-');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.00 MiB');
  });

  test('a markdown table escapes pipes and refuses a row of the wrong width', () => {
    expect(markdownTable(['a', 'b'], [['1', 'x|y']])).toBe('| a | b |\n| --- | --- |\n| 1 | x\\|y |');
    expect(() => markdownTable(['a', 'b'], [['1']])).toThrow(RangeError);
  });
});
