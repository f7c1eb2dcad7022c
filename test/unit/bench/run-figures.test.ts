import type { ExecutionRecord } from '#local/step-functions/execution-store';
import { awsHistoryLength, executionLedger, invocationLedger } from '../../../bench/run-figures';

const PARENT = 'arn:aws:states:local:000000000000:execution:MonthlyReport:run';

const ended = (
  name: string,
  parentExecutionArn: string | undefined,
  seconds: number,
  status: ExecutionRecord['status'] = 'SUCCEEDED',
): ExecutionRecord => ({
  executionArn: parentExecutionArn
    ? `arn:aws:states:local:000000000000:execution:MonthlyReport/ReportShard:${name}`
    : PARENT,
  stateMachineArn: 'arn:aws:states:local:000000000000:stateMachine:MonthlyReport',
  name,
  status,
  startDate: '2026-11-01T02:00:00.000Z',
  stopDate: new Date(Date.parse('2026-11-01T02:00:00.000Z') + seconds * 1000).toISOString(),
  input: {},
  ...(parentExecutionArn ? { parentExecutionArn } : {}),
  events: [
    { type: 'ExecutionStarted', timestamp: 1000, input: {} },
    { type: 'StateEntered', timestamp: 1001, state: { name: 'BuildReports', type: 'Task', input: {} } },
    { type: 'StateExited', timestamp: 1002, state: { name: 'BuildReports', type: 'Task', input: {}, output: {} } },
    { type: 'ExecutionSucceeded', timestamp: 1003, output: {} },
  ] as never,
});

describe('the report benchmark run figures', () => {
  test("an execution's AWS history: a Lambda task is entered, scheduled, started, succeeded and exited", () => {
    expect(awsHistoryLength(ended('run', undefined, 1))).toBe(7);
  });

  test('the parent and its children are told apart by parentExecutionArn; max and median over the children', () => {
    const lengths = new Map([
      ['run', 10],
      ['run-0', 30],
      ['run-1', 50],
      ['run-2', 40],
      ['other-0', 999],
    ]);
    const ledger = executionLedger((record) => lengths.get(record.name)!);
    ledger.record(ended('run-0', PARENT, 2));
    ledger.record(ended('run-1', PARENT, 6, 'FAILED'));
    ledger.record(ended('run-2', PARENT, 4));
    ledger.record(ended('other-0', 'arn:aws:states:local:000000000000:execution:MonthlyReport:other', 9));
    ledger.record(ended('run', undefined, 7));
    expect(ledger.figures(PARENT)).toEqual({
      parentEvents: 10,
      parentStatus: 'SUCCEEDED',
      children: 3,
      childrenFailed: 1,
      childEventsMax: 50,
      childEventsMedian: 40,
      childSecondsMax: 6,
      childSecondsMedian: 4,
    });
  });

  test('invocations are counted and timed by function, failures apart', () => {
    const ledger = invocationLedger();
    ledger.book('BuildReports', 100);
    ledger.book('BuildReports', 300, 'DependencyUnavailable');
    ledger.book('WriteSummary', 5);
    expect(ledger.total()).toBe(3);
    expect(ledger.figures()).toEqual([
      {
        name: 'BuildReports',
        invocations: 2,
        failed: 1,
        errors: { DependencyUnavailable: 1 },
        totalMs: 400,
        p50Ms: 100,
        p95Ms: 300,
        maxMs: 300,
      },
      { name: 'WriteSummary', invocations: 1, failed: 0, errors: {}, totalMs: 5, p50Ms: 5, p95Ms: 5, maxMs: 5 },
    ]);
  });
});
