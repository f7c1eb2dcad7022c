import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPOSITORY_ROOT } from './synth';

const run = promisify(execFile);

export interface DependencyFixture {
  /** Writes a module of the fixture (path relative to its root). */
  write: (file: string, text: string) => void;
  /** One rule's violations over the given top-level folders, as `from -> to`, sorted. */
  violations: (rule: string, folders: readonly string[]) => Promise<string[]>;
  remove: () => void;
}

/**
 * A small tree run under the repository's own dependency-cruiser config, tsconfig and `#*` aliases: a rule's test
 * writes the imports the rule exists for and expects it to name them.
 */
export const dependencyFixture = (): DependencyFixture => {
  const root = mkdtempSync(path.join(tmpdir(), 'depcruise-fixture-'));
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  for (const file of ['.dependency-cruiser.cjs', 'tsconfig.json']) {
    copyFileSync(path.join(REPOSITORY_ROOT, file), path.join(root, file));
  }
  const { imports } = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as {
    imports: Record<string, string>;
  };
  write('package.json', JSON.stringify({ name: 'fixture', private: true, imports }));

  const violations = async (rule: string, folders: readonly string[]): Promise<string[]> => {
    const bin = path.join(REPOSITORY_ROOT, 'node_modules', '.bin', 'depcruise');
    const args = ['--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...folders];
    // It exits non-zero on any violation (the fixture's unused files are orphans): the report says which.
    const stdout = await run(bin, args, { cwd: root }).then(
      (done) => done.stdout,
      (failed: { stdout: string }) => failed.stdout,
    );
    const report = JSON.parse(stdout) as {
      summary: { violations: { rule: { name: string }; from: string; to: string }[] };
    };
    return report.summary.violations
      .filter((violation) => violation.rule.name === rule)
      .map((violation) => `${violation.from} -> ${violation.to}`)
      .sort();
  };
  return { write, violations, remove: () => rmSync(root, { recursive: true, force: true }) };
};
