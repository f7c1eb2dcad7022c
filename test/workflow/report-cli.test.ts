import { MONTH_SHARDS } from '#contract/tables';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { ENV } from '#contract/environment';
import { ExecutionStore, executionsDir } from '#local/step-functions/execution-store';
import { TEST_TABLE_PREFIX } from '../support/global-setup';
import { reportsRepository, storePayments, storedPayment } from '../support/reports';
import { freshMonth } from '../support/fresh-months';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { scratchDir } from '../support/scratch-dir';
import { typeScriptProcess } from '#devtools/typescript-process';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run report -- <args>` without npm's own output: the command behind the script, against the run's DynamoDB Local. */
const reportCli = (args: string[], dataDir = scratchDir('report-cli-')): Promise<Run> =>
  new Promise((resolve) => {
    execFile(
      ...typeScriptProcess('local/cli/report-cli.ts', args, { polyfills: true }),
      {
        cwd: REPOSITORY_ROOT,
        env: {
          ...process.env,
          DYNAMODB_ENDPOINT: process.env[ENV.dynamodbEndpoint],
          TABLE_PREFIX: TEST_TABLE_PREFIX,
          LOG_LEVEL: 'SILENT',
          DATA_DIR: dataDir,
        },
      },
      (error, stdout, stderr) => resolve({ status: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });

describe('npm run report', () => {
  test('runs the month against the local DynamoDB, writes the reports and prints the summary', async () => {
    const month = freshMonth();
    const users = [randomUUID(), randomUUID()];
    await storePayments(users.map((userId) => storedPayment({ userId, timestamp: `${month}-02T10:00:00.000Z` })));

    const dataDir = scratchDir('report-cli-');

    const run = await reportCli(['--month', month], dataDir);

    expect(run.stderr).toContain('SUCCEEDED');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      month,
      users: 2,
      reported: 2,
      payments: 2,
      commitments: 2,
      failures: [],
    });
    expect(await reportsRepository().getReport(users[0] as string, month)).toMatchObject({ month, payments: 1 });
    // Recorded where a stack on the same data dir lists its executions.
    const executionArn = /(arn:aws:states:\S+): SUCCEEDED/.exec(run.stderr)?.[1] ?? 'no execution ARN printed';
    const store = await ExecutionStore.open(executionsDir(dataDir));
    const listed = await store.list({ status: 'SUCCEEDED' });
    expect(listed.filter((record) => record.executionArn === executionArn)).toEqual([
      expect.objectContaining({ name: expect.stringContaining(`report-${month}-`) }),
    ]);
    // Each shard's child execution of the Distributed Map is recorded too, under its parent (as AWS lists a
    // map run's children), not among the top-level executions.
    expect(listed.filter((record) => record.stateMachineArn.includes('/'))).toEqual([]);
    // Two map runs: the report shards, then the furnishing parts (decision 0023), one child per shard each.
    const children = await store.list({ parentExecutionArn: executionArn });
    const labels = children.map((child) => child.stateMachineArn.replace(/^.*:stateMachine:/, ''));
    expect(labels.filter((label) => label === 'MonthlyReport/ReportShard')).toHaveLength(MONTH_SHARDS);
    expect(labels.filter((label) => label === 'MonthlyReport/FurnishShard')).toHaveLength(MONTH_SHARDS);
    expect(children).toHaveLength(2 * MONTH_SHARDS);
    expect((await store.get(executionArn))?.events.length).toBeGreaterThan(0);
  });

  // 9999-12: a month, but no run covers it (it also reads the month after its own), so refused here, not failed later.
  test.each(['2026-13', '9999-12'])('refuses --month %s with the usage', async (month) => {
    const run = await reportCli(['--month', month]);

    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`got "${month}"`);
    expect(run.stderr).toContain('Usage: npm run report');
  });
});
