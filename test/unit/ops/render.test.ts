import { disputesReport, executionsTable, traceReport } from '#ops/render';
import type { ListedDispute } from '#ops/disputes';

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

  test('the disputes list: a WARNING line per open dispute past 30 days, then the table oldest first with ages', () => {
    const dispute = (disputeId: string, at: string, ageDays: number, overdue: boolean): ListedDispute => ({
      disputeId,
      userId: 'u-1',
      commitmentId: 'GBP#gym',
      month: '2026-09',
      paymentId: null,
      reason: 'paid-on-time',
      text: 'paid',
      state: 'open',
      filed: { at, by: 'u-1', clientId: 'local-user-app' },
      resolution: null,
      ageDays,
      overdue,
    });
    const text = disputesReport(
      [dispute('d-old', '2026-09-01T00:00:00.000Z', 31, true), dispute('d-new', '2026-10-01T00:00:00.000Z', 1, false)],
      false,
    );
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^WARNING: dispute d-old open 31 days, past the 30-day deadline/);
    expect(lines.filter((line) => line.startsWith('WARNING'))).toHaveLength(1);
    expect(lines[2]).toMatch(/^FILED\s+AGE\s+STATE\s+DISPUTE\s+USER\s+COMMITMENT\s+MONTH\s+PAYMENT\s+REASON$/);
    expect(lines[3]).toMatch(/31 d\s+open\s+d-old\s+u-1\s+GBP#gym\s+2026-09\s+-\s+paid-on-time$/);
    expect(lines[4]).toContain('d-new');
    expect(disputesReport([], false)).toBe('No open disputes.');
  });

  test('a reversed payment: its reversal after the stored fields, and the report that cites it marked not counted', () => {
    const stored = {
      id: 'p-3',
      userId: 'u-1',
      timestamp: '2026-10-05T09:30:00.000Z',
      description: 'Rent',
      currency: 'GBP',
      amount: '800.00',
      amountMinor: 80000,
      receivedAt: '2026-10-05T09:31:00.000Z',
      requestId: 'r-1',
      clientId: 'feed',
      submittedBy: 'feed',
      reversal: {
        paymentId: 'p-3',
        reason: 'returned-unpaid' as const,
        reversedOn: '2026-10-08',
        note: null,
        recordedAt: '2026-10-09T10:00:00.000Z',
        by: 'feed',
        clientId: 'feed',
        requestId: 'r-2',
      },
    };
    const text = traceReport({
      paymentId: 'p-3',
      attempts: [],
      stored,
      reports: [{ month: '2026-10', userId: 'u-1', commitment: 'Rent', streak: 0, reversed: true }],
    });
    expect(text).not.toContain('[object Object]');
    expect(text).toMatch(/Reversed by the bank[^\n]*\n[^\n]*FIELD\s+VALUE\n[\s\S]*reason\s+returned-unpaid/);
    expect(text).toMatch(/2026-10\s+u-1\s+Rent \(reversed: not counted\)\s+0/);
  });
});
