import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Directories made under the system's temporary folder, removed together: tests leave nothing in /tmp. */
export const scratchDirs = () => {
  const made: string[] = [];
  return {
    make: (prefix: string): string => {
      const dir = mkdtempSync(path.join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    removeAll: (): void => {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
};

const ofThisFile = scratchDirs();
// Imported by a test file, this registers once per file (jest loads modules per file): its directories go after it.
afterAll(ofThisFile.removeAll);

/** A fresh directory (`/tmp/<prefix>XXXXXX`), removed with what it holds when the test file ends. */
export const scratchDir = ofThisFile.make;
