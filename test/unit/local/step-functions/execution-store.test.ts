import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { paymentIdOfBody, paymentIdsOf, submissionIds } from '#devtools/submission-ids';
import { PROCESS_ENDED, ExecutionStore } from '#local/step-functions/execution-store';
import type { ExecutionRecord } from '#local/step-functions/execution-store';
import { scratchDir } from '../../../support/scratch-dir';

const SUBMIT = 'arn:aws:states:local:000000000000:stateMachine:SubmitPayment';
const REPORT = 'arn:aws:states:local:000000000000:stateMachine:MonthlyReport';

/** Field 22 of /proc/<pid>/stat, as the store records its own process's. */
const processStartTicks = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
};

const freshDir = (): string => scratchDir('executions-');

/** A submission's record as the runner saves it; the body is given raw, as the gateway receives it. */
const submission = (body: string, startDate: string, overrides: Partial<ExecutionRecord> = {}): ExecutionRecord => {
  const requestId = randomUUID();
  return {
    executionArn: `arn:aws:states:local:000000000000:express:SubmitPayment:${requestId}:${randomUUID()}`,
    stateMachineArn: SUBMIT,
    name: requestId,
    status: 'SUCCEEDED',
    startDate,
    stopDate: startDate,
    input: { requestId, receivedAt: startDate, body, caller: { sub: 'u', clientId: 'c', scope: '' } },
    output: { statusCode: 201 },
    events: [{ type: 'ExecutionStarted', timestamp: Date.parse(startDate), input: {} } as never],
    ...overrides,
  };
};

const reportRun = (startDate: string, events = 1): ExecutionRecord => {
  const name = `report-2026-10-${randomUUID()}`;
  return {
    executionArn: `arn:aws:states:local:000000000000:execution:MonthlyReport:${name}`,
    stateMachineArn: REPORT,
    name,
    status: 'SUCCEEDED',
    startDate,
    stopDate: startDate,
    input: { month: '2026-10' },
    output: {},
    events: Array.from(
      { length: events },
      (_, index) =>
        ({
          type: 'StateEntered',
          timestamp: index,
          state: { name: 'BuildReport', type: 'Task', input: { userId: randomUUID() } },
        }) as never,
    ),
  };
};

describe('paymentIdOfBody', () => {
  test('reads the id of a JSON body, and of a body that is not JSON but names one', () => {
    expect(paymentIdOfBody('{"id":"p-1","amount":"1"}')).toBe('p-1');
    expect(paymentIdOfBody('{"id": "p-2", "amount": }')).toBe('p-2');
    expect(paymentIdOfBody('not json')).toBeUndefined();
    expect(paymentIdOfBody('{"id": 5}')).toBeUndefined();
    expect(paymentIdOfBody('[1]')).toBeUndefined();
  });
});

