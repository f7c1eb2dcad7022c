import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config';
import { dynamoMetric, executionsByOutcome, wafMetric } from './observability-metrics';
import type { PaymentsFunction } from './payments-function';

const ONE_MINUTE = Duration.minutes(1);

/** What the dashboard graphs (the Observability construct's props, which it is given whole). */
interface DashboardProps {
  config: StageConfig;
  api: apigw.RestApi;
  webAclName: string;
  stateMachine: sfn.StateMachine;
  batchStateMachine: sfn.StateMachine;
  reportStateMachine: sfn.StateMachine;
  scheduleDeadLetterQueue: sqs.IQueue;
  functions: readonly PaymentsFunction[];
  tables: ReadonlyArray<{ id: string; table: dynamodb.ITable }>;
}

interface DashboardSources {
  props: DashboardProps;
  alarms: cloudwatch.IAlarm[];
  /** The log-based unexpected-errors metric of a function (its alarm's). */
  unexpectedErrors: (f: PaymentsFunction) => cloudwatch.IMetric;
}

const graph = (title: string, left: cloudwatch.IMetric[], width = 8): cloudwatch.GraphWidget =>
  new cloudwatch.GraphWidget({ title, left, width, height: 6 });

/** One dashboard, a row per concern: alarms, API, submission workflows, report run, Lambdas, tables. */
export const observabilityDashboard = (scope: Construct, sources: DashboardSources): cloudwatch.Dashboard => {
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: `PaymentsTracker-${sources.props.config.stage}`,
    defaultInterval: Duration.hours(3),
  });
  dashboard.addWidgets(
    new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: sources.alarms, width: 24, height: 4 }),
  );
  dashboard.addWidgets(...apiRow(sources.props));
  dashboard.addWidgets(...workflowRow(sources.props));
  dashboard.addWidgets(...reportRow(sources.props));
  dashboard.addWidgets(...lambdaRow(sources));
  dashboard.addWidgets(...tableRow(sources.props));
  return dashboard;
};

const apiRow = ({ api, webAclName }: DashboardProps): cloudwatch.IWidget[] => [
  graph('API requests and errors', [
    api.metricCount({ period: ONE_MINUTE, statistic: 'Sum', label: 'Requests' }),
    api.metricClientError({ period: ONE_MINUTE, statistic: 'Sum', label: '4xx' }),
    api.metricServerError({ period: ONE_MINUTE, statistic: 'Sum', label: '5xx' }),
  ]),
  graph(
    'API latency (ms)',
    ['p50', 'p90', 'p99'].map((statistic) =>
      api.metricLatency({ period: ONE_MINUTE, statistic, label: `Latency ${statistic}` }),
    ),
  ),
  graph('Web ACL', [
    wafMetric(webAclName, 'AllowedRequests', 'ALL'),
    ...['BodyTooLarge', 'RatePerIp', 'RatePerViewerIp', 'RatePerCaller', 'ALL'].map((rule) =>
      wafMetric(webAclName, 'BlockedRequests', rule),
    ),
  ]),
];

const workflowRow = ({ stateMachine, batchStateMachine, functions }: DashboardProps): cloudwatch.IWidget[] => [
  graph('Workflow executions', executionsByOutcome(stateMachine, ONE_MINUTE, 'Throttled')),
  graph('Workflow duration (ms)', [
    stateMachine.metricTime({ period: ONE_MINUTE, statistic: 'p50', label: 'p50' }),
    stateMachine.metricTime({ period: ONE_MINUTE, statistic: 'p99', label: 'p99' }),
    batchStateMachine.metricTime({ period: ONE_MINUTE, statistic: 'p99', label: 'batch p99' }),
  ]),
  graph(
    'Lambda concurrent executions',
    functions.map((f) =>
      f.fn.metric('ConcurrentExecutions', { period: ONE_MINUTE, statistic: 'Maximum', label: f.definition.name }),
    ),
  ),
];

const reportRow = ({ reportStateMachine, scheduleDeadLetterQueue }: DashboardProps): cloudwatch.IWidget[] => [
  graph('Monthly report runs', executionsByOutcome(reportStateMachine, Duration.hours(1), 'Aborted')),
  graph('Monthly report run duration (ms)', [
    reportStateMachine.metricTime({ period: Duration.hours(1), statistic: 'Maximum', label: 'Longest run' }),
  ]),
  graph('Report schedule dead letters', [
    scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: Duration.hours(1),
      statistic: 'Maximum',
      label: 'Runs not started',
    }),
  ]),
];

const lambdaRow = ({ props: { functions }, unexpectedErrors }: DashboardSources): cloudwatch.IWidget[] => [
  graph('Lambda errors (incl. typed refusals) and throttles', [
    ...functions.map((f) =>
      f.fn.metricErrors({ period: ONE_MINUTE, statistic: 'Sum', label: `${f.definition.name} errors` }),
    ),
    ...functions.map((f) =>
      f.fn.metricThrottles({ period: ONE_MINUTE, statistic: 'Sum', label: `${f.definition.name} throttles` }),
    ),
  ]),
  graph(
    'Lambda unexpected errors',
    functions.map((f) => unexpectedErrors(f)),
  ),
  graph(
    'Lambda duration p99 (ms)',
    functions.map((f) => f.fn.metricDuration({ period: ONE_MINUTE, statistic: 'p99', label: f.definition.name })),
  ),
];

const tableRow = ({ tables }: DashboardProps): cloudwatch.IWidget[] => [
  graph(
    'DynamoDB consumed capacity',
    tables.flatMap(({ id, table }) => [
      table.metricConsumedReadCapacityUnits({ period: ONE_MINUTE, statistic: 'Sum', label: `${id} RCU` }),
      table.metricConsumedWriteCapacityUnits({ period: ONE_MINUTE, statistic: 'Sum', label: `${id} WCU` }),
    ]),
    12,
  ),
  graph(
    'DynamoDB throttle events',
    tables.flatMap(({ id, table }) => [
      dynamoMetric('ReadThrottleEvents', table, `${id} reads`),
      dynamoMetric('WriteThrottleEvents', table, `${id} writes`),
    ]),
    12,
  ),
];
