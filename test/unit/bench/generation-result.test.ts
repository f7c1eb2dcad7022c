import {
  GENERATION_RESULT_MARKER,
  type GenerationResult,
  parseGenerationResult,
  serialiseGenerationResult,
} from '../../../bench/generation-result';

const result: GenerationResult = {
  expected: {
    users: 2,
    payments: 10,
    historyPayments: 92,
    commitments: 5,
    previousReports: 1,
    sample: [
      {
        userId: 'u-1',
        streaks: new Map([
          ['netflix|GBP', 3],
          ['rent|GBP', 1],
        ]),
        selfReported: new Map([
          ['netflix|GBP', true],
          ['rent|GBP', false],
        ]),
      },
      { userId: 'u-2', streaks: new Map(), selfReported: new Map() },
    ],
  },
  seconds: 12.5,
  peakRssBytes: 200 * 1024 * 1024,
  cpuSeconds: 9.25,
};

describe("the report benchmark's generation hand-off", () => {
  test('a result crosses the process boundary whole, its Maps as Maps', () => {
    const line = serialiseGenerationResult(result);
    expect(line.startsWith(GENERATION_RESULT_MARKER)).toBe(true);
    expect(line).not.toContain('\n');
    const parsed = parseGenerationResult(`${line}\n`);
    expect(parsed).toEqual(result);
    expect(parsed.expected.sample[0]!.streaks).toBeInstanceOf(Map);
    expect(parsed.expected.sample[0]!.streaks.get('netflix|GBP')).toBe(3);
    expect(parsed.expected.sample[0]!.selfReported.get('rent|GBP')).toBe(false);
  });

  test('other output around the marked line is ignored', () => {
    const stdout = `a warning\n${serialiseGenerationResult(result)}\ntrailing noise\n`;
    expect(parseGenerationResult(stdout).expected.users).toBe(2);
  });

  test('no marked line is an error that shows the output', () => {
    expect(() => parseGenerationResult('Something went wrong\n')).toThrow(/printed no result.*Something went wrong/);
  });
});
