import { readFileSync } from 'node:fs';

/**
 * A process as another process can recognise it later: its pid, and (on Linux) its start time in
 * clock ticks since boot, so that a pid the system has since given to another process does not
 * pass for it.
 */
export interface ProcessIdentity {
  pid: number;
  startTicks?: number;
}

/** Field 22 of `/proc/<pid>/stat`; undefined without /proc, or when there is no such live process. */
const startTicksOf = (pid: number): number | undefined => {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ")".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  const ticks = Number(fields[19]);
  return Number.isFinite(ticks) ? ticks : undefined;
};

export const thisProcess = (): ProcessIdentity => {
  const startTicks = startTicksOf(process.pid);
  return { pid: process.pid, ...(startTicks === undefined ? {} : { startTicks }) };
};

/** Whether that very process still runs (without /proc: whether its pid does). */
export const isRunning = (identity: ProcessIdentity): boolean => {
  if (identity.pid === process.pid) return identity.startTicks === thisProcess().startTicks;
  if (identity.startTicks !== undefined) return startTicksOf(identity.pid) === identity.startTicks;
  try {
    process.kill(identity.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};
