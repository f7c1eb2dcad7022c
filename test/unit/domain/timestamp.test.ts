import { type TimestampInput, type TimestampRefusal, earliestAccepted, normaliseTimestamp } from '#domain/timestamp';

const NOW = new Date('2026-10-05T12:00:00.000Z');
const FIVE_MINUTES = 5 * 60_000;

const rfc3339 = (text: string): TimestampInput => ({ rfc3339: text });
const epoch = (millis: number | string): TimestampInput => ({ epochMillis: String(millis) });

describe('normaliseTimestamp', () => {
  it.each([
    ['2026-10-05T09:30:00Z', '2026-10-05T09:30:00.000Z'],
    ['2026-10-05T10:30:00+01:00', '2026-10-05T09:30:00.000Z'],
    ['2026-10-05T04:00:00-05:30', '2026-10-05T09:30:00.000Z'],
    ['2026-10-05T00:30:00+01:00', '2026-10-04T23:30:00.000Z'],
    ['2026-10-04T23:30:00-10:00', '2026-10-05T09:30:00.000Z'],
    ['2026-10-05T09:30:00-00:00', '2026-10-05T09:30:00.000Z'],
    ['2026-10-05t09:30:00z', '2026-10-05T09:30:00.000Z'],
    ['2026-10-05T09:30:00.5Z', '2026-10-05T09:30:00.500Z'],
    ['2026-10-05T09:30:00.12+00:00', '2026-10-05T09:30:00.120Z'],
    ['2026-10-05T09:30:00.123Z', '2026-10-05T09:30:00.123Z'],
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['2000-02-29T12:00:00Z', '2000-02-29T12:00:00.000Z'],
    ['2000-01-01T00:00:00Z', '2000-01-01T00:00:00.000Z'],
    ['2000-01-01T01:00:00+01:00', '2000-01-01T00:00:00.000Z'],
  ])('%s is stored as %s', (text, expected) => {
    // Received soon after, so old leap days are inside the 24-month window.
    const soonAfter = new Date(Date.parse(expected) + 3_600_000);
    expect(normaliseTimestamp(rfc3339(text), soonAfter)).toMatchObject({ ok: true, timestamp: expected });
  });

  it.each([
    [Date.UTC(2026, 9, 5, 9, 30), '2026-10-05T09:30:00.000Z'],
    [Date.UTC(2026, 9, 5, 9, 30, 0, 7), '2026-10-05T09:30:00.007Z'],
    [946_684_800_000, '2000-01-01T00:00:00.000Z'],
  ])('epoch milliseconds %i are stored as %s', (millis, expected) => {
    const soonAfter = new Date(millis + 3_600_000);
    expect(normaliseTimestamp(epoch(millis), soonAfter)).toMatchObject({ ok: true, timestamp: expected });
  });

  describe("the customer's calendar: the offset as sent and the local date it gives", () => {
    const late = new Date('2026-11-01T01:00:00Z');
    it.each([
      ['2026-10-31T23:30:00-01:00', '2026-11-01T00:30:00.000Z', '2026-10-31', '-01:00'],
      ['2026-11-01T00:30:00Z', '2026-11-01T00:30:00.000Z', '2026-11-01', 'Z'],
      ['2026-11-01T00:30:00z', '2026-11-01T00:30:00.000Z', '2026-11-01', 'Z'],
      ['2026-11-01T00:30:00+00:00', '2026-11-01T00:30:00.000Z', '2026-11-01', '+00:00'],
      ['2026-11-01T09:30:00+09:00', '2026-11-01T00:30:00.000Z', '2026-11-01', '+09:00'],
      ['2026-11-01T00:29:00+00:59', '2026-10-31T23:30:00.000Z', '2026-11-01', '+00:59'],
      ['2026-10-31T14:30:00-10:00', '2026-11-01T00:30:00.000Z', '2026-10-31', '-10:00'],
    ])('%s is %s UTC on the local date %s (offset %s)', (text, timestamp, localDate, utcOffset) => {
      expect(normaliseTimestamp(rfc3339(text), late)).toEqual({ ok: true, timestamp, localDate, utcOffset });
    });

    it('dates epoch milliseconds in UTC', () => {
      expect(normaliseTimestamp(epoch(Date.UTC(2026, 9, 31, 23, 30)), late)).toEqual({
        ok: true,
        timestamp: '2026-10-31T23:30:00.000Z',
        localDate: '2026-10-31',
        utcOffset: 'Z',
      });
    });
  });

  describe('at most 5 minutes after the request was received', () => {
    it('allows exactly 5 minutes ahead', () => {
      expect(normaliseTimestamp(rfc3339('2026-10-05T12:05:00Z'), NOW)).toMatchObject({
        ok: true,
        timestamp: '2026-10-05T12:05:00.000Z',
      });
      expect(normaliseTimestamp(rfc3339('2026-10-05T13:05:00+01:00'), NOW)).toMatchObject({
        ok: true,
        timestamp: '2026-10-05T12:05:00.000Z',
      });
      expect(normaliseTimestamp(epoch(NOW.getTime() + FIVE_MINUTES), NOW)).toMatchObject({
        ok: true,
        timestamp: '2026-10-05T12:05:00.000Z',
      });
    });

    it('refuses 5 minutes and 1 ms ahead', () => {
      expect(normaliseTimestamp(rfc3339('2026-10-05T12:05:00.001Z'), NOW)).toEqual({
        ok: false,
        reason: 'too-far-in-future',
      });
      expect(normaliseTimestamp(epoch(NOW.getTime() + FIVE_MINUTES + 1), NOW)).toEqual({
        ok: false,
        reason: 'too-far-in-future',
      });
    });

    it('measures from `now`, not from the clock', () => {
      const later = new Date('2027-01-01T00:00:00Z');
      expect(normaliseTimestamp(rfc3339('2026-12-31T23:00:00Z'), later)).toMatchObject({ ok: true });
      expect(normaliseTimestamp(rfc3339('2026-12-31T23:00:00Z'), NOW)).toEqual({
        ok: false,
        reason: 'too-far-in-future',
      });
    });
  });

  it.each<[string, TimestampRefusal]>([
    ['2026-10-05T09:30:00', 'no-offset'],
    ['2026-10-05T09:30:00.000', 'no-offset'],
    ['2026-02-30T09:30:00Z', 'not-a-real-time'],
    ['2025-02-29T09:30:00Z', 'not-a-real-time'],
    ['2100-02-29T09:30:00Z', 'not-a-real-time'],
    ['2026-04-31T09:30:00Z', 'not-a-real-time'],
    ['2026-13-01T09:30:00Z', 'not-a-real-time'],
    ['2026-00-10T09:30:00Z', 'not-a-real-time'],
    ['2026-10-00T09:30:00Z', 'not-a-real-time'],
    ['2026-10-05T24:00:00Z', 'not-a-real-time'],
    ['2026-10-05T09:60:00Z', 'not-a-real-time'],
    ['2016-12-31T23:59:60Z', 'not-a-real-time'],
    ['2026-10-05T09:30:00+24:00', 'not-a-real-time'],
    ['2026-10-05T09:30:00+01:60', 'not-a-real-time'],
    ['2026-10-05T09:30:00.1234Z', 'too-precise'],
    ['2026-10-05T09:30:00.000000001+01:00', 'too-precise'],
    ['2026-10-05 09:30:00Z', 'not-rfc3339'],
    ['2026-10-05', 'not-rfc3339'],
    ['20261005T093000Z', 'not-rfc3339'],
    ['2026-10-05T09:30Z', 'not-rfc3339'],
    ['2026-10-05T09:30:00+0100', 'not-rfc3339'],
    ['2026-10-05T09:30:00+01', 'not-rfc3339'],
    ['2026-10-05T09:30:00.Z', 'not-rfc3339'],
    [' 2026-10-05T09:30:00Z', 'not-rfc3339'],
    ['2026-10-05T09:30:00Z\n', 'not-rfc3339'],
    ['２０２６-10-05T09:30:00Z', 'not-rfc3339'],
    ['Mon, 05 Oct 2026 09:30:00 GMT', 'not-rfc3339'],
    ['', 'not-rfc3339'],
    ['1999-12-31T23:59:59.999Z', 'too-far-in-past'],
    ['2000-01-01T00:59:59.999+01:00', 'too-far-in-past'],
    ['0099-01-01T00:00:00Z', 'too-far-in-past'],
  ])('refuses %j: %s', (text, reason) => {
    expect(normaliseTimestamp(rfc3339(text), NOW)).toEqual({ ok: false, reason });
  });

  it.each<[string, TimestampRefusal]>([
    ['946684799999', 'too-far-in-past'],
    ['0', 'too-far-in-past'],
    ['-1', 'too-far-in-past'],
    ['1791192600000.5', 'not-integer-millis'],
    ['1.7911926e12', 'not-integer-millis'],
    ['', 'not-integer-millis'],
    // Far beyond what Date holds: compared exactly, never turned into an Invalid Date.
    ['99999999999999999999999999', 'too-far-in-future'],
  ])('refuses epoch milliseconds %j: %s', (text, reason) => {
    expect(normaliseTimestamp(epoch(text), NOW)).toEqual({ ok: false, reason });
  });

  it('will not compare against an invalid `now`', () => {
    expect(() => normaliseTimestamp(rfc3339('2026-10-05T09:30:00Z'), new Date('not a date'))).toThrow(RangeError);
  });
});

