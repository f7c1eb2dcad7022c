import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The on-disk DynamoDB Local runs in its own process group (so that Ctrl-C reaches only the
 * stack, which stops it after the requests in flight), so a stack killed outright (SIGKILL, OOM,
 * a closed terminal) can leave it running: holding the port, and the files under DATA_DIR. The
 * stack records the process here, and the next start with that DATA_DIR ends such an orphan
 * before starting its own database. It ends only a process it can prove is that orphan: alive,
 * running DynamoDB Local's jar on this very database directory, and no longer the child of the
 * stack that started it. Anything else on the port still gets the "port in use" error.
 */
export const databasePidFile = (dataDir: string): string => path.join(dataDir, 'dynamodb.pid');

interface PidRecord {
  /** The java process. */
  pid: number;
  /** The stack that started it: while that one lives and is its parent, it is not an orphan. */
  owner: number;
  dbPath: string;
}

export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUse';
}

export type OrphanOutcome = 'none' | 'stale' | 'ended';

const END_GRACE_MS = 10_000;
const POLL_MS = 50;

const parseRecord = (text: string): PidRecord | undefined => {
  try {
    const record = JSON.parse(text) as Partial<PidRecord>;
    return Number.isInteger(record.pid) && Number.isInteger(record.owner) && typeof record.dbPath === 'string'
      ? (record as PidRecord)
      : undefined;
  } catch {
    return undefined;
  }
};

/** `/proc/<pid>/stat`: the state and the parent; undefined when there is no such (live) process. */
const processStatus = async (pid: number): Promise<{ state: string; ppid: number } | undefined> => {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ")".
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (!fields || fields[0] === 'Z' || fields[0] === 'X') return undefined;
  return { state: fields[0] ?? '', ppid: Number(fields[1]) };
};

/** Its command line is DynamoDB Local's jar with `-dbPath <dbPath>`: a reused pid is someone else's process. */
const isDatabaseOf = async (pid: number, dbPath: string): Promise<boolean> => {
  const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
  const at = args.indexOf('-dbPath');
  return args.some((arg) => arg.endsWith('DynamoDBLocal.jar')) && at >= 0 && args[at + 1] === dbPath;
};

/**
 * No thread of the process is left. Its first thread can be a zombie while the others still run (a JVM ending after
 * SIGTERM): they hold its files, the database's port among them, until the last one is gone.
 */
export const processGone = async (pid: number): Promise<boolean> =>
  !(await processStatus(pid)) && (await readdir(`/proc/${pid}/task`).catch(() => [])).length <= 1;

const exited = async (pid: number, withinMs: number): Promise<boolean> => {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await processGone(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return processGone(pid);
};

/**
 * Ends the DynamoDB Local a crashed stack left running on `dbPath`, if the pid file names one,
 * and removes the pid file. Throws DataDirInUseError when the database belongs to a stack still
 * running on that DATA_DIR.
 */
export const endOrphanedDatabase = async (dataDir: string, dbPath: string): Promise<OrphanOutcome> => {
  const file = databasePidFile(dataDir);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return 'none';
  const record = parseRecord(text);
  const status = record && record.dbPath === dbPath ? await processStatus(record.pid) : undefined;
  if (!record || !status || !(await isDatabaseOf(record.pid, dbPath))) {
    // No live first thread: gone, or on its way out (SIGTERM at its stack's death; its first thread a zombie) with
    // threads that still hold the port and the files. The new database waits for those, or it finds the port taken.
    if (record && record.dbPath === dbPath && !status) await exited(record.pid, END_GRACE_MS);
    await rm(file, { force: true });
    return 'stale';
  }
  if (status.ppid === record.owner && (await processStatus(record.owner))) {
    throw new DataDirInUseError(
      `DATA_DIR ${dataDir} is in use by a running local stack (pid ${record.owner}); stop it, or choose another DATA_DIR`,
    );
  }
  // SIGTERM lets it close its files; a database that does not go in time is killed.
  process.kill(record.pid, 'SIGTERM');
  if (!(await exited(record.pid, END_GRACE_MS))) {
    process.kill(record.pid, 'SIGKILL');
    await exited(record.pid, END_GRACE_MS);
  }
  await rm(file, { force: true });
  return 'ended';
};

/** Written once the process is started; readable by its owner only, as the rest of DATA_DIR. */
export const recordDatabaseProcess = (dataDir: string, record: PidRecord): Promise<void> =>
  writeFile(databasePidFile(dataDir), `${JSON.stringify(record)}\n`, { mode: 0o600 });

/** Removed when the stack stops its database itself; only if it still names that process. */
export const forgetDatabaseProcess = async (dataDir: string, pid: number): Promise<void> => {
  const record = parseRecord((await readFile(databasePidFile(dataDir), 'utf8').catch(() => '')) ?? '');
  if (record?.pid === pid) await rm(databasePidFile(dataDir), { force: true });
};
