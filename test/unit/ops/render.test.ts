import { executionsTable, traceReport } from '#ops/render';

const started = new Date('2026-11-01T10:00:00.000Z');

describe('ops: rendering, alone', () => {
  test('the executions table: one aligned line per execution, "-" where a column has nothing', () => {
    const text = executionsTable([
      {
        executionArn: 'arn:aws:states:local:000000000000:execution:SubmitPayment:r-1',
        stateMachineArn: 'arn:aws:states:local:000000000000:stateMachine:SubmitPayment',
        workflow: 'submit',
        name: 'r-1',
        status: 'SUCCEEDED',
        startDate: started,
        stopDate: new Date(started.getTime() + 1500),
        paymentId: 'p-1',
        httpStatus: 409,
      },
    ]);
    const [header, line] = text.split('\n');
    expect(header).toMatch(/^STARTED\s+WORKFLOW\s+STATUS\s+HTTP\s+DURATION\s+PAYMENT\s+ERROR\s+EXECUTION$/);
    expect(line).toContain('submit');
    expect(line).toContain('409');
    expect(line).toContain('p-1');
    expect(line).toMatch(/SUCCEEDED\s+409\s+1.5 s\s+p-1\s+-\s+arn:/);
  });

  test('a trace of a payment never accepted says so, and that no report includes it', () => {
    const text = traceReport({ paymentId: 'p-2', attempts: [], reports: [] });
    expect(text).toContain('Payment p-2');
    expect(text).toContain('Submission attempts (0, oldest first):');
    expect(text).toContain('Stored payment:\n  none (never accepted)');
    expect(text).toContain('Monthly reports that include it:\n  none yet');
  });
});
