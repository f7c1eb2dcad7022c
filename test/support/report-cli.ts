import { execFile } from 'node:child_process';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { typeScriptProcess } from '#devtools/typescript-process';

/** `npm run report -- --month <month>` against a started stack, finding it exactly as npm start does (its environment). */
export const npmRunReport = (
  stack: Pick<RunningLocalStack, 'settingsEnv'>,
  month: string,
  logLevel = 'SILENT',
): Promise<{ status: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(
      ...typeScriptProcess('local/cli/report-cli.ts', ['--month', month], { polyfills: true }),
      { cwd: REPOSITORY_ROOT, env: { ...process.env, ...stack.settingsEnv, LOG_LEVEL: logLevel } },
      (error, stdout, stderr) => resolve({ status: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
