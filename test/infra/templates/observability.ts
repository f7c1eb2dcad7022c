import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OPERATIONS_FUNCTIONS, READ_API_FUNCTIONS, REPORT_FUNCTIONS, SUBMISSION_FUNCTIONS } from '#contract/functions';
import { TABLES } from '#contract/tables';
import { RUN_SUMMARY_LOG } from '../../../infra/constructs/observability';
import { REPOSITORY_ROOT, STAGES, logicalId, onlyResource, resourcesOf, synthesized } from '../support/synth';

describe.each(STAGES)('alarms, dashboard and outputs (stage %s)', (stage) => {
  const synth = () => synthesized(stage);
  const alarms = () => Object.entries(resourcesOf(synth().template, 'AWS::CloudWatch::Alarm'));
  const topicRef = () => ({ Ref: logicalId(synth(), synth().stack.observability.topic) });
  const alarmNamed = (id: string) => {
    const construct = synth().stack.observability.node.findChild(id);
    const entry = alarms().find(([logical]) => logical === logicalId(synth(), construct as never));
    if (!entry) throw new Error(`No alarm ${id}`);
    return entry[1].Properties;
  };
  const metricNames = (properties: Record<string, unknown>): string[] =>
    properties.MetricName
      ? [properties.MetricName as string]
      : ((properties.Metrics as Array<{ MetricStat?: { Metric: { MetricName: string } } }>) ?? []).flatMap((metric) =>
          metric.MetricStat ? [metric.MetricStat.Metric.MetricName] : [],
        );

  test('every alarm notifies the SNS topic, when raised and when cleared', () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const [, alarm] of alarms()) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef()]);
      expect(alarm.Properties.OKActions).toEqual([topicRef()]);
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    }
  });

  test('the topic is KMS-encrypted and refuses plain HTTP', () => {
    const topic = onlyResource(synth().template, 'AWS::SNS::Topic').Properties;
    expect(topic.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
    const policy = JSON.stringify(onlyResource(synth().template, 'AWS::SNS::TopicPolicy').Properties.PolicyDocument);
    expect(policy).toContain('aws:SecureTransport');
  });

  test('submit-payment workflow failures: failed, timed-out and aborted executions; and start throttling', () => {
    expect(metricNames(alarmNamed('WorkflowFailures')).sort()).toEqual([
      'ExecutionsAborted',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
    ]);
    expect(metricNames(alarmNamed('WorkflowThrottled'))).toEqual(['ExecutionThrottled']);
  });

  test("monthly report runs: failed, timed-out and aborted runs of that state machine; the schedule's dead letters", () => {
    const runs = alarmNamed('ReportRunFailures');
    expect(metricNames(runs).sort()).toEqual(['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut']);
    const reportMachine = { Ref: logicalId(synth(), synth().stack.reportWorkflow.stateMachine) };
    for (const metric of (runs.Metrics as Array<{ MetricStat?: { Metric: { Dimensions: unknown } } }>).filter(
      (m) => m.MetricStat,
    )) {
      expect(metric.MetricStat?.Metric.Dimensions).toEqual([{ Name: 'StateMachineArn', Value: reportMachine }]);
    }
    expect(runs).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
    });
    const deadLetters = alarmNamed('ReportScheduleDeadLetters');
    expect(deadLetters).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [logicalId(synth(), synth().stack.reportSchedule.deadLetterQueue), 'QueueName'] },
        },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  test('monthly report runs that end SUCCEEDED but incomplete: a run summary counting failed users or failed shards', () => {
    const alarm = alarmNamed('ReportRunIncomplete');
    const namespace = `PaymentsTracker/${stage}`;
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
    });
    expect(alarm.Metrics).toEqual([
      expect.objectContaining({
        MetricStat: { Metric: { Namespace: namespace, MetricName: 'IncompleteReportRuns' }, Period: 3600, Stat: 'Sum' },
        ReturnData: true,
      }),
    ]);
    // Fed by one metric filter, on WriteSummary's log group only.
    const writeSummary = synth().stack.reportFunctions.find((f) => f.definition.name === 'WriteSummary');
    const filters = Object.values(resourcesOf(synth().template, 'AWS::Logs::MetricFilter'))
      .map((filter) => filter.Properties)
      .filter(
        (filter) =>
          (filter.MetricTransformations as Array<{ MetricName: string }>)[0]?.MetricName === 'IncompleteReportRuns',
      );
    expect(filters).toHaveLength(1);
    expect(filters[0]).toMatchObject({
      LogGroupName: { Ref: logicalId(synth(), writeSummary?.logGroup as never) },
      FilterPattern: `{ ($.message = "${RUN_SUMMARY_LOG.message}") && (($.failedUsers > 0) || ($.failedShards > 0)) }`,
      MetricTransformations: [
        { MetricNamespace: namespace, MetricName: 'IncompleteReportRuns', MetricValue: '1', DefaultValue: 0 },
      ],
    });
  });

  test('the incomplete-run filter reads the message and fields WriteSummary logs (a guard against drift)', () => {
    const source = readFileSync(path.join(REPOSITORY_ROOT, 'lambdas/handlers/write-summary.ts'), 'utf8');
    expect(source).toContain(`'${RUN_SUMMARY_LOG.message}'`);
    expect(source).toMatch(new RegExp(`\\b${RUN_SUMMARY_LOG.failedUsers}:`));
    expect(source).toMatch(new RegExp(`\\b${RUN_SUMMARY_LOG.failedShards}:`));
  });

  test('API: 5xx rate over a minimum of requests, and p99 latency', () => {
    const rate = alarmNamed('Api5xxRate');
    expect(metricNames(rate).sort()).toEqual(['5XXError', 'Count']);
    expect(JSON.stringify(rate.Metrics)).toContain('IF(requests >= 20, 100 * errors / requests, 0)');
    const latency = alarmNamed('ApiLatencyP99');
    expect(latency).toMatchObject({
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  test('each Lambda: unexpected errors (ERROR log lines and timeouts) and throttles', () => {
    const filters = Object.values(resourcesOf(synth().template, 'AWS::Logs::MetricFilter')).map(
      (filter) => filter.Properties,
    );
    for (const { name } of [
      ...SUBMISSION_FUNCTIONS,
      ...REPORT_FUNCTIONS,
      ...READ_API_FUNCTIONS,
      ...OPERATIONS_FUNCTIONS,
    ]) {
      expect(metricNames(alarmNamed(`${name}Errors`))).toEqual([`${name}UnexpectedErrors`]);
      expect(metricNames(alarmNamed(`${name}Throttles`))).toEqual(['Throttles']);
      const own = filters.filter(
        (filter) =>
          (filter.MetricTransformations as Array<{ MetricName: string }>)[0]?.MetricName === `${name}UnexpectedErrors`,
      );
      expect(own.map((filter) => filter.FilterPattern).sort()).toEqual(['"Task timed out"', '{ $.level = "ERROR" }']);
    }
  });

  test('each table: read and write throttle events', () => {
    for (const { id } of TABLES) {
      const alarm = alarmNamed(`${id.charAt(0).toUpperCase()}${id.slice(1)}TableThrottles`);
      expect(metricNames(alarm).sort()).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
    }
  });

  test('a dashboard for the stage', () => {
    const dashboard = onlyResource(synth().template, 'AWS::CloudWatch::Dashboard').Properties;
    expect(dashboard.DashboardName).toBe(`PaymentsTracker-${stage}`);
    const body = JSON.stringify(dashboard.DashboardBody);
    for (const metric of [
      'Latency',
      'ExecutionsFailed',
      'ConcurrentExecutions',
      'ConsumedWriteCapacityUnits',
      'BlockedRequests',
      'ApproximateNumberOfMessagesVisible',
    ]) {
      expect(body).toContain(metric);
    }
    // The report workflow has its own graphs, by its state machine's ARN.
    expect(body).toContain('Monthly report runs');
    expect(body).toContain(logicalId(synth(), synth().stack.reportWorkflow.stateMachine));
  });

  test('outputs: API URL, user pool, clients, hosted UI, tables, state machine, alarm topic', () => {
    const outputs = synth().template.toJSON().Outputs as Record<string, { Value: unknown }>;
    for (const name of [
      'ApiUrl',
      'PaymentsEndpoint',
      'UserPoolId',
      'UserAppClientId',
      'IntegrationClientId',
      'OperationsClientId',
      'HostedUiDomain',
      'TokenEndpoint',
      'PaymentsTableName',
      'IdempotencyTableName',
      'SubmitPaymentStateMachineArn',
      'MonthlyReportStateMachineArn',
      'MonthlyReportExecutionLogGroup',
      'ReportScheduleName',
      'ReportScheduleDeadLetterQueueUrl',
      'ReportsExportEndpoint',
      'AlarmTopicArn',
    ]) {
      expect(outputs[name]).toBeDefined();
    }
    expect(outputs.SubmitPaymentStateMachineArn?.Value).toEqual({
      Ref: logicalId(synth(), synth().stack.workflow.stateMachine),
    });
    expect(outputs.MonthlyReportStateMachineArn?.Value).toEqual({
      Ref: logicalId(synth(), synth().stack.reportWorkflow.stateMachine),
    });
    expect(outputs.ReportScheduleName?.Value).toEqual({
      Ref: logicalId(synth(), synth().stack.reportSchedule.schedule),
    });
    expect(Object.keys(outputs)).not.toContain('ApiEndpoint1541504C');
  });
});
