import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scratchDirs } from '../../support/scratch-dir';

describe('scratch directories', () => {
  test('each is fresh, and all are removed with what they hold', () => {
    const dirs = scratchDirs();
    const first = dirs.make('scratch-test-');
    const second = dirs.make('scratch-test-');
    writeFileSync(path.join(first, 'file'), 'x');

    expect(first).not.toBe(second);
    dirs.removeAll();

    expect([existsSync(first), existsSync(second)]).toEqual([false, false]);
  });
});
