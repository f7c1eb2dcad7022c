import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  databasePidFile,
  endOrphanedDatabase,
  processGone,
  recordDatabaseProcess,
} from '#local/dynamodb/database-pid-file';
import { scratchDir } from '../../../support/scratch-dir';
import { pollUntil } from '#devtools/polling';

// A process whose first thread has ended (a zombie in /proc/<pid>/stat) while another thread still runs, as a JVM's
// can after SIGTERM: the running thread holds the process's files. Python's main thread calls pthread_exit.
const SPLIT_EXIT = `
import ctypes, threading, time, sys
threading.Thread(target=lambda: time.sleep(float(sys.argv[1]))).start()
sys.stdout.write('ready\\n'); sys.stdout.flush()
ctypes.CDLL(None).pthread_exit(None)
`;

const stateOf = async (pid: number): Promise<string | undefined> => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
};

const started = (seconds: number): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', SPLIT_EXIT, String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.stdout.once('data', () => resolve(child));
  });

describe('processGone: a process has ended when its last thread has', () => {
  test('a zombie first thread with another thread running is not gone; once that thread ends, it is', async () => {
    const child = await started(1.5);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await pollUntil(async () => (await stateOf(child.pid!)) === 'Z', {
      timeoutMs: 10_000,
      intervalMs: 20,
      failure: () => "the process's first thread never became a zombie",
    });
    expect(await processGone(child.pid!)).toBe(false);
    await exited;
    expect(await processGone(child.pid!)).toBe(true);
  });

  test('a pid no process has is gone', async () => {
    const child = spawn('true');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await processGone(child.pid!)).toBe(true);
  });
});

describe('endOrphanedDatabase: the database of a killed stack', () => {
  test('on its way out (first thread a zombie, another still running): the next start waits until it is gone', async () => {
    const dataDir = scratchDir('pid-file-');
    const dbPath = path.join(dataDir, 'dynamodb');
    const dying = await started(1.5);
    const exited = new Promise((resolve) => dying.once('exit', resolve));
    // Its stack (the owner) is dead: a pid no process has.
    const owner = spawn('true');
    await new Promise((resolve) => owner.once('exit', resolve));
    await recordDatabaseProcess(dataDir, { pid: dying.pid!, owner: owner.pid!, dbPath });
    await pollUntil(async () => (await stateOf(dying.pid!)) === 'Z', {
      timeoutMs: 10_000,
      intervalMs: 20,
      failure: () => "the process's first thread never became a zombie",
    });

    await endOrphanedDatabase(dataDir, dbPath);
    expect(await processGone(dying.pid!)).toBe(true);
    await expect(readFile(databasePidFile(dataDir), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    await exited;
  });
});
