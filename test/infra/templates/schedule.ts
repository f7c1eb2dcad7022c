import { REPORT_SCHEDULE_RETRY } from '../../../infra/constructs/report-schedule';
import { STAGES, logicalId, onlyResource, resourcesOf, synthesized } from '../support/synth';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

describe.each(STAGES)('the monthly report schedule (stage %s)', (stage) => {
  const synth = () => synthesized(stage);
  const schedule = () => onlyResource(synth().template, 'AWS::Scheduler::Schedule').Properties;
  const target = () => schedule().Target as Record<string, unknown>;
  const reportMachineId = () => logicalId(synth(), synth().stack.reportWorkflow.stateMachine);
  const queueId = () => logicalId(synth(), synth().stack.reportSchedule.deadLetterQueue);
  const roleId = () => logicalId(synth(), synth().stack.reportSchedule.role);

  test('fires at 02:00 UTC on the 1st of every month, enabled, at the exact time', () => {
    expect(schedule()).toMatchObject({
      ScheduleExpression: 'cron(0 2 1 * ? *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
  });

  test('starts the monthly-report state machine with the scheduled time, from which StartReportRun takes the month before', () => {
    expect(target().Arn).toEqual({ Ref: reportMachineId() });
    expect(JSON.parse(target().Input as string)).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
  });

  test('a start that keeps failing goes to an encrypted, TLS-only dead-letter queue after the retry policy', () => {
    expect(target().DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [queueId(), 'Arn'] } });
    expect(target().RetryPolicy).toEqual({
      MaximumRetryAttempts: REPORT_SCHEDULE_RETRY.retryAttempts,
      MaximumEventAgeInSeconds: REPORT_SCHEDULE_RETRY.maxEventAge.toSeconds(),
    });
    expect(REPORT_SCHEDULE_RETRY.retryAttempts).toBeGreaterThan(0);
    const queue = resourcesOf(synth().template, 'AWS::SQS::Queue')[queueId()]?.Properties;
    expect(queue).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    const queuePolicy = Object.values(resourcesOf(synth().template, 'AWS::SQS::QueuePolicy')).find((policy) =>
      JSON.stringify(policy.Properties.Queues).includes(`"${queueId()}"`),
    );
    expect(queuePolicy?.Properties.PolicyDocument).toMatchObject({
      Statement: expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ]),
    });
  });

  test('its role: assumed by EventBridge Scheduler of this account only; may start that one state machine and dead-letter to that one queue', () => {
    expect(target().RoleArn).toEqual({ 'Fn::GetAtt': [roleId(), 'Arn'] });
    const role = resourcesOf(synth().template, 'AWS::IAM::Role')[roleId()]?.Properties;
    expect(role?.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
    expect(role?.ManagedPolicyArns).toBeUndefined();
    const statements = Object.values(resourcesOf(synth().template, 'AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId()}"`))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    expect(statements).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: reportMachineId() } },
        { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queueId(), 'Arn'] } },
      ]),
    );
    expect(statements).toHaveLength(2);
  });
});