describe('the 24-month window (bureaus take up to 24 months of history)', () => {
  const now = new Date('2026-10-05T12:00:00.000Z');

  it('accepts a payment exactly 24 months old and refuses one a millisecond older', () => {
    expect(normaliseTimestamp({ rfc3339: '2024-10-05T12:00:00.000Z' }, now)).toMatchObject({
      ok: true,
      timestamp: '2024-10-05T12:00:00.000Z',
    });
    expect(normaliseTimestamp({ rfc3339: '2024-10-05T11:59:59.999Z' }, now)).toEqual({
      ok: false,
      reason: 'too-far-in-past',
    });
    expect(normaliseTimestamp({ epochMillis: String(Date.UTC(2024, 9, 5, 11, 59, 59, 999)) }, now)).toEqual({
      ok: false,
      reason: 'too-far-in-past',
    });
  });

  it('counts calendar months: from the 31st of a month, 24 months back is the last day of a shorter one', () => {
    expect(new Date(earliestAccepted(new Date('2026-03-31T08:00:00.000Z'))).toISOString()).toBe(
      '2024-03-31T08:00:00.000Z',
    );
    expect(new Date(earliestAccepted(new Date('2026-05-31T08:00:00.000Z'))).toISOString()).toBe(
      '2024-05-31T08:00:00.000Z',
    );
    expect(new Date(earliestAccepted(new Date('2026-02-28T08:00:00.000Z'))).toISOString()).toBe(
      '2024-02-28T08:00:00.000Z',
    );
    expect(new Date(earliestAccepted(new Date('2030-02-28T08:00:00.000Z'))).toISOString()).toBe(
      '2028-02-28T08:00:00.000Z',
    );
    expect(new Date(earliestAccepted(new Date('2026-01-15T00:00:00.000Z'))).toISOString()).toBe(
      '2024-01-15T00:00:00.000Z',
    );
  });
});
