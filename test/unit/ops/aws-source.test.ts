import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { AwsSource } from '#ops/aws-source';
import { sinceOption } from '#ops/cli';
import { ExecutionLogs } from '#ops/execution-logs';
import { EXECUTION_ARN, EXECUTION_LOG_MESSAGES } from './fixtures/express-execution-log';

const REPORT_ARN = 'arn:aws:states:eu-west-2:123456789012:stateMachine:MonthlyReportWorkflowStateMachine9F8E-xyz';

/**
 * Step Functions double: one report state machine with two runs (newest first, as the API lists). A real
 * client whose `send` is replaced, because the SDK's paginators accept only an SFNClient.
 */
const stepFunctions = (): SFNClient =>
  Object.assign(new SFNClient({ region: 'eu-west-2' }), {
    send: jest.fn(async (command: unknown) => {
      if (command instanceof ListStateMachinesCommand) {
        return {
          stateMachines: [
            { name: 'MonthlyReportWorkflowStateMachine9F8E-xyz', stateMachineArn: REPORT_ARN, type: 'STANDARD' },
          ],
        };
      }
      if (command instanceof ListExecutionsCommand) {
        return {
          executions: [
            {
              executionArn: `${REPORT_ARN}:new`,
              stateMachineArn: REPORT_ARN,
              name: 'new',
              status: 'FAILED',
              startDate: new Date('2026-11-01T02:00:00Z'),
            },
            {
              executionArn: `${REPORT_ARN}:old`,
              stateMachineArn: REPORT_ARN,
              name: 'old',
              status: 'SUCCEEDED',
              startDate: new Date('2026-10-01T02:00:00Z'),
            },
          ],
        };
      }
      throw new Error('unexpected command');
    }),
  });

const logs = () =>
  new ExecutionLogs(
    {
      send: jest.fn(async (command: { constructor: { name: string } }) =>
        command.constructor.name === 'StartQueryCommand'
          ? { queryId: 'q' }
          : {
              status: 'Complete',
              results: EXECUTION_LOG_MESSAGES.filter((message) => /"type":"Execution/.test(message)).map((value) => [
                { field: '@message', value },
              ]),
            },
      ),
    } as unknown as CloudWatchLogsClient,
    { logGroupNames: ['g'], pollMs: 0 },
  );

describe('the ops command in AWS', () => {
  test('report runs come from the Step Functions API (back to --since), submissions from the logs, merged newest first', async () => {
    const source = new AwsSource(stepFunctions(), logs());
    const listed = await source.executions({ since: new Date('2026-10-15T00:00:00Z') });
    expect(listed.map((listing) => [listing.workflow, listing.executionArn])).toEqual([
      ['submit', EXECUTION_ARN],
      ['report', `${REPORT_ARN}:new`],
    ]);
  });

  test('by payment or for submissions only, the Step Functions API is not asked', async () => {
    const client = stepFunctions();
    const source = new AwsSource(client, logs());
    expect(await source.executions({ workflow: 'submit', since: new Date(0) })).toHaveLength(1);
    expect(
      await source.executions({ paymentId: '6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5', since: new Date(0) }),
    ).toHaveLength(1);
    expect(client.send).not.toHaveBeenCalled();
  });
});

describe('--since', () => {
  test('a duration before now, or a date; anything else is refused', () => {
    const now = new Date('2026-11-01T12:00:00Z');
    expect(sinceOption('1h', now)).toEqual(new Date('2026-11-01T11:00:00Z'));
    expect(sinceOption('30m', now)).toEqual(new Date('2026-11-01T11:30:00Z'));
    expect(sinceOption('7d', now)).toEqual(new Date('2026-10-25T12:00:00Z'));
    expect(sinceOption('2026-10-01T00:00:00Z', now)).toEqual(new Date('2026-10-01T00:00:00Z'));
    expect(() => sinceOption('yesterday', now)).toThrow('--since must be');
  });
});
