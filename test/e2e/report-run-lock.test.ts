import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  type SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { MONTHLY_REPORT_WORKFLOW } from '#contract/workflows';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { runLockKey } from '#adapters/table-keys';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { testDocumentClient } from '../support/dynamodb';
import { storePayments, storedPayment } from '../support/reports';
import { freshMonth } from '../support/fresh-months';
import { sfnClient } from '../support/sfn';
import { pollUntil } from '#devtools/polling';
import { processGroupAlive } from '#devtools/process-group';
import { TEST_TABLE_PREFIX } from '../support/global-setup';
import { typeScriptProcess } from '#devtools/typescript-process';

/**
 * `npm run report` is a process of its own beside `npm start`, sharing its DynamoDB and its
 * execution records. Two of them for one month never interleave; one killed (its whole process
 * group, SIGKILL) or stopped through the stack's Step Functions API leaves no run RUNNING and no
 * month blocked: the next `npm run report` completes the month with no manual step.
 */
interface ReportProcess {
  child: ChildProcess;
  ended: Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>;
}

let stack: RunningLocalStack;
let sfn: SFNClient;

beforeAll(async () => {
  // The tests' own table names, so that the month's payments are stored as the other report tests store them.
  stack = await startLocalStack({ tablePrefix: TEST_TABLE_PREFIX });
  sfn = sfnClient(stack.sfnUrl);
});
const started: ReportProcess[] = [];
afterAll(async () => {
  // A test that failed half-way leaves no run behind.
  for (const run of started)
    if (run.child.exitCode === null && run.child.signalCode === null) signalGroup(run, 'SIGKILL');
  await stack?.stop();
});

/** `npm run report -- --month <month>` in a process group of its own, as a terminal runs it. */
const startReport = (month: string): ReportProcess => {
  const child = spawn(...typeScriptProcess('local/cli/report-cli.ts', ['--month', month], { polyfills: true }), {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, ...stack.settingsEnv, LOG_LEVEL: 'SILENT' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }>(
    (resolve) => child.once('close', (status, signal) => resolve({ status, signal, stderr, stdout })),
  );
  started.push({ child, ended });
  return { child, ended };
};

const signalGroup = (run: ReportProcess, signal: NodeJS.Signals): void => {
  process.kill(-(run.child.pid as number), signal);
};

/** The execution holding the month, once a run has taken it and not yet released it. */
const heldBy = async (month: string, run: ReportProcess): Promise<string> => {
  for (;;) {
    const lock = (
      await testDocumentClient().send(new GetCommand({ TableName: stack.tableNames.payments, Key: runLockKey(month) }))
    ).Item;
    if (lock && lock.releasedAt === undefined) return lock.holder as string;
    if (run.child.exitCode !== null) throw new Error(`The run ended before it was seen holding ${month}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** Enough users that a run lasts a while: each shard pages through its users one at a time. */
const seedMonth = async (month: string): Promise<void> => {
  await storePayments(
    Array.from({ length: 100 }, () => storedPayment({ userId: randomUUID(), timestamp: `${month}-06T10:00:00.000Z` })),
  );
};

const reportMachineArn = (): string => `arn:aws:states:local:000000000000:stateMachine:${MONTHLY_REPORT_WORKFLOW.name}`;

test('two npm run report of one month: the second is refused (exit 75, naming the running one) and writes nothing; the first completes', async () => {
  const month = freshMonth();
  await seedMonth(month);
  const first = startReport(month);
  const holder = await heldBy(month, first);
  // Frozen while it holds the month: alive and RUNNING for as long as the second run needs.
  signalGroup(first, 'SIGSTOP');

  const second = await startReport(month).ended;
  signalGroup(first, 'SIGCONT');
  const firstEnd = await first.ended;

  expect(second.status).toBe(75);
  expect(second.stderr).toContain(`ReportRunInProgress: Another report run of ${month} is in progress: ${holder}`);
  expect(second.stdout).toBe('');
  expect(firstEnd.status).toBe(0);
  expect(JSON.parse(firstEnd.stdout)).toMatchObject({ month, users: 100, reported: 100, failedShards: [] });
});

test('a SIGKILLed npm run report: its execution reads ABORTED through the stack API at once, and the next run completes the month', async () => {
  const month = freshMonth();
  await seedMonth(month);
  const killed = startReport(month);
  const holder = await heldBy(month, killed);

  signalGroup(killed, 'SIGKILL');
  expect((await killed.ended).signal).toBe('SIGKILL');
  // Nothing of the group left (under load, a killed process can take a moment to go) before its execution is read.
  await pollUntil(() => !processGroupAlive(killed.child.pid as number), {
    timeoutMs: 10_000,
    failure: () => 'a process of the killed npm run report was still alive 10 s after SIGKILL',
  });

  const described = await sfn.send(new DescribeExecutionCommand({ executionArn: holder }));
  expect(described.status).toBe('ABORTED');
  expect(described.error).toBe('ProcessEnded');
  const running = await sfn.send(
    new ListExecutionsCommand({ stateMachineArn: reportMachineArn(), statusFilter: 'RUNNING' }),
  );
  expect(running.executions?.map((execution) => execution.executionArn)).not.toContain(holder);

  const next = await startReport(month).ended;
  expect(next.stderr).toContain('SUCCEEDED');
  expect(next.status).toBe(0);
  expect(JSON.parse(next.stdout)).toMatchObject({ month, users: 100, reported: 100, failedShards: [] });
});

test('StopExecution through the stack API (as aws stepfunctions stop-execution) stops a run of npm run report: ABORTED, the process exits 1, and the month is free', async () => {
  const month = freshMonth();
  await seedMonth(month);
  const run = startReport(month);
  const holder = await heldBy(month, run);

  await sfn.send(new StopExecutionCommand({ executionArn: holder, error: 'Operator', cause: 'stopped by the test' }));

  const described = await sfn.send(new DescribeExecutionCommand({ executionArn: holder }));
  expect(described).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'stopped by the test' });
  const end = await run.ended;
  expect(end.status).toBe(1);
  expect(end.stderr).toContain(`${holder}: ABORTED`);
  const next = await startReport(month).ended;
  expect(next.status).toBe(0);
  expect(JSON.parse(next.stdout)).toMatchObject({ month, users: 100, reported: 100 });
});
