import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPOSITORY_ROOT } from '#contract/repository-root';

/**
 * The interpreter checks a definition (asl-validator: JSON schemas, paths, ARNs) every time a state machine is built,
 * and asl-validator compiles its schemas anew for each check: about a second of CPU for a stack's workflows, paid again
 * by every `npm start`, `npm run report` and test (an eighth of a workflow test's CPU). A definition passed once is
 * the same definition: its verdict is kept by content hash, in this process and in node_modules/.cache for later
 * ones. Only passes are kept: a definition that fails is checked, and reported, every time.
 */
export interface DefinitionVerdict {
  /** Whether exactly this definition passed the interpreter's check before (here or in an earlier process). */
  passedBefore: boolean;
  /** Records that it passed (its key was taken before the check, which adds fields to the definition it reads). */
  remember(): void;
}

export interface CheckedDefinitions {
  verdictOf(definition: unknown): DefinitionVerdict;
}

const INTERPRETER_PACKAGE = 'aws-local-stepfunctions';

/** The interpreter's version is part of every key: another version may check differently. */
const interpreterVersion = (): string =>
  (
    JSON.parse(
      readFileSync(path.join(REPOSITORY_ROOT, 'node_modules', INTERPRETER_PACKAGE, 'package.json'), 'utf8'),
    ) as { version: string }
  ).version;

export const DEFAULT_VERDICTS_DIR = path.join(REPOSITORY_ROOT, 'node_modules', '.cache', 'asl-verdicts');

/** Verdicts kept under `dir`; `checks` names the interpreter's check options, which are part of each key. */
export const checkedDefinitions = (checks: string, dir: string = DEFAULT_VERDICTS_DIR): CheckedDefinitions => {
  const inThisProcess = new Set<string>();
  const salt = `${INTERPRETER_PACKAGE}@${interpreterVersion()}\n${checks}\n`;
  const keyOf = (definition: unknown): string =>
    createHash('sha256').update(salt).update(JSON.stringify(definition)).digest('hex');
  const remember = (key: string): void => {
    inThisProcess.add(key);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // Written aside and renamed: a verdict file is whole or absent, whoever writes it at the same time.
      const staging = path.join(dir, `${key}.${process.pid}.${randomUUID()}.tmp`);
      writeFileSync(staging, '');
      renameSync(staging, path.join(dir, key));
    } catch {
      // A cache only: a read-only checkout checks again next time.
    }
  };
  return {
    verdictOf(definition) {
      const key = keyOf(definition);
      const passedBefore = inThisProcess.has(key) || existsSync(path.join(dir, key));
      if (passedBefore) inThisProcess.add(key);
      return { passedBefore, remember: () => remember(key) };
    },
  };
};
