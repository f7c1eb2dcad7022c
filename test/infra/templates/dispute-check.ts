import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OPEN_DISPUTES_LOG } from '#contract/dispute-check';
import { REPOSITORY_ROOT, STAGES, logicalId, resourcesOf, synthesized } from '../support/synth';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

describe.each(STAGES)('disputes unresolved after 30 days: the daily check and its alarm (stage %s)', (stage) => {
  const synth = () => synthesized(stage);
  const check = () => synth().stack.functions.find((f) => f.definition.name === 'CheckOverdueDisputes')!;
  const checkId = () => logicalId(synth(), check().fn);
  const namespace = `PaymentsTracker/${stage}`;

  test('an EventBridge rule invokes CheckOverdueDisputes daily at 06:00 UTC with the event id as its request id', () => {
    const rules = Object.values(resourcesOf(synth().template, 'AWS::Events::Rule')).map((rule) => rule.Properties);
    const own = rules.filter((rule) => JSON.stringify(rule.Targets).includes(`"${checkId()}"`));
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ ScheduleExpression: 'cron(0 6 * * ? *)', State: 'ENABLED' });
    const [target] = own[0]!.Targets as Array<Record<string, unknown>>;
    expect(target).toMatchObject({
      Arn: { 'Fn::GetAtt': [checkId(), 'Arn'] },
      RetryPolicy: { MaximumRetryAttempts: 2 },
    });
    expect(target!.InputTransformer).toEqual({ InputPathsMap: { id: '$.id' }, InputTemplate: '{"requestId":<id>}' });
    // Only EventBridge, and only this rule, may invoke it (its resource policy).
    const permissions = Object.values(resourcesOf(synth().template, 'AWS::Lambda::Permission'))
      .map((permission) => permission.Properties)
      .filter((permission) => JSON.stringify(permission.FunctionName).includes(`"${checkId()}"`));
    expect(permissions).toEqual([
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
      }),
    ]);
  });

  test('its role reads the payments table and its indexes, writes nothing', () => {
    const roleId = logicalId(synth(), check().fn.role as never);
    const statements = Object.values(resourcesOf(synth().template, 'AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(`"${roleId}"`))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const actions = statements.flatMap((statement) =>
      Array.isArray(statement.Action) ? statement.Action : [statement.Action],
    );
    const dynamo = actions.filter((action) => action.startsWith('dynamodb:'));
    expect(dynamo.length).toBeGreaterThan(0);
    for (const action of dynamo) expect(action).toMatch(/^dynamodb:(Get|Query|BatchGet|Scan|ConditionCheck|Describe)/);
  });

  test('metric filters on its log group turn its daily line into DisputesOverdue and OldestOpenDisputeAgeDays', () => {
    const filters = Object.values(resourcesOf(synth().template, 'AWS::Logs::MetricFilter'))
      .map((filter) => filter.Properties)
      .filter(
        (filter) =>
          JSON.stringify(filter.LogGroupName) === JSON.stringify({ Ref: logicalId(synth(), check().logGroup) }),
      );
    const byMetric = Object.fromEntries(
      filters.map((filter) => [(filter.MetricTransformations as Array<{ MetricName: string }>)[0]!.MetricName, filter]),
    );
    for (const [metricName, field] of [
      ['DisputesOverdue', OPEN_DISPUTES_LOG.overdue],
      ['OldestOpenDisputeAgeDays', OPEN_DISPUTES_LOG.oldestOpenAgeDays],
    ] as const) {
      expect(byMetric[metricName]).toMatchObject({
        FilterPattern: `{ $.message = "${OPEN_DISPUTES_LOG.message}" }`,
        MetricTransformations: [{ MetricNamespace: namespace, MetricName: metricName, MetricValue: `$.${field}` }],
      });
    }
  });

  test('the alarm: any overdue dispute in the day raises it, to the alarm topic (and its clearing)', () => {
    const construct = synth().stack.observability.node.findChild('DisputesOverdue');
    const alarm = resourcesOf(synth().template, 'AWS::CloudWatch::Alarm')[logicalId(synth(), construct as never)]
      ?.Properties;
    const topic = { Ref: logicalId(synth(), synth().stack.observability.topic) };
    expect(alarm).toMatchObject({
      Namespace: namespace,
      MetricName: 'DisputesOverdue',
      Statistic: 'Maximum',
      Period: 86_400,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      AlarmActions: [topic],
      OKActions: [topic],
    });
  });

  test('the filters read the message and fields the handler logs (a guard against drift)', () => {
    const source = readFileSync(path.join(REPOSITORY_ROOT, 'lambdas/handlers/check-overdue-disputes.ts'), 'utf8');
    expect(source).toContain('OPEN_DISPUTES_LOG.message');
    for (const field of ['open', 'overdue', 'oldestOpenAgeDays'])
      expect(source).toContain(`OPEN_DISPUTES_LOG.${field}]`);
  });
});
