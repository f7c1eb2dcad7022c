import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { request } from 'node:http';
import path from 'node:path';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { databasePidFile } from '#local/dynamodb/database-pid-file';
import { submit } from '../support/http';
import { paymentSubmission } from '#devtools/submissions';
import { type TestHost, createTestHost } from '../support/test-host';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { scratchDir } from '../support/scratch-dir';

const run = promisify(execFile);

/** The README's indented code block right after the paragraph that begins with `prose`, as a shell script. */
const readmeBlockAfter = (prose: string): string => {
  const lines = readFileSync(path.join(REPOSITORY_ROOT, 'README.md'), 'utf8').split('\n');
  const paragraph = lines.findIndex((line) => line.startsWith(prose));
  const start = lines.findIndex((line, index) => index > paragraph && line.startsWith('    '));
  // The paragraph, one blank line, the block: not a block further down.
  if (paragraph < 0 || lines[start - 1] !== '' || lines.slice(paragraph, start - 1).some((line) => line === ''))
    throw new Error(`README.md has no code block right after the paragraph "${prose}"`);
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('    '));
  return lines
    .slice(start, end)
    .map((line) => line.slice(4))
    .join('\n');
};

/** A DynamoDB API call (ListTables) to `endpoint` carrying `host` as its Host header: the status and the body. */
const listTablesAs = (endpoint: string, host: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const body = '{}';
    const call = request(
      endpoint,
      {
        method: 'POST',
        headers: {
          host,
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'DynamoDB_20120810.ListTables',
          authorization:
            'AWS4-HMAC-SHA256 Credential=local/20260101/eu-west-2/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
          'content-length': Buffer.byteLength(body),
        },
      },
      (answer) => {
        let text = '';
        answer.on('data', (chunk: Buffer) => (text += chunk.toString()));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 0, body: text }));
      },
    );
    call.on('error', reject);
    call.end(body);
  });

/** Every folder and file under `dir` (itself included) whose mode is not the owner's alone. */
const openEntries = (dir: string): string[] => {
  // A temporary file renamed away meanwhile has no mode to check (0o600: counted as private).
  const mode = (entry: string): number => (statSync(entry, { throwIfNoEntry: false })?.mode ?? 0o600) & 0o777;
  const found = mode(dir) === 0o700 ? [] : [`${dir} ${mode(dir).toString(8)}`];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const entryPath = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...openEntries(entryPath));
    else if (mode(entryPath) !== 0o600) found.push(`${entryPath} ${mode(entryPath).toString(8)}`);
  }
  return found;
};

describe("npm start: the local stack's doors open on this machine's loopback only", () => {
  let testHost: TestHost;
  let stack: RunningLocalStack;
  let control: Server;
  let dataDir: string;

  beforeAll(async () => {
    testHost = await createTestHost();
    // What an older version left: DATA_DIR, the database folder and its file readable by every local user.
    dataDir = scratchDir('payments-doors-');
    chmodSync(dataDir, 0o755);
    mkdirSync(path.join(dataDir, 'dynamodb'), { mode: 0o755 });
    chmodSync(path.join(dataDir, 'dynamodb'), 0o755);
    writeFileSync(path.join(dataDir, 'dynamodb', 'shared-local-instance.db'), '', { mode: 0o644 });
    chmodSync(path.join(dataDir, 'dynamodb', 'shared-local-instance.db'), 0o644);
    // The table names npm start uses, so the README's commands run as printed.
    stack = await startLocalStack({ viaNpmStart: true, dynamoDbEndpoint: null, dataDir, tablePrefix: '' });
    // A listener on every interface: the test host reaching it shows that "refused" below is the stack's doing.
    control = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => control.listen(0, '0.0.0.0', resolve));
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    control?.close();
    await testHost?.remove();
  });

  test('from another machine on the network, DynamoDB Local, the API and the Step Functions API all refuse the connection', async () => {
    const controlPort = (control.address() as { port: number }).port;
    expect(await testHost.reach(controlPort)).toBe('connected');
    const ports = {
      dynamoDbLocal: Number(new URL(stack.dynamoDbEndpoint).port),
      api: stack.port,
      stepFunctions: Number(new URL(stack.sfnUrl).port),
    };
    const reached = Object.fromEntries(
      await Promise.all(Object.entries(ports).map(async ([name, port]) => [name, await testHost.reach(port)])),
    );
    expect(reached).toEqual({ dynamoDbLocal: 'refused', api: 'refused', stepFunctions: 'refused' });
  });

  test('DynamoDB Local refuses a request naming another host (DNS rebinding), and answers one to localhost', async () => {
    const port = new URL(stack.dynamoDbEndpoint).port;
    const rebound = await listTablesAs(stack.dynamoDbEndpoint, 'rebind.attacker.example');
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain('TableNames');
    const rebindWithPort = await listTablesAs(stack.dynamoDbEndpoint, `rebind.attacker.example:${port}`);
    expect(rebindWithPort.status).toBe(403);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const local = await listTablesAs(stack.dynamoDbEndpoint, host);
      expect({ host, status: local.status }).toEqual({ host, status: 200 });
      expect(JSON.parse(local.body)).toHaveProperty('TableNames');
    }
  });

  test('DynamoDB Local runs with its telemetry off (-disableTelemetry) through the loopback launcher', () => {
    const { pid } = JSON.parse(readFileSync(databasePidFile(dataDir), 'utf8')) as { pid: number };
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    expect(commandLine).toContain('-disableTelemetry');
    expect(commandLine).toContain('LoopbackDynamoDbLocal');
  });

  test("everything under DATA_DIR is the owner's alone, the database an older version left open included", async () => {
    const userId = randomUUID();
    const token = await stack.token({ sub: userId });
    expect((await submit(stack.url, token, paymentSubmission({ userId }))).status).toBe(201);
    expect(readdirSync(path.join(dataDir, 'dynamodb'))).toContain('shared-local-instance.db');
    expect(statSync(path.join(dataDir, 'dynamodb', 'shared-local-instance.db')).size).toBeGreaterThan(0);
    expect(openEntries(dataDir)).toEqual([]);
  });

  test("the README's first commands work as printed: a token and a payment, read back with Debian's AWS CLI; the shell's USER kept", async () => {
    const script = [
      readmeBlockAfter('In a second terminal'),
      readmeBlockAfter('Read what was stored'),
      'echo "USER=$USER"',
    ]
      .join('\n')
      .replaceAll('localhost:3000', `localhost:${stack.port}`)
      .replaceAll('localhost:8000', `localhost:${new URL(stack.dynamoDbEndpoint).port}`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...stack.settingsEnv,
      USER: 'newcomer',
      PATH: `/usr/bin:${process.env.PATH}`,
    };
    for (const name of [
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_ENDPOINT_URL_DYNAMODB',
    ])
      delete env[name];
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: REPOSITORY_ROOT, env });
    expect(stdout).toMatch(/^HTTP\/1\.1 201 Created/m);
    expect(stdout).toContain('"Item"');
    expect(stdout).toContain('"description"');
    expect(stdout).toMatch(/^USER=newcomer$/m);
    // The banner sample's rate-limit line is what npm start prints with the default settings.
    const readme = readFileSync(path.join(REPOSITORY_ROOT, 'README.md'), 'utf8');
    const rateLimit = readme.split('\n').find((line) => line.trim().startsWith('Rate limit'));
    expect(rateLimit).toBeDefined();
    expect(stack.output()).toContain(rateLimit!.trim());
  });
});
