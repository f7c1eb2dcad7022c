import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { typeScriptProcess } from '#devtools/typescript-process';

/**
 * Runs a bench script (`node --require tsx/cjs bench/<script> <plan.json>`) in a process of its own, so its load and
 * memory are not the measuring process's, and answers the JSON line it printed last.
 */
export const runBenchChild = async <T>(script: string, plan: unknown): Promise<T> => {
  const folder = mkdtempSync(path.join(tmpdir(), 'bench-plan-'));
  const file = path.join(folder, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  try {
    const child = spawn(...typeScriptProcess(path.join(__dirname, script), [file]), {
      cwd: REPOSITORY_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`${script} exited with ${code}`);
    return JSON.parse(output.trim().split('\n').pop()!) as T;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
};
