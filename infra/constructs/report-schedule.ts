import { Aws, Duration, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';

/**
 * 02:00 UTC on the 1st: the month has ended everywhere the product's customers are, and the
 * submissions of its last minutes are in. Late submissions (a bank feed days behind) are in the
 * sparse lateArrivals index and re-reported by the next scheduled run (decision 0008).
 */
export const REPORT_SCHEDULE_CRON = { minute: '0', hour: '2', day: '1', month: '*', year: '*' } as const;

/** Scheduler retries a start that fails (throttled, Step Functions unavailable) this often, within this age. */
export const REPORT_SCHEDULE_RETRY = { retryAttempts: 10, maxEventAge: Duration.hours(12) } as const;

export interface ReportScheduleProps {
  config: StageConfig;
  stateMachine: sfn.IStateMachine;
}

/**
 * The monthly run's schedule: EventBridge Scheduler starts the monthly-report state machine on the
 * 1st (UTC) with `{"scheduledTime": "<aws.scheduler.scheduled-time>"}`, from which StartReportRun
 * takes the month before (the scheduled time, not the clock: a start retried into the 2nd still
 * reports on the right month). A start that still fails after the retry policy lands in the
 * dead-letter queue, which raises an alarm (Observability). The role may start that one state
 * machine and send to that one queue, nothing else.
 */
export class ReportSchedule extends Construct {
  readonly schedule: scheduler.Schedule;
  readonly deadLetterQueue: sqs.Queue;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ReportScheduleProps) {
    super(scope, id);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      // SSE-SQS: the message is the schedule's input (a timestamp), and the role needs no key grant.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.role = new iam.Role(this, 'Role', {
      // Only this account's schedules may use it (confused deputy).
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'EventBridge Scheduler: start the monthly-report workflow, and dead-letter a start that fails',
    });

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      description: `Payments Tracker (${props.config.stage}): the monthly credit-file reports, for the month before`,
      schedule: scheduler.ScheduleExpression.cron({ ...REPORT_SCHEDULE_CRON, timeZone: TimeZone.ETC_UTC }),
      target: new targets.StepFunctionsStartExecution(props.stateMachine, {
        role: this.role,
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
        deadLetterQueue: this.deadLetterQueue,
        ...REPORT_SCHEDULE_RETRY,
      }),
    });

    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter queue: the report schedule's (EventBridge Scheduler DeadLetterConfig, which cdk-nag does not recognise). A message here is a monthly run that never started; an alarm fires on it.",
    });
  }
}
