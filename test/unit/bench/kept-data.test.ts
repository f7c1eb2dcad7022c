import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { GenerationResult } from '../../../bench/generation-result';
import { keepMonth, restoreMonth } from '../../../bench/kept-data';

const generation: GenerationResult = {
  expected: {
    users: 2,
    payments: 10,
    historyPayments: 92,
    commitments: 5,
    previousReports: 1,
    sample: [{ userId: 'u-1', streaks: new Map([['GBP#netflix', 3]]), selfReported: new Map([['GBP#netflix', true]]) }],
  },
  seconds: 12.5,
  peakRssBytes: 200 * 1024 * 1024,
  cpuSeconds: 9.25,
};

describe("the report benchmark's kept month", () => {
  const root = mkdtempSync(path.join(tmpdir(), 'kept-month-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test("kept, then restored into a fresh folder: the database copied, the generation whole, and only the month's own options (not the run's)", async () => {
    const [scratch, kept, again] = ['scratch', 'kept', 'again'].map((name) => path.join(root, name)) as [
      string,
      string,
      string,
    ];
    mkdirSync(path.join(scratch, 'dynamodb'), { recursive: true });
    writeFileSync(path.join(scratch, 'dynamodb', 'shared-local-instance.db'), 'the database');
    const options = { users: 2, month: '2026-10', seed: 7, capacity: false, childExecutions: 8, keepData: kept };

    await keepMonth(scratch, kept, options, generation);
    const restored = await restoreMonth(kept, again);

    expect(restored.month).toEqual({ users: 2, month: '2026-10', seed: 7 });
    expect(restored.generation).toEqual(generation);
    expect(readFileSync(path.join(again, 'dynamodb', 'shared-local-instance.db'), 'utf8')).toBe('the database');
  });

  test('a folder without a kept month is refused with what to do', async () => {
    await expect(restoreMonth(path.join(root, 'nothing'), path.join(root, 'x'))).rejects.toThrow(
      'make one with --keep-data',
    );
  });
});
