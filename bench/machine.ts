import { spawnSync } from 'node:child_process';
import os from 'node:os';

/** What a figure was measured on: the figures mean little without it. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  java: string;
  platform: string;
}

const javaVersion = (): string => {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  // `java -version` prints to stderr; its first line names the build.
  return (result.stderr || result.stdout || 'not found').split('\n')[0]!.trim();
};

export const machineInfo = (): MachineInfo => ({
  cpus: os.availableParallelism(),
  cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
  memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
  node: process.version,
  java: javaVersion(),
  platform: `${os.type()} ${os.release()} ${os.arch()}`,
});

/** The 1, 5 and 15 minute load averages: the machine is shared, so they say how quiet it was. */
export const loadAverage = (): string =>
  os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' / ');

export const describeMachine = (machine: MachineInfo): string =>
  `${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, ${machine.platform}; Node ${machine.node}; ${machine.java}`;

/** When and on what a benchmark run started: every report heads with it. */
export interface RunStart {
  startedAt: Date;
  machine: MachineInfo;
  loadBefore: string;
}

export const runStart = (): RunStart => ({ machine: machineInfo(), loadBefore: loadAverage(), startedAt: new Date() });
