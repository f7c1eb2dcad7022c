import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '#local/free-port';
import { type LocalTableNames, localTableNames } from '#contract/tables';
import { issueAccessToken, issuerUrl } from '#local/cognito/access-tokens';
import { loadOrCreateKeyRing } from '#local/cognito/signing-keys';
import { loadOrCreateSecrets } from '#local/cognito/local-secrets';
import { LOCAL_USER_APP_CLIENT_ID, MACHINE_CLIENTS } from '#contract/oauth-clients';
import { USER_APP_SCOPES } from '#contract/scopes';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { pollUntil } from '#devtools/polling';
import { processGroupAlive } from '#devtools/process-group';
import { typeScriptProcess } from '#devtools/typescript-process';

export interface LocalStackOptions {
  /** Use this DynamoDB (default: the test run's shared in-memory instance); `null` = start its own on disk. */
  dynamoDbEndpoint?: string | null;
  dataDir?: string;
  port?: number;
  /** Run `npm start` itself rather than the command behind it. */
  viaNpmStart?: boolean;
  /** Default: a prefix unique to this stack; `''` gives the names `npm start` uses. */
  tablePrefix?: string;
  /** More environment for the stack (e.g. LOCAL_INJECT_FAULTS, RATE_LIMIT_BURST, LOG_LEVEL); it wins over the defaults. */
  env?: Record<string, string>;
}

export interface RunningLocalStack {
  url: string;
  port: number;
  /** The stack's Step Functions API (AWS JSON 1.0), for the SDK, the AWS CLI and npm run ops. */
  sfnUrl: string;
  dataDir: string;
  /** The DynamoDB the stack writes to: the shared one, or the one it started itself. */
  dynamoDbEndpoint: string;
  tableNames: LocalTableNames;
  /**
   * The variables that name this stack (PORT, SFN_PORT, DYNAMODB_PORT or DYNAMODB_ENDPOINT,
   * TABLE_PREFIX, DATA_DIR): with them, npm start comes back as the same stack, and npm run
   * report, ops and token find it.
   */
  settingsEnv: Record<string, string>;
  /** The process group of the stack (npm start and all it started in its group). */
  pid: number;
  /** Everything the stack printed, for assertions and for failure messages. */
  output: () => string;
  /**
   * The stack's OpenID provider: its issuer URL (`http://localhost:<port>`, what discovery and the sign-in pages
   * answer as) and the confidential clients' secrets it generated, by client id.
   */
  issuer: string;
  clientSecrets: () => Promise<Record<string, string>>;
  /** A real RS256 access token signed with the stack's OpenID provider's current key (read when called). */
  token: (claims: { sub: string; scope?: string; clientId?: string; expiresInSeconds?: number }) => Promise<string>;
  /** Signals the stack's process group, as Ctrl-C does, and waits for the stack to exit. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

const waitForReady = (child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The local stack did not start in ${timeoutMs} ms:\n${output()}`)),
      timeoutMs,
    );
    const check = (): void => {
      if (output().includes('Ready.')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The local stack exited with ${code} before it was ready:\n${output()}`));
    });
  });

/** The stack's environment: the test's own, with the stack's settings and nothing that would bypass them. */
const stackEnv = async (options: LocalStackOptions, port: number, dataDir: string): Promise<NodeJS.ProcessEnv> => {
  const dynamoDbEndpoint =
    options.dynamoDbEndpoint === undefined ? process.env.AWS_ENDPOINT_URL_DYNAMODB : options.dynamoDbEndpoint;
  const dynamoDbPort = await freePort();
  const sfnPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    TABLE_PREFIX: options.tablePrefix ?? `e2e-${port}-`,
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'WARN',
    DYNAMODB_PORT: String(dynamoDbPort),
    SFN_PORT: String(sfnPort),
    ...options.env,
  };
  delete env.DYNAMODB_ENDPOINT;
  if (dynamoDbEndpoint) env.DYNAMODB_ENDPOINT = dynamoDbEndpoint;
  // The handlers must find DynamoDB through what the stack sets, not through the test's own env.
  delete env.AWS_ENDPOINT_URL_DYNAMODB;
  delete env.PAYMENTS_TABLE_NAME;
  delete env.IDEMPOTENCY_TABLE_NAME;
  delete env.IDENTITIES_TABLE_NAME;
  return env;
};

