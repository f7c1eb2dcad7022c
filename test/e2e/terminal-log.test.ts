import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { LOCAL_USER_APP_CLIENT_ID } from '#contract/oauth-clients';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { USER_APP_SCOPES } from '#contract/scopes';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { issueAccessToken, issuerUrl } from '#local/cognito/access-tokens';
import { loadOrCreateKeyRing } from '#local/cognito/signing-keys';
import { freePort } from '#local/free-port';
import { submit } from '../support/http';
import { paymentSubmission } from '#devtools/submissions';
import { pollUntil } from '#devtools/polling';
import { scratchDir } from '../support/scratch-dir';
import { typeScriptProcess } from '#devtools/typescript-process';

const READY = 'Ready. Ctrl-C stops.';

/** Resolves once `output()` holds `text`; fails naming what was printed instead. */
const printed = (output: () => string, text: string, timeoutMs: number): Promise<void> =>
  pollUntil(() => output().includes(text), {
    timeoutMs,
    failure: () => `Not printed within ${timeoutMs} ms: ${text}\n${output()}`,
  });

/** The stack as `npm start` runs it in a terminal: under util-linux `script`, its stdout a pseudo-terminal. */
const startInTerminal = async (): Promise<{
  child: ChildProcess;
  port: number;
  dataDir: string;
  printed: () => string;
}> => {
  const port = await freePort();
  const dataDir = scratchDir('payments-terminal-');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    SFN_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    TABLE_PREFIX: `terminal-${port}-`,
    // The test run's shared DynamoDB Local (globalSetup): this test is about the log, not the database.
    DYNAMODB_ENDPOINT: process.env.AWS_ENDPOINT_URL_DYNAMODB,
    TERM: 'dumb',
  };
  delete env.LOG_LEVEL;
  delete env.AWS_ENDPOINT_URL_DYNAMODB;
  const command = typeScriptProcess('local/main.ts', [], { polyfills: true }).flat().join(' ');
  const child = spawn('script', ['--quiet', '--flush', '--return', '--command', command, '/dev/null'], {
    cwd: REPOSITORY_ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await printed(() => output, READY, 90_000);
  return { child, port, dataDir, printed: () => output };
};

const token = async (dataDir: string, port: number, sub: string): Promise<string> =>
  issueAccessToken((await loadOrCreateKeyRing(dataDir)).current, {
    issuer: issuerUrl(port),
    sub,
    clientId: LOCAL_USER_APP_CLIENT_ID,
    scope: USER_APP_SCOPES.join(' '),
  });

describe('npm start at the default log level', () => {
  let terminal: Awaited<ReturnType<typeof startInTerminal>> | undefined;
  let piped: RunningLocalStack | undefined;
  afterAll(async () => {
    // script passes SIGTERM on to the stack, which stops as on Ctrl-C.
    if (terminal && terminal.child.exitCode === null) {
      const exited = new Promise((resolve) => terminal?.child.once('exit', resolve));
      terminal.child.kill('SIGTERM');
      await exited;
    }
    await piped?.stop();
  });

  test('in a terminal: one readable line per request, no JSON', async () => {
    terminal = await startInTerminal();
    const userId = randomUUID();
    const url = `http://127.0.0.1:${terminal.port}`;
    const answer = await submit(
      url,
      await token(terminal.dataDir, terminal.port, userId),
      paymentSubmission({ userId }),
    );
    expect(answer.status).toBe(201);
    const requestId = answer.headers.get('x-request-id');
    await printed(terminal.printed, `${requestId}`, 10_000);
    // Whatever else might follow the line comes at once (the handlers' lines come before the answer).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = terminal
      .printed()
      .slice(terminal.printed().indexOf(READY) + READY.length)
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '');
    expect(after).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d POST \/payments 201 {2}\d+ ms {2}[\da-f-]{36}$/)]);
    expect(after[0]).toContain(`${requestId}`);
  });

  test('to a pipe: JSON lines, the handlers’ included', async () => {
    piped = await startLocalStack({ env: { LOG_LEVEL: '' } });
    const userId = randomUUID();
    const answer = await submit(piped.url, await piped.token({ sub: userId }), paymentSubmission({ userId }));
    expect(answer.status).toBe(201);
    const requestId = answer.headers.get('x-request-id');
    await printed(piped.output, `"requestId":"${requestId}"`, 10_000);
    const lines = piped
      .output()
      .split('\n')
      .filter((line) => line.includes(`${requestId}`));
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(
      expect.objectContaining({ method: 'POST', path: '/payments', status: 201, requestId }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'Payment stored' }));
  });
});
