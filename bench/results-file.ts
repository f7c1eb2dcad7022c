import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const RESULTS_DIR = path.resolve(__dirname, 'results');

/** Keeps a run's markdown report as bench/results/<name>-<start time>.md (not committed); returns its path. */
export const saveReport = (name: string, startedAt: Date, report: string): string => {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}-${startedAt.toISOString().replace(/[:.]/g, '-')}.md`);
  writeFileSync(file, report);
  return path.relative(process.cwd(), file);
};
