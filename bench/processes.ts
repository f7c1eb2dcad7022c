import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * What the benchmark's own child processes cost, read from /proc (Linux): CPU time and peak
 * memory of DynamoDB Local (java), the stack, the direct server and the load client.
 */
/** USER_HZ: the unit of the CPU times in /proc/<pid>/stat (100 on practically every Linux). */
const clockTicksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export interface ProcessSample {
  pid: number;
  command: string;
  /** User + system CPU time so far, in ms. */
  cpuMs: number;
  /** Peak resident set size (VmHWM), in bytes. */
  peakRssBytes: number;
}

const read = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

const sample = (pid: number): (ProcessSample & { parent: number }) | undefined => {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command in parentheses may hold spaces: the fields are counted after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const peak = /VmHWM:\s+(\d+) kB/.exec(read(`/proc/${pid}/status`) ?? '');
  return {
    pid,
    parent: Number(fields[1]),
    command: (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean).join(' '),
    cpuMs: (ticks / clockTicksPerSecond) * 1000,
    peakRssBytes: peak ? Number(peak[1]) * 1024 : 0,
  };
};

/** Every live descendant of `root` (default: this process). */
export const descendants = (root = process.pid): ProcessSample[] => {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => sample(Number(name)))
    .filter((entry): entry is NonNullable<typeof entry> => entry !== undefined);
  const children = new Map<number, number[]>();
  for (const entry of all) children.set(entry.parent, [...(children.get(entry.parent) ?? []), entry.pid]);
  const byPid = new Map(all.map((entry) => [entry.pid, entry]));
  const found: ProcessSample[] = [];
  const visit = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      const { parent: _parent, ...entry } = byPid.get(child)!;
      found.push(entry);
      visit(child);
    }
  };
  visit(root);
  return found;
};

/** CPU ms by role (the first role whose pattern the command line matches), summed over processes. */
export const cpuByRole = (samples: readonly ProcessSample[], roles: Record<string, RegExp>): Record<string, number> => {
  const totals: Record<string, number> = {};
  for (const entry of samples) {
    const role = Object.keys(roles).find((name) => roles[name]!.test(entry.command));
    if (role) totals[role] = (totals[role] ?? 0) + entry.cpuMs;
  }
  return totals;
};
