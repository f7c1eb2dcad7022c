import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { OPENAPI_TYPES_FILE } from '#devtools/openapi-file';
import { scratchDir } from '../../support/scratch-dir';
import { typeScriptProcess } from '#devtools/typescript-process';

/**
 * The generated types follow docs/openapi.yaml. Run through the script's --check (in its own process: openapi-typescript
 * loads ES modules that jest's CommonJS runtime cannot), and shown to fail on a stale file.
 */
const check = (file: string) =>
  spawnSync(...typeScriptProcess('scripts/write-openapi-types.ts', ['--check', '--file', file]), {
    cwd: REPOSITORY_ROOT,
    encoding: 'utf8',
  });

describe('client/openapi-types.ts', () => {
  test('is what openapi-typescript generates from docs/openapi.yaml (run npm run docs:types when this fails)', () => {
    const result = check(OPENAPI_TYPES_FILE);
    expect(result.stderr).toContain('is up to date');
    expect(result.status).toBe(0);
  }, 30_000);

  test('a stale copy (one property gone) fails the check with exit 1', () => {
    const stale = path.join(scratchDir('openapi-types-'), 'openapi-types.ts');
    writeFileSync(stale, readFileSync(OPENAPI_TYPES_FILE, 'utf8').replace('receivedAt: string;', ''));
    const result = check(stale);
    expect(result.stderr).toContain('is stale: run npm run docs:types');
    expect(result.status).toBe(1);
  }, 30_000);
});
