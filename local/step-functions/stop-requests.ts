import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * StopExecution across processes: the stack's Step Functions API stops an execution that
 * `npm run report` runs by leaving a request file beside the execution records; that process
 * watches for it and stops the run itself (its handlers, its record). Files, not signals: they
 * carry the stop's error and cause, and work wherever the records do.
 */
export interface StopReason {
  error?: string;
  cause?: string;
}

const STOPS_DIR = 'stop-requests';
// How often the running process looks: a stop takes effect within this, and a look is one failed open.
const WATCH_INTERVAL_MS = 200;

const requestFile = (executionsDir: string, executionArn: string): string =>
  path.join(executionsDir, STOPS_DIR, `${createHash('sha256').update(executionArn).digest('hex').slice(0, 32)}.json`);

export const requestStop = async (executionsDir: string, executionArn: string, reason: StopReason): Promise<void> => {
  await mkdir(path.join(executionsDir, STOPS_DIR), { recursive: true, mode: 0o700 });
  await writeFile(requestFile(executionsDir, executionArn), JSON.stringify({ executionArn, ...reason }), {
    mode: 0o600,
  });
};

/** Calls `stop` once, when a request to stop `executionArn` arrives; returns the function that stops watching. */
export const watchStopRequest = (
  executionsDir: string,
  executionArn: string,
  stop: (reason: StopReason) => void,
): (() => void) => {
  const file = requestFile(executionsDir, executionArn);
  const look = async (): Promise<void> => {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) return;
    clearInterval(timer);
    await rm(file, { force: true });
    const { error, cause } = JSON.parse(text) as StopReason;
    stop({ ...(typeof error === 'string' ? { error } : {}), ...(typeof cause === 'string' ? { cause } : {}) });
  };
  const timer = setInterval(() => void look().catch(() => undefined), WATCH_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
};
