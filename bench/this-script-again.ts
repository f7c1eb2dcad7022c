import { spawn } from 'node:child_process';

/**
 * Runs this benchmark script again in a process of its own, with the same Node flags and loaders and the given
 * arguments, and answers what it printed: `maxRSS` is a lifetime high-water mark, so work measured (or only done)
 * in a child does not count in this process's peak. Its stderr (progress bars) is ours.
 */
export const thisScriptAgain = (args: readonly string[], what: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${what} exited with ${signal ?? code}`)),
    );
  });
