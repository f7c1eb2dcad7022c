import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';

/** The period of every alarm's metric. */
export const FIVE_MINUTES = Duration.minutes(5);

export const math = (
  label: string,
  expression: string,
  usingMetrics: Record<string, cloudwatch.IMetric>,
): cloudwatch.MathExpression =>
  new cloudwatch.MathExpression({ expression, usingMetrics, label, period: FIVE_MINUTES });

/** Executions that failed, timed out or were aborted, summed: what no healthy run ends as. */
export const failedExecutions = (label: string, machine: sfn.StateMachine): cloudwatch.MathExpression =>
  math(label, 'failed + timedOut + aborted', {
    failed: machine.metricFailed({ period: FIVE_MINUTES, statistic: 'Sum' }),
    timedOut: machine.metricTimedOut({ period: FIVE_MINUTES, statistic: 'Sum' }),
    aborted: machine.metricAborted({ period: FIVE_MINUTES, statistic: 'Sum' }),
  });

/** A state machine's executions by outcome for a dashboard graph, with the one extra outcome that matters for it. */
export const executionsByOutcome = (
  machine: sfn.StateMachine,
  period: Duration,
  extra: 'Throttled' | 'Aborted',
): cloudwatch.Metric[] => [
  machine.metricStarted({ period, statistic: 'Sum', label: 'Started' }),
  machine.metricSucceeded({ period, statistic: 'Sum', label: 'Succeeded' }),
  machine.metricFailed({ period, statistic: 'Sum', label: 'Failed' }),
  machine.metricTimedOut({ period, statistic: 'Sum', label: 'Timed out' }),
  extra === 'Throttled'
    ? machine.metricThrottled({ period, statistic: 'Sum', label: 'Throttled' })
    : machine.metricAborted({ period, statistic: 'Sum', label: 'Aborted' }),
];

export const dynamoMetric = (metricName: string, table: dynamodb.ITable, label?: string): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: 'AWS/DynamoDB',
    metricName,
    dimensionsMap: { TableName: table.tableName },
    statistic: 'Sum',
    period: FIVE_MINUTES,
    label,
  });

export const wafMetric = (webAclName: string, metricName: string, rule: string): cloudwatch.Metric =>
  new cloudwatch.Metric({
    namespace: 'AWS/WAFV2',
    metricName,
    dimensionsMap: { WebACL: webAclName, Rule: rule, Region: Aws.REGION },
    statistic: 'Sum',
    period: Duration.minutes(1),
    label: `${metricName} ${rule}`,
  });
