import { MAX_PARTS, type PlannedPart, TooManyPartsError, partBytes, planMultipart } from '#adapters/multipart-plan';

// S3's multipart rule (every part but the last at least 5 MiB) with a minimum of 10 bytes here: large parts are copied
// server-side, small ones gathered with the header and trailer, a large one's first bytes taken by range when needed.

const MIN = 10;
const bytes = (text: string) => ({ bytes: Buffer.from(text) });
const object = (key: string, size: number) => ({ key, size });

/** What each planned part is, readably: `copy key[start,end)` or `upload h|key[start,end)|t`. */
const shape = (plan: PlannedPart[]): string[] =>
  plan.map((part) =>
    'copy' in part
      ? `copy ${part.copy.key}[${part.copy.start},${part.copy.end})`
      : `upload ${part.upload.map((s) => ('bytes' in s ? s.bytes.toString() : `${s.key}[${s.start},${s.end})`)).join('|')}`,
  );

describe('planMultipart', () => {
  test('header, large parts and trailer: the header topped up from the first part, the rest copied, the trailer last', () => {
    const plan = planMultipart([bytes('HH'), object('a', 30), object('b', 25), bytes('TT')], MIN);
    expect(shape(plan)).toEqual(['upload HH|a[0,8)', 'copy a[8,30)', 'copy b[0,25)', 'upload TT']);
    expect(plan.slice(0, -1).every((part) => partBytes(part) >= MIN)).toBe(true);
    expect(plan.reduce((sum, part) => sum + partBytes(part), 0)).toBe(2 + 30 + 25 + 2);
  });

  test("small parts are gathered (with the next large part's first bytes) until a part is big enough", () => {
    const plan = planMultipart(
      [bytes('HH'), object('a', 3), object('b', 0), object('c', 4), object('d', 12), object('e', 2), bytes('TT')],
      MIN,
    );
    expect(shape(plan)).toEqual(['upload HH|a[0,3)|c[0,4)|d[0,1)', 'copy d[1,12)', 'upload e[0,2)|TT']);
    expect(plan.slice(0, -1).every((part) => partBytes(part) >= MIN)).toBe(true);
  });

  test('a large part whose remainder after the top-up is small is gathered whole, never copied under the minimum', () => {
    const plan = planMultipart([bytes('HH'), object('a', 12), object('b', 40), bytes('TT')], MIN);
    expect(shape(plan)).toEqual(['upload HH|a[0,8)', 'upload a[8,12)|b[0,6)', 'copy b[6,40)', 'upload TT']);
    expect(plan.slice(0, -1).every((part) => partBytes(part) >= MIN)).toBe(true);
  });

  test('a month with no part (header and trailer only) is one upload', () => {
    expect(shape(planMultipart([bytes('HH'), object('a', 0), bytes('TT')], MIN))).toEqual(['upload HH|TT']);
  });

  test('S3 allows 10,000 parts: more is refused before anything is sent', () => {
    const pieces = Array.from({ length: MAX_PARTS + 1 }, (_, index) => object(`p${index}`, MIN));
    expect(() => planMultipart(pieces, MIN)).toThrow(TooManyPartsError);
  });
});
