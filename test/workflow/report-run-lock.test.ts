import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '#contract/environment';
import { MONTHLY_REPORT_WORKFLOW } from '#contract/workflows';
import { runLockKey } from '#adapters/table-keys';
import { freePort } from '#local/free-port';
import type { LambdaHandler } from '#local/lambda/lambda-runtime';
import { startSfnApi } from '#local/step-functions/api/server';
import { ExecutionStore, type ExecutionRecord } from '#local/step-functions/execution-store';
import { testDocumentClient, testTableNames } from '../support/dynamodb';
import { reportsRepository, storePayments, storedPayment } from '../support/reports';
import { freshMonth } from '../support/fresh-months';
import { testWorkflow } from '#devtools/submissions';
import { statesEntered } from '../support/submissions';
import { scratchDir } from '../support/scratch-dir';

/**
 * One run of a month at a time, with the real ASL and handlers on DynamoDB Local, and the local
 * Step Functions API serving this workflow's executions (StartReportRun asks it whether the run
 * holding a month still runs, as it asks Step Functions in AWS).
 */
describe('monthly-report run lock (real ASL, real handlers, DynamoDB Local, the local Step Functions API)', () => {
  let held: Promise<void> = Promise.resolve();
  let release: () => void = () => undefined;
  let rebuildsStarted = 0;
  const hold = (): void => {
    rebuildsStarted = 0;
    held = new Promise<void>((resolve) => (release = resolve));
  };
  let workflow: ReturnType<typeof testWorkflow>;
  let api: Awaited<ReturnType<typeof startSfnApi>>;

  beforeAll(async () => {
    const store = await ExecutionStore.open(path.join(scratchDir('run-lock-'), 'executions'));
    // A run is held in its shards (after it took the month) until the test lets it go on.
    workflow = testWorkflow(
      MONTHLY_REPORT_WORKFLOW,
      {
        RebuildLateReports:
          (handler: LambdaHandler): LambdaHandler =>
          async (event, context) => ((rebuildsStarted += 1), await held, handler(event, context)),
      },
      { store },
    );
    api = await startSfnApi({
      port: await freePort(),
      host: '127.0.0.1',
      workflows: [workflow],
      executions: store,
      startedAt: new Date(),
    });
    process.env[ENV.sfnEndpoint] = api.url;
  });
  afterAll(async () => {
    release();
    await api.close();
  });

  const start = (month: string) => workflow.start(`report-${randomUUID()}`, { month });
  const untilHolding = async (): Promise<void> => {
    while (rebuildsStarted === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  const lockOf = async (month: string) =>
    (await testDocumentClient().send(new GetCommand({ TableName: testTableNames().payments, Key: runLockKey(month) })))
      .Item;
  const refusal = (record: ExecutionRecord): string =>
    (JSON.parse(record.cause ?? '{}') as { errorMessage?: string }).errorMessage ?? '';

  test('a second run while the first runs is refused at StartReportRun with ReportRunInProgress naming the first; writes nothing; the first completes, and then the month is free', async () => {
    const month = freshMonth();
    const userId = randomUUID();
    await storePayments([storedPayment({ userId, timestamp: `${month}-03T10:00:00.000Z` })]);
    hold();
    const first = start(month);
    await untilHolding();

    const second = await start(month).done;

    expect(second.status).toBe('FAILED');
    expect(second.error).toBe('ReportRunInProgress');
    expect(refusal(second)).toContain(`Another report run of ${month} is in progress: ${first.executionArn}`);
    expect(statesEntered(second)).toEqual(['StartReportRun']);
    expect(await reportsRepository().getReport(userId, month)).toBeUndefined();

    release();
    const firstRun = await first.done;
    expect(firstRun.status).toBe('SUCCEEDED');
    expect(await lockOf(month)).toMatchObject({ holder: first.executionArn, releasedAt: expect.any(String) });
    const third = await start(month).done;
    expect(third.status).toBe('SUCCEEDED');
    expect(await reportsRepository().getReport(userId, month)).toMatchObject({ month, payments: 1 });
  });

  test('two runs started at the same instant: exactly one runs the month, the other is refused before any write', async () => {
    const month = freshMonth();
    await storePayments([storedPayment({ userId: randomUUID(), timestamp: `${month}-04T10:00:00.000Z` })]);
    held = Promise.resolve();

    const runs = await Promise.all([start(month).done, start(month).done]);

    expect(runs.map((run) => run.status).sort()).toEqual(['FAILED', 'SUCCEEDED']);
    const refused = runs.find((run) => run.status === 'FAILED') as ExecutionRecord;
    const ran = runs.find((run) => run.status === 'SUCCEEDED') as ExecutionRecord;
    expect(refused.error).toBe('ReportRunInProgress');
    expect(refusal(refused)).toContain(ran.executionArn);
    expect(statesEntered(refused)).toEqual(['StartReportRun']);
  });

  test('a run stopped while it held the month (ABORTED: no step of it runs again) does not block the next run: its lock is taken over at once', async () => {
    const month = freshMonth();
    const userId = randomUUID();
    await storePayments([storedPayment({ userId, timestamp: `${month}-05T10:00:00.000Z` })]);
    hold();
    const stopped = start(month);
    await untilHolding();
    expect((await start(month).done).error).toBe('ReportRunInProgress');

    const aborted = await workflow.stop(stopped.executionArn, { error: 'Operator', cause: 'stopped by the test' });
    release();
    expect(aborted?.status).toBe('ABORTED');
    expect(await lockOf(month)).toMatchObject({ holder: stopped.executionArn });
    expect((await lockOf(month))?.releasedAt).toBeUndefined();

    const next = start(month);
    const record = await next.done;
    expect(record.status).toBe('SUCCEEDED');
    expect(await lockOf(month)).toMatchObject({ holder: next.executionArn, releasedAt: expect.any(String) });
    expect(await reportsRepository().getReport(userId, month)).toMatchObject({ month, payments: 1 });
  });
});
