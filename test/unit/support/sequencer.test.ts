import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scratchDirs } from '../../support/scratch-dir';

interface SequencedTest {
  path: string;
  context: { config: { rootDir: string; cache: boolean; cacheDirectory: string; id: string } };
}
type Sequencer = new (options: object) => { sort(tests: SequencedTest[]): SequencedTest[] };
const SlowLayersInterleaved = jest.requireActual<Sequencer>('../../support/sequencer.js');

describe("the test sequencer's order without timings (a fresh clone)", () => {
  const dirs = scratchDirs();
  afterAll(() => dirs.removeAll());

  /** Test files of the given sizes in bytes under a scratch repository, as jest hands them over (no timings). */
  const repository = (files: Record<string, number>) => {
    const rootDir = dirs.make('sequencer-');
    const config = { rootDir, cache: false, cacheDirectory: rootDir, id: 'sequencer' };
    return Object.entries(files).map(([file, bytes]) => {
      const absolute = path.join(rootDir, file);
      mkdirSync(path.dirname(absolute), { recursive: true });
      writeFileSync(absolute, 'x'.repeat(bytes));
      return { path: absolute, context: { config } };
    });
  };
  const order = (tests: SequencedTest[]) =>
    new SlowLayersInterleaved({}).sort(tests).map((test) => path.relative(test.context.config.rootDir, test.path));

  test('one file from each slow layer in turn, heaviest first (a gathering file with what it gathers); the unit files last', () => {
    const tests = repository({
      'test/unit/small.test.ts': 10,
      'test/e2e/light.test.ts': 100,
      'test/workflow/light.test.ts': 200,
      'test/unit/big.test.ts': 5000,
      'test/e2e/heavy.test.ts': 900,
      'test/infra/synth.test.ts': 50,
      'test/workflow/heavy.test.ts': 800,
      'test/e2e/middle.test.ts': 300,
      // 150 bytes, and 600 in the folder it gathers (as chromium.test.ts gathers test/e2e/chromium/).
      'test/e2e/gathering.test.ts': 150,
      'test/e2e/gathering/first.ts': 300,
      'test/e2e/gathering/second.ts': 300,
    }).filter((test) => test.path.endsWith('.test.ts'));
    expect(order(tests)).toEqual([
      'test/e2e/heavy.test.ts',
      'test/infra/synth.test.ts',
      'test/workflow/heavy.test.ts',
      'test/e2e/gathering.test.ts',
      'test/workflow/light.test.ts',
      'test/e2e/middle.test.ts',
      'test/e2e/light.test.ts',
      'test/unit/big.test.ts',
      'test/unit/small.test.ts',
    ]);
  });
});
