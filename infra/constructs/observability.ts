import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { OPEN_DISPUTES_LOG } from '#contract/dispute-check';
import type { StageConfig } from '../config';
import { observabilityDashboard } from './observability-dashboard';
import { FIVE_MINUTES, dynamoMetric, failedExecutions, math } from './observability-metrics';
import type { PaymentsFunction } from './payments-function';

/** A batch of 100 takes about 3 s in AWS; past 15 s it is eating the margin to API Gateway's 29 s (decision 0013). */
const BATCH_DURATION_ALARM_MS = 15_000;

export interface ObservabilityProps {
  config: StageConfig;
  encryptionKey: kms.IKey;
  api: apigw.RestApi;
  stateMachine: sfn.StateMachine;
  /** The batch submission's Express state machine (POST /payments/batch). */
  batchStateMachine: sfn.StateMachine;
  /** The monthly-report Standard state machine and its schedule's dead-letter queue. */
  reportStateMachine: sfn.StateMachine;
  scheduleDeadLetterQueue: sqs.IQueue;
  /** The report run's WriteSummary function: its "Report run summarised" log line says whether the run was complete. */
  reportSummaryFunction: PaymentsFunction;
  /** CheckOverdueDisputes: its daily "Open disputes checked" line says how many open disputes are past 30 days. */
  disputeCheckFunction: PaymentsFunction;
  functions: readonly PaymentsFunction[];
  tables: ReadonlyArray<{ id: string; table: dynamodb.ITable }>;
  webAclName: string;
}

/**
 * Alarms to one SNS topic (encrypted, TLS only) and one dashboard: the submission path, the
 * monthly report run (failed runs, and runs whose summary counts failures) and its schedule,
 * every Lambda and table.
 *
 * Lambda "errors" here are unexpected errors only: ERROR log lines (the workflow handler logs a
 * step that failed unexpectedly at ERROR) and Lambda timeouts, counted by metric filters. The
 * built-in Errors metric also counts the typed refusals (InvalidPayment, NotPaymentOwner,
 * PaymentConflict...) that the handlers throw on purpose for the state machine to route, so an
 * alarm on it would page on a client's bad input; it is on the dashboard instead.
 */