describe('ExecutionStore', () => {
  test('the last save of an execution wins; list is newest first and filters by workflow, status, payment, request and time', async () => {
    const store = await ExecutionStore.open(freshDir(), { describe: submissionIds, index: paymentIdsOf });
    const paymentId = randomUUID();
    const accepted = submission(JSON.stringify({ id: paymentId }), '2026-11-01T10:00:02.000Z');
    const rejected = submission(`{"id":"${paymentId}", broken`, '2026-11-01T10:00:01.000Z', {
      output: { statusCode: 400 },
    });
    const other = submission(JSON.stringify({ id: randomUUID() }), '2026-11-01T10:00:03.000Z');
    const report = reportRun('2026-11-01T10:00:00.000Z');
    await store.save({ ...accepted, status: 'RUNNING', stopDate: undefined });
    await Promise.all([
      store.save(accepted),
      store.save(rejected),
      store.save(other),
      store.save({ ...report, status: 'FAILED', error: 'States.TaskFailed' }),
    ]);

    expect((await store.list()).map((summary) => summary.executionArn)).toEqual([
      other.executionArn,
      accepted.executionArn,
      rejected.executionArn,
      report.executionArn,
    ]);
    expect((await store.list({ indexKey: paymentId })).map((summary) => summary.executionArn)).toEqual([
      accepted.executionArn,
      rejected.executionArn,
    ]);
    expect(await store.list({ requestId: accepted.name })).toEqual([
      expect.objectContaining({
        executionArn: accepted.executionArn,
        status: 'SUCCEEDED',
        paymentId,
        requestId: accepted.name,
      }),
    ]);
    expect(await store.list({ stateMachineArn: REPORT })).toEqual([
      expect.objectContaining({ status: 'FAILED', error: 'States.TaskFailed' }),
    ]);
    expect(await store.list({ status: 'FAILED' })).toHaveLength(1);
    expect((await store.list({ since: new Date('2026-11-01T10:00:02.000Z') })).map((summary) => summary.name)).toEqual([
      other.name,
      accepted.name,
    ]);
    expect(await store.get(accepted.executionArn)).toEqual(accepted);
    expect(await store.get('arn:aws:states:local:000000000000:execution:MonthlyReport:nothing')).toBeUndefined();
  });

  test("a summary carries the ids the caller's describe reads from the input, and none without one", async () => {
    const dir = freshDir();
    const paymentId = randomUUID();
    const saved = submission(JSON.stringify({ id: paymentId }), '2026-11-01T10:00:01.000Z');
    const plain = await ExecutionStore.open(dir);
    await plain.save(saved);
    const [summary] = await plain.list();
    expect(summary).toMatchObject({ executionArn: saved.executionArn });
    expect(summary).not.toHaveProperty('paymentId');
    expect(summary).not.toHaveProperty('requestId');

    const described = await ExecutionStore.open(freshDir(), { describe: () => ({ requestId: 'from-the-caller' }) });
    await described.save(saved);
    expect(await described.list()).toEqual([expect.objectContaining({ requestId: 'from-the-caller' })]);
    expect(await described.list()).toEqual([expect.not.objectContaining({ paymentId })]);
  });

  test("lists by the caller's index, whatever its keys, and refuses an index key when opened without one", async () => {
    const dir = freshDir();
    const byWorkflow = await ExecutionStore.open(dir, { index: (summary) => [summary.stateMachineArn] });
    const report = reportRun('2026-11-01T10:00:00.000Z');
    const payment = submission(JSON.stringify({ id: randomUUID() }), '2026-11-01T10:00:01.000Z');
    await Promise.all([byWorkflow.save(report), byWorkflow.save(payment)]);
    expect(await byWorkflow.list({ indexKey: REPORT })).toEqual([
      expect.objectContaining({ executionArn: report.executionArn }),
    ]);
    expect(await byWorkflow.list({ indexKey: payment.stateMachineArn })).toEqual([
      expect.objectContaining({ executionArn: payment.executionArn }),
    ]);
    await byWorkflow.flush();
    await expect((await ExecutionStore.open(dir)).list({ indexKey: REPORT })).rejects.toThrow('without an index');
  });

  test('lists refusals by their HTTP answer (a refused submission SUCCEEDS), also after a reopen', async () => {
    const dir = freshDir();
    const store = await ExecutionStore.open(dir);
    const answered = (statusCode: number, second: number) =>
      submission(JSON.stringify({ id: randomUUID() }), `2026-11-01T10:00:0${second}.000Z`, {
        output: { statusCode },
      });
    const [created, invalid, forbidden, conflict] = [
      answered(201, 1),
      answered(400, 2),
      answered(403, 3),
      answered(409, 4),
    ];
    const failed = submission('{}', '2026-11-01T10:00:05.000Z', { status: 'FAILED', output: undefined, error: 'Boom' });
    const report = reportRun('2026-11-01T10:00:06.000Z');
    await Promise.all([created, invalid, forbidden, conflict, failed, report].map((record) => store.save(record)));
    await store.flush();

    for (const listing of [store, await ExecutionStore.open(dir)]) {
      const names = async (answer: string) => (await listing.list({ answer })).map((summary) => summary.name);
      expect(await names('4xx')).toEqual([conflict.name, forbidden.name, invalid.name]);
      expect(await names('409')).toEqual([conflict.name]);
      expect(await names('5xx')).toEqual([failed.name]);
      expect(await names('2xx')).toEqual([created.name]);
      expect((await listing.list()).map((summary) => summary.httpStatus)).toEqual([undefined, 500, 409, 403, 400, 201]);
    }
  });

  test("a Distributed Map's child executions are listed under their parent, not among the top-level ones", async () => {
    const store = await ExecutionStore.open(freshDir());
    const parent = reportRun('2026-11-01T10:00:00.000Z');
    const children = [1, 2, 3].map((index) => ({
      ...reportRun(`2026-11-01T10:00:0${index}.000Z`),
      stateMachineArn: `${REPORT}/ReportShard`,
      name: `${parent.name}-${index}`,
      parentExecutionArn: parent.executionArn,
    }));
    const submitted = submission('{}', '2026-11-01T10:00:09.000Z');
    await Promise.all([parent, ...children, submitted].map((record) => store.save(record)));

    expect((await store.list()).map((summary) => summary.executionArn)).toEqual([
      submitted.executionArn,
      parent.executionArn,
    ]);
    expect(await store.list({ status: 'SUCCEEDED', since: new Date('2026-11-01T10:00:01.000Z') })).toEqual([
      expect.objectContaining({ executionArn: submitted.executionArn }),
    ]);
    expect((await store.list({ parentExecutionArn: parent.executionArn })).map((summary) => summary.name)).toEqual(
      children.map((child) => child.name).reverse(),
    );
  });

  test('a store opened again on the same directory has every execution, with its history', async () => {
    const dir = freshDir();
    const first = await ExecutionStore.open(dir, { describe: submissionIds, index: paymentIdsOf });
    const paymentId = randomUUID();
    const record = submission(JSON.stringify({ id: paymentId }), new Date().toISOString());
    const large = reportRun(new Date().toISOString(), 20_000);
    await first.save(record);
    await first.save(large);
    await first.flush();

    const reopened = await ExecutionStore.open(dir, { describe: submissionIds, index: paymentIdsOf });

    expect(await reopened.list({ indexKey: paymentId })).toEqual([
      expect.objectContaining({ executionArn: record.executionArn, status: 'SUCCEEDED' }),
    ]);
    expect(await reopened.get(record.executionArn)).toEqual(record);
    const history = await reopened.get(large.executionArn);
    expect(history?.events).toHaveLength(20_000);
    expect(history?.events[19_999]).toEqual(large.events[19_999]);
    // The index holds summaries only: a big history does not make listing read it.
    expect(readFileSync(path.join(dir, 'index.jsonl'), 'utf8').length).toBeLessThan(2_000);
  });

  test('an execution the previous stack left running is listed as aborted (a line of an older version, naming no process)', async () => {
    const dir = freshDir();
    const record = reportRun(new Date().toISOString());
    const { events: _events, output: _output, stopDate: _stopDate, ...summary } = record;
    appendFileSync(path.join(dir, 'index.jsonl'), `${JSON.stringify({ ...summary, status: 'RUNNING' })}\n`);

    const reopened = await ExecutionStore.open(dir);

    expect(await reopened.list()).toEqual([
      expect.objectContaining({ executionArn: record.executionArn, status: 'ABORTED' }),
    ]);
    expect(await reopened.get(record.executionArn)).toMatchObject({ status: 'ABORTED', events: [] });
  });

  test('a RUNNING execution of another process stays RUNNING while that process lives; once it is gone (SIGKILL) it reads ABORTED (ProcessEnded), in the index too', async () => {
    const dir = freshDir();
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    const owner = { pid: other.pid as number, startTicks: processStartTicks(other.pid as number) };
    const record = reportRun(new Date().toISOString());
    const { events: _events, output: _output, stopDate: _stopDate, ...summary } = record;
    appendFileSync(path.join(dir, 'index.jsonl'), `${JSON.stringify({ ...summary, status: 'RUNNING', owner })}\n`);
    const stack = await ExecutionStore.open(dir);
    expect(await stack.get(record.executionArn)).toMatchObject({ status: 'RUNNING' });
    expect(await stack.list({ status: 'RUNNING' })).toHaveLength(1);

    other.kill('SIGKILL');
    await once(other, 'exit');

    expect(await stack.get(record.executionArn)).toMatchObject({ status: 'ABORTED', error: PROCESS_ENDED });
    expect(await stack.list({ status: 'RUNNING' })).toEqual([]);
    await stack.flush();
    const lines = readFileSync(path.join(dir, 'index.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ executionArn: record.executionArn, status: 'ABORTED' });
  });

  test('a RUNNING execution of this very process stays RUNNING for another store of it (npm run report and the stack share the directory)', async () => {
    const dir = freshDir();
    const runner = await ExecutionStore.open(dir, { compact: false });
    const record = reportRun(new Date().toISOString());
    await runner.save({ ...record, status: 'RUNNING', stopDate: undefined });
    await runner.flush();

    expect(await (await ExecutionStore.open(dir)).get(record.executionArn)).toMatchObject({ status: 'RUNNING' });
  });

  test('executions another process records in the same directory are listed, and a torn line is skipped', async () => {
    const dir = freshDir();
    const stack = await ExecutionStore.open(dir);
    const other = await ExecutionStore.open(dir);
    const own = submission('{}', '2026-11-01T10:00:00.000Z');
    const theirs = reportRun('2026-11-01T11:00:00.000Z');
    await stack.save(own);
    await other.save(theirs);
    await other.flush();
    appendFileSync(path.join(dir, 'index.jsonl'), '{"executionArn":"torn\n');

    expect((await stack.list()).map((summary) => summary.executionArn)).toEqual([
      theirs.executionArn,
      own.executionArn,
    ]);
    expect(await stack.get(theirs.executionArn)).toEqual(theirs);
  });

  test('an index of many saves is compacted on open to one line per execution, unless a second writer opens it', async () => {
    const dir = freshDir();
    const store = await ExecutionStore.open(dir);
    const record = reportRun(new Date().toISOString());
    for (let save = 0; save < 10; save += 1)
      await store.save({ ...record, status: save === 9 ? 'SUCCEEDED' : 'RUNNING' });
    await store.flush();

    await ExecutionStore.open(dir, { compact: false });
    expect(readFileSync(path.join(dir, 'index.jsonl'), 'utf8').trim().split('\n')).toHaveLength(10);
    const reopened = await ExecutionStore.open(dir);

    expect(readFileSync(path.join(dir, 'index.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(await reopened.list()).toEqual([expect.objectContaining({ status: 'SUCCEEDED' })]);
  });
});
