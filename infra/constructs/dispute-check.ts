import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { StageConfig } from '../config';
import type { PaymentsFunction } from './payments-function';

/** 06:00 UTC every day: an open dispute crossing its 30-day deadline raises the alarm within a day (decisions/0018). */
export const DISPUTE_CHECK_CRON = { minute: '0', hour: '6' } as const;

export interface DisputeCheckProps {
  config: StageConfig;
  /** CheckOverdueDisputes (contract/functions.ts, OPERATIONS_FUNCTIONS). */
  checkFunction: PaymentsFunction;
}

/**
 * The daily check of open disputes: an EventBridge rule invokes CheckOverdueDisputes with the event's id as its
 * request id; what it logs feeds the DisputesOverdue alarm (Observability). The rule may invoke that one function
 * (its resource policy), nothing else.
 */
export class DisputeCheck extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: DisputeCheckProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      description: `Payments Tracker (${props.config.stage}): count open disputes past their 30-day deadline`,
      schedule: events.Schedule.cron(DISPUTE_CHECK_CRON),
      targets: [
        new targets.LambdaFunction(props.checkFunction.fn, {
          event: events.RuleTargetInput.fromObject({ requestId: events.EventField.eventId }),
          retryAttempts: 2,
        }),
      ],
    });
  }
}