export class Observability extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly namespace: string;
  private readonly unexpectedErrorMetrics = new Map<string, cloudwatch.Metric>();

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const { config } = props;
    this.namespace = `PaymentsTracker/${config.stage}`;
    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Payments Tracker ${config.stage} alarms`,
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    if (config.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));
    // The order below is the alarms' order in the template and on the dashboard.
    this.submissionAlarms(props.stateMachine);
    this.batchAlarms(props.batchStateMachine);
    this.reportRunAlarms(props);
    this.disputeAlarms(props.disputeCheckFunction);
    this.apiAlarms(props.api, config);
    this.functionAlarms(props.functions);
    this.tableAlarms(props.tables);
    this.dashboard = observabilityDashboard(this, {
      props,
      alarms: this.alarms,
      unexpectedErrors: (f) => this.unexpectedErrors(f),
    });
  }

  /** Workflow: failures are bugs (every expected outcome, 4xx and 503 included, ends SUCCEEDED). */
  private submissionAlarms(stateMachine: sfn.StateMachine): void {
    this.alarm(
      'WorkflowFailures',
      'Submit-payment executions that failed, timed out or were aborted (bugs: every answer, 4xx/5xx included, is a succeeded execution)',
      {
        metric: failedExecutions('Failed executions', stateMachine),
        threshold: 1,
      },
    );
    this.alarm('WorkflowThrottled', 'Submit-payment executions throttled by Step Functions (start rate quota)', {
      metric: stateMachine.metricThrottled({ period: FIVE_MINUTES, statistic: 'Sum' }),
      threshold: 1,
    });
  }

  /**
   * Batch: the same (every payment's answer, and every request-level problem, is a succeeded execution), and its
   * duration against API Gateway's 29 s: a batch nearing it is one a retrying dependency is about to make a 504.
   */
  private batchAlarms(batch: sfn.StateMachine): void {
    this.alarm(
      'BatchWorkflowFailures',
      'Batch executions (POST /payments/batch) that failed, timed out or were aborted: a timed-out batch answered 503 whole',
      { metric: failedExecutions('Failed batch executions', batch), threshold: 1 },
    );
    this.alarm('BatchWorkflowThrottled', 'Batch executions throttled by Step Functions (start rate quota)', {
      metric: batch.metricThrottled({ period: FIVE_MINUTES, statistic: 'Sum' }),
      threshold: 1,
    });
    this.alarm(
      'BatchDurationP99',
      `p99 duration of batch executions above ${BATCH_DURATION_ALARM_MS} ms for 15 minutes (budget: docs/decisions/0013-batch-submission.md)`,
      {
        metric: batch.metricTime({ period: FIVE_MINUTES, statistic: 'p99' }),
        threshold: BATCH_DURATION_ALARM_MS,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
      },
    );
  }

  /**
   * Monthly report run: a user's failure is caught and listed in the summary, so a run that fails
   * outright, times out (6 h) or is stopped means no summary for the month: operations re-run it.
   */
  private reportRunAlarms(props: ObservabilityProps): void {
    this.alarm(
      'ReportRunFailures',
      'Monthly-report runs that failed, timed out or were aborted: the month has no complete reports; see docs/operations.md',
      {
        metric: failedExecutions('Failed report runs', props.reportStateMachine),
        threshold: 1,
      },
    );
    // A run that ends SUCCEEDED may still be incomplete: batches that failed after their retries are
    // recorded (RecordFailedBatch) and failed shards tolerated (ToleratedFailurePercentage 100), so
    // only the summary says that some users have no report for the month.
    this.alarm(
      'ReportRunIncomplete',
      'A monthly-report run finished with failed users or failed shards (its run summary lists them): those users have no report for the month; re-run it (docs/operations.md)',
      {
        metric: this.incompleteReportRuns(props.reportSummaryFunction),
        threshold: 1,
      },
    );
    this.alarm(
      'ReportScheduleDeadLetters',
      'The monthly schedule could not start the report run (after its retries): start the month by hand; see docs/operations.md',
      {
        metric: props.scheduleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        threshold: 1,
      },
    );
  }

  /** API: 5xx share and p99 latency of POST /payments. */
  private apiAlarms(api: apigw.RestApi, config: StageConfig): void {
    this.alarm(
      'Api5xxRate',
      `More than ${config.serverErrorAlarmPercent}% of API answers are 5xx (over at least 20 requests per 5 minutes)`,
      {
        metric: math('5xx %', 'IF(requests >= 20, 100 * errors / requests, 0)', {
          errors: api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
          requests: api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }),
        }),
        threshold: config.serverErrorAlarmPercent,
        comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
      },
    );
    this.alarm('ApiLatencyP99', `p99 latency of the API above ${config.latencyP99AlarmMs} ms for 15 minutes`, {
      metric: api.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' }),
      threshold: config.latencyP99AlarmMs,
      comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
    });
  }

  /**
   * Disputes unresolved after 30 days (FCRA §611(a)(1), decisions/0018): the daily check's overdue count, from its log
   * line by a metric filter, as DisputesOverdue (alarmed) and the oldest open one's age (OldestOpenDisputeAgeDays).
   */
  private disputeAlarms(check: PaymentsFunction): void {
    const metricOf = (metricName: string, field: string): cloudwatch.Metric => {
      check.logGroup.addMetricFilter(`${metricName}Filter`, {
        filterPattern: logs.FilterPattern.stringValue('$.message', '=', OPEN_DISPUTES_LOG.message),
        metricNamespace: this.namespace,
        metricName,
        metricValue: `$.${field}`,
      });
      return new cloudwatch.Metric({
        namespace: this.namespace,
        metricName,
        statistic: 'Maximum',
        period: Duration.days(1),
      });
    };
    metricOf('OldestOpenDisputeAgeDays', OPEN_DISPUTES_LOG.oldestOpenAgeDays);
    this.alarm('DisputesOverdue', 'An open dispute is unresolved after 30 days: resolve it (npm run ops -- disputes)', {
      metric: metricOf('DisputesOverdue', OPEN_DISPUTES_LOG.overdue),
      threshold: 1,
    });
  }

  /** Lambdas: unexpected errors (log-based, see above) and throttles (reserved concurrency reached). */
  private functionAlarms(functions: readonly PaymentsFunction[]): void {
    for (const f of functions) {
      const name = f.definition.name;
      this.alarm(`${name}Errors`, `${name}: unexpected errors (ERROR log lines) or timeouts`, {
        metric: this.unexpectedErrors(f),
        threshold: 1,
      });
      this.alarm(`${name}Throttles`, `${name}: invocations throttled (concurrency limit reached)`, {
        metric: f.fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
      });
    }
  }

  /** DynamoDB: any throttled read or write (on demand, so a hot partition or a sudden jump). */
  private tableAlarms(tables: ObservabilityProps['tables']): void {
    for (const { id: tableId, table } of tables) {
      this.alarm(`${capitalize(tableId)}TableThrottles`, `Table ${tableId}: throttled reads or writes`, {
        metric: math('Throttle events', 'reads + writes', {
          reads: dynamoMetric('ReadThrottleEvents', table),
          writes: dynamoMetric('WriteThrottleEvents', table),
        }),
        threshold: 1,
      });
    }
  }

  /** ERROR log lines and Lambda timeouts of one function, as one metric (two metric filters feed it). */
  private unexpectedErrors(f: PaymentsFunction): cloudwatch.Metric {
    const name = f.definition.name;
    const existing = this.unexpectedErrorMetrics.get(name);
    if (existing) return existing;
    const metricName = `${name}UnexpectedErrors`;
    const patterns = {
      ErrorLogLines: logs.FilterPattern.stringValue('$.level', '=', 'ERROR'),
      Timeouts: logs.FilterPattern.literal('"Task timed out"'),
    };
    for (const [filterId, filterPattern] of Object.entries(patterns)) {
      f.logGroup.addMetricFilter(`${filterId}Filter`, {
        filterPattern,
        metricNamespace: this.namespace,
        metricName,
        metricValue: '1',
        defaultValue: 0,
      });
    }
    const metric = new cloudwatch.Metric({
      namespace: this.namespace,
      metricName,
      statistic: 'Sum',
      period: FIVE_MINUTES,
      label: `${name} unexpected errors`,
    });
    this.unexpectedErrorMetrics.set(name, metric);
    return metric;
  }

  /** Runs whose summary counts failed users or failed shards, from WriteSummary's "Report run summarised" line (logged once per run). */
  private incompleteReportRuns(writeSummary: PaymentsFunction): cloudwatch.Metric {
    const metricName = 'IncompleteReportRuns';
    writeSummary.logGroup.addMetricFilter('IncompleteRunFilter', {
      filterPattern: INCOMPLETE_RUN_PATTERN,
      metricNamespace: this.namespace,
      metricName,
      metricValue: '1',
      defaultValue: 0,
    });
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName,
      statistic: 'Sum',
      period: Duration.hours(1),
      label: 'Incomplete report runs',
    });
  }

  private alarm(
    id: string,
    description: string,
    options: {
      metric: cloudwatch.IMetric;
      threshold: number;
      comparison?: cloudwatch.ComparisonOperator;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
    },
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmDescription: description,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: options.comparison ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}

/** The fields of WriteSummary's log line (lambdas/handlers/write-summary.ts) that the incomplete-run alarm reads. */
export const RUN_SUMMARY_LOG = {
  message: 'Report run summarised',
  failedUsers: 'failedUsers',
  failedShards: 'failedShards',
} as const;

const INCOMPLETE_RUN_PATTERN = logs.FilterPattern.all(
  logs.FilterPattern.stringValue('$.message', '=', RUN_SUMMARY_LOG.message),
  logs.FilterPattern.any(
    logs.FilterPattern.numberValue(`$.${RUN_SUMMARY_LOG.failedUsers}`, '>', 0),
    logs.FilterPattern.numberValue(`$.${RUN_SUMMARY_LOG.failedShards}`, '>', 0),
  ),
);

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
