import { rowStarting } from '../../support/markdown-rows';
import {
  type FurnishingStepBenchFigures,
  type FurnishingStepFigures,
  renderFurnishingStep,
  stepPassed,
} from '../../../bench/furnishing-render';

const MiB = 1024 * 1024;

const run = (overrides: Partial<FurnishingStepFigures> = {}): FurnishingStepFigures => ({
  customers: 10_000,
  month: '2026-11',
  seed: 1,
  generation: { seconds: 95.5, reportItems: 10_000, active: 9_700, erased: 100, none: 200 },
  reused: false,
  shardsSeconds: 40.25,
  assembleSeconds: 2.5,
  validateSeconds: 1.25,
  cpuSeconds: 30,
  javaCpuSeconds: 55.5,
  peakRssBytes: 180 * MiB,
  rssBeforeStepBytes: 110 * MiB,
  loadBefore: '1.00 / 1.00 / 1.00',
  loadBeforeStep: '2.00 / 2.00 / 2.00',
  loadAfter: '3.00 / 3.00 / 3.00',
  file: {
    status: 'delivered',
    records: { header: 1, base: 27_875, trailer: 1 },
    skipped: { 'no-identity': 800 },
    erasures: 100,
    bytes: 12 * MiB,
    violations: [],
  },
  ...overrides,
});

const figures = (runs: FurnishingStepFigures[]): FurnishingStepBenchFigures => ({
  startedAt: new Date('2026-12-06T18:00:00.000Z'),
  machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 8, node: 'v20.0.0', java: 'openjdk 17', platform: 'Linux' },
  loadBefore: '1.00 / 1.00 / 1.00',
  childExecutionsAtOnce: 6,
  runs,
});

describe("the furnishing step bench's report", () => {
  test('a delivered, valid file: the step is its shards plus its assembly, each apart, with both processes’ CPU and the peak RSS', () => {
    const report = renderFurnishingStep(figures([run()]));

    expect(rowStarting(report, '| 10,000 |')).toBe(
      '| 10,000 | 40,000 | 27,875 | 42.8 | 40.3 | 2.5 | 30.0 | 55.5 | 180.00 MiB (110.00 MiB before) | 12.00 MiB | valid | 2.00 / 2.00 / 2.00 → 3.00 / 3.00 / 3.00 |',
    );
    expect(report).toContain('6 at once');
    expect(report).toContain('identities 9,700 active, 100 erased, 200 none (written in 95.5 s');
    expect(report).toContain('Skipped no-identity 800; 100 erased customers furnished as DA; validated in 1.3 s.');
    expect(stepPassed(run())).toBe(true);
  });

  test('a file the validator finds fault with fails the run and names record, rule and field', () => {
    const faulty = run({
      file: {
        ...(run().file as Extract<FurnishingStepFigures['file'], { status: 'delivered' }>),
        violations: ['record 7: date-of-birth dateOfBirth'],
      },
    });
    const report = renderFurnishingStep(figures([faulty]));

    expect(rowStarting(report, '| 10,000 |')).toContain('| 1 violations |');
    expect(report).toContain('validated in 1.3 s: record 7: date-of-birth dateOfBirth.');
    expect(stepPassed(faulty)).toBe(false);
  });

  test('a file FurnishBureau rejected fails the run, and a kept month says so', () => {
    const rejected = run({ reused: true, file: { status: 'rejected', violations: 4 } });
    const report = renderFurnishingStep(figures([rejected]));

    expect(rowStarting(report, '| 10,000 |')).toContain('| 10,000 | 40,000 | rejected |');
    expect(report).toContain('a kept month (--reuse-data)');
    expect(report).toContain('FurnishBureau rejected the file: 4 violations.');
    expect(stepPassed(rejected)).toBe(false);
  });
});