/** The settings `npm start` reads, as the stack was given them. */
const settingsOf = (env: NodeJS.ProcessEnv): Record<string, string> =>
  Object.fromEntries(
    ['PORT', 'SFN_PORT', 'DYNAMODB_PORT', 'DYNAMODB_ENDPOINT', 'TABLE_PREFIX', 'DATA_DIR'].flatMap((name) =>
      env[name] === undefined ? [] : [[name, env[name]]],
    ),
  ) as Record<string, string>;

/** The stack's process, in a process group of its own, with everything it prints kept. */
const spawnStack = (options: LocalStackOptions, env: NodeJS.ProcessEnv) => {
  const [command, args] = options.viaNpmStart
    ? ['npm', ['start', '--silent']]
    : typeScriptProcess('local/main.ts', [], { polyfills: true });
  const child = spawn(command, args, { cwd: REPOSITORY_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let printed = '';
  child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const output = (): string => printed;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, output, exited };
};

const GROUP_EXIT_TIMEOUT_MS = 30_000;

/** Resolves once no process of the group is left; rejects after GROUP_EXIT_TIMEOUT_MS. */
const groupGone = (pgid: number): Promise<void> =>
  pollUntil(() => !processGroupAlive(pgid), {
    timeoutMs: GROUP_EXIT_TIMEOUT_MS,
    intervalMs: 50,
    failure: () => `A process of the stack's group ${pgid} was still alive after stop`,
  });

/**
 * Starts the local stack as a separate process, exactly as `npm start` does, on free ports with
 * its own data dir and table prefix, so that any number of stacks can run side by side.
 */
export const startLocalStack = async (options: LocalStackOptions = {}): Promise<RunningLocalStack> => {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'payments-stack-'));
  const env = await stackEnv(options, port, dataDir);
  const settingsEnv = settingsOf(env);
  const { child, output, exited } = spawnStack(options, env);
  await waitForReady(child, output, 60_000);
  const issuer = issuerUrl(port);

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    sfnUrl: `http://127.0.0.1:${settingsEnv.SFN_PORT}`,
    dataDir,
    dynamoDbEndpoint: settingsEnv.DYNAMODB_ENDPOINT ?? `http://127.0.0.1:${settingsEnv.DYNAMODB_PORT}`,
    tableNames: localTableNames(settingsEnv.TABLE_PREFIX ?? ''),
    settingsEnv,
    pid: child.pid!,
    output,
    issuer,
    clientSecrets: async () => {
      const secrets = await loadOrCreateSecrets(dataDir, []);
      return Object.fromEntries(MACHINE_CLIENTS.map((client) => [client.localId, secrets[client.localId] ?? '']));
    },
    token: async ({ sub, scope = USER_APP_SCOPES.join(' '), clientId = LOCAL_USER_APP_CLIENT_ID, expiresInSeconds }) =>
      issueAccessToken((await loadOrCreateKeyRing(dataDir)).current, {
        issuer,
        sub,
        clientId,
        scope,
        expiresInSeconds,
      }),
    stop: async (signal = 'SIGINT') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // The whole process group: npm start's child (node) and its DynamoDB Local get the signal too,
      // as they do on Ctrl-C in a terminal.
      process.kill(-child.pid!, signal);
      await exited;
      // npm can exit before the stack's node process has finished stopping (its database, its pid file):
      // the stack has stopped when no process of its group is left.
      await groupGone(child.pid!);
    },
  };
};
