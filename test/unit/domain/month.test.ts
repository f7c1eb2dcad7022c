import { isMonth, monthBefore, monthToReport, nextMonth, previousMonth, shardOf } from '#domain/month';

describe('months', () => {
  test.each(['2026-10', '2000-01', '9999-12'])('%s is a month', (text) => expect(isMonth(text)).toBe(true));
  test.each(['2026-13', '2026-00', '2026-1', '26-10', '2026-10-01', 'October', 202610, undefined])(
    '%s is not',
    (text) => expect(isMonth(text)).toBe(false),
  );

  test('the previous month crosses a year end', () => {
    expect(previousMonth('2026-10')).toBe('2026-09');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(() => previousMonth('2026-13')).toThrow(RangeError);
  });

  // A report's 24-month history steps back from its month: a year below 1000 is still written with four digits
  // (`999-12` is not a month, and failed every report of a month in 1000 or 1001 as a RangeError).
  test('months step across any year end with four-digit years, and never past 0000 or 9999', () => {
    expect(previousMonth('1000-01')).toBe('0999-12');
    expect(nextMonth('0999-12')).toBe('1000-01');
    expect(previousMonth('0001-01')).toBe('0000-12');
    expect(nextMonth('2025-12')).toBe('2026-01');
    expect(() => previousMonth('0000-01')).toThrow(RangeError);
    expect(() => nextMonth('9999-12')).toThrow(RangeError);
  });

  test("a run started by hand reports on the month it names; the schedule's on the month before its scheduled time", () => {
    expect(monthToReport({ month: '2026-10' })).toBe('2026-10');
    expect(monthToReport({ month: '9999-11' })).toBe('9999-11');
    expect(monthToReport({ scheduledTime: '0000-02-01T02:00:00Z' })).toBe('0000-01');
    expect(monthToReport({ month: '2026-10', scheduledTime: '2027-01-01T02:00:00Z' })).toBe('2026-10');
    expect(monthToReport({ scheduledTime: '2026-11-01T02:00:00Z' })).toBe('2026-10');
    expect(monthToReport({ scheduledTime: '2027-01-01T02:00:00Z' })).toBe('2026-12');
    expect(monthToReport({ scheduledTime: '2026-03-01T00:00:00.000Z' })).toBe('2026-02');
    // A delivery retried late (the 2nd) still reports on the month the schedule meant.
    expect(monthToReport({ scheduledTime: '2026-02-01T23:59:59Z' })).toBe('2026-01');
  });

  test.each([
    [{}],
    [{ month: '2026-13' }],
    [{ month: '2026-13', scheduledTime: '2026-11-01T02:00:00Z' }],
    [{ scheduledTime: '2026-11-01' }],
    [{ scheduledTime: '2026-11-01T02:00:00+01:00' }],
    [{ scheduledTime: '2026-02-30T02:00:00Z' }],
    [{ scheduledTime: 1793498400000 }],
    // A run also reads the month after its own; the schedule's month before 0000-01 does not exist.
    [{ month: '9999-12' }],
    [{ scheduledTime: '0000-01-01T02:00:00Z' }],
  ])('no month to report for %j', (input) => {
    expect(monthToReport(input)).toBeUndefined();
  });

  test('the scheduled run on the 1st reports on the month before', () => {
    expect(monthBefore(new Date('2026-11-01T00:05:00Z'))).toBe('2026-10');
    expect(monthBefore(new Date('2027-01-01T00:00:00Z'))).toBe('2026-12');
  });
});

describe('shardOf', () => {
  test('is stable and in range', () => {
    const id = '9b1d6a0e-2f7b-4c1e-8d7a-3f0c5e1b2a44';
    expect(shardOf(id, 8)).toBe(shardOf(id, 8));
    for (let i = 0; i < 200; i += 1) {
      const shard = shardOf(crypto.randomUUID(), 8);
      expect(shard).toBeGreaterThanOrEqual(0);
      expect(shard).toBeLessThan(8);
    }
  });

  test('spreads random user ids over every shard, none with more than twice its share', () => {
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 8000; i += 1) counts[shardOf(crypto.randomUUID(), 8)]! += 1;
    for (const count of counts) {
      expect(count).toBeGreaterThan(500);
      expect(count).toBeLessThan(2000);
    }
  });
});
