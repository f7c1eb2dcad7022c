import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type GenerationResult, parseGenerationResult, serialiseGenerationResult } from './generation-result';

/**
 * `--keep-data <dir>` / `--reuse-data <dir>` (the report and furnishing benches): a generated month kept on disk
 * (DynamoDB Local's database file and what the generation process reported), so that a later run
 * measures only the step on the same data. Every run works on a fresh copy in a scratch
 * folder (in /dev/shm where there is one: memory-backed, as the in-memory database is), so the kept
 * month is never changed by a run and each re-run starts from the same state.
 */

/** What a kept month was generated with; a re-run takes these, not its own. */
export interface KeptMonth {
  users: number;
  month: string;
  seed: number;
}

const DATABASE_DIR = 'dynamodb'; // where startDynamoDbLocal keeps a data directory's database
const GENERATION_FILE = 'generation.json';

/** A fresh scratch data directory for DynamoDB Local. */
export const scratchDataDir = (prefix = 'bench-report-'): Promise<string> =>
  mkdtemp(path.join(existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), prefix));

export const removeScratch = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });

/** Copies the (stopped) database of `dataDir` into `keepDir`, with `about` (what it holds, as JSON) beside it. */
export const keepDatabase = async (dataDir: string, keepDir: string, about: object): Promise<void> => {
  await rm(path.join(keepDir, DATABASE_DIR), { recursive: true, force: true });
  await mkdir(keepDir, { recursive: true, mode: 0o700 });
  await cp(path.join(dataDir, DATABASE_DIR), path.join(keepDir, DATABASE_DIR), { recursive: true });
  await writeFile(path.join(keepDir, GENERATION_FILE), `${JSON.stringify(about)}\n`, { mode: 0o600 });
};

/** Copies a kept database into `dataDir`; answers what was kept beside it. */
export const restoreDatabase = async (keepDir: string, dataDir: string): Promise<Record<string, unknown>> => {
  const file = path.join(keepDir, GENERATION_FILE);
  if (!existsSync(file))
    throw new Error(`${keepDir} holds no kept month (no ${GENERATION_FILE}): make one with --keep-data`);
  const about = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  await cp(path.join(keepDir, DATABASE_DIR), path.join(dataDir, DATABASE_DIR), { recursive: true });
  return about;
};

/** The report bench's month: the database and the generation's figures. */
export const keepMonth = (dataDir: string, keepDir: string, month: KeptMonth, generation: GenerationResult) =>
  keepDatabase(dataDir, keepDir, {
    users: month.users,
    month: month.month,
    seed: month.seed,
    generation: serialiseGenerationResult(generation),
  });

/** Copies a kept month's database into `dataDir`: what it was generated with, and the generation's figures. */
export const restoreMonth = async (
  keepDir: string,
  dataDir: string,
): Promise<{ month: KeptMonth; generation: GenerationResult }> => {
  // Only what the month was generated with: the run's own options (--capacity, --child-executions) stay its own.
  const { users, month, seed, generation } = (await restoreDatabase(keepDir, dataDir)) as unknown as KeptMonth & {
    generation: string;
  };
  return { month: { users, month, seed }, generation: parseGenerationResult(generation) };
};
