import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Aws, Fn, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FunctionDefinition } from '#contract/functions';
import type { StageConfig } from '../config';
import { REPOSITORY_ROOT } from '../paths';
import type { PaymentsFunction } from './payments-function';

/** The ASL text exactly as in statemachines/, `${...}` placeholders included. */
export const readWorkflowDefinition = (definitionFile: string): string =>
  readFileSync(path.join(REPOSITORY_ROOT, definitionFile), 'utf8');

/** A workflow of the shared contract (lambdas/contract/functions.ts): its ASL file, type and functions. */
export interface WorkflowDefinition {
  name: string;
  definitionFile: string;
  type: 'EXPRESS' | 'STANDARD';
  functions: readonly FunctionDefinition[];
}

export interface AslWorkflowProps {
  workflow: WorkflowDefinition;
  config: StageConfig;
  /** The deployed functions of the workflow, one per definition in `workflow.functions`. */
  functions: readonly PaymentsFunction[];
  encryptionKey: kms.IKey;
}

/**
 * A state machine from its ASL file in statemachines/ (the submit-payment Express one behind
 * POST /payments, the monthly-report Standard one): the file's text is the definition (inline, so
 * template assertions can read it) and each `${...FunctionArn}` placeholder is substituted by
 * CloudFormation with its function's ARN. A file-based definition gets no automatic IAM: invoke is
 * granted here, function by function. Every execution is logged at level ALL with its data (Express
 * executions exist only in these logs) to a KMS-encrypted log group, and traced with X-Ray.
 */
export class AslWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  readonly functions: readonly PaymentsFunction[];

  constructor(scope: Construct, id: string, props: AslWorkflowProps) {
    super(scope, id);
    const { workflow, config, functions } = props;
    this.functions = functions;
    const byPlaceholder = new Map(functions.map((f) => [f.definition.arnPlaceholder, f]));
    for (const definition of workflow.functions) {
      if (!byPlaceholder.has(definition.arnPlaceholder)) throw new Error(`No function for \${${definition.arnPlaceholder}}`);
    }

    this.logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      // The /aws/vendedlogs/ prefix keeps the account's CloudWatch Logs resource policy small;
      // the stack id's GUID keeps a re-created stack from colliding with the retained group.
      logGroupName: `/aws/vendedlogs/states/${Aws.STACK_NAME}-${workflow.name}-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`,
      retention: config.logRetentionDays as logs.RetentionDays,
      encryptionKey: props.encryptionKey,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: workflow.type === 'EXPRESS' ? sfn.StateMachineType.EXPRESS : sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(readWorkflowDefinition(workflow.definitionFile)),
      definitionSubstitutions: Object.fromEntries(functions.map((f) => [f.definition.arnPlaceholder, f.fn.functionArn])),
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
      comment: `Payments Tracker ${workflow.name} (${config.stage})`,
    });
    // Exactly the unqualified ARNs the definition names: no versions, no aliases, no wildcard.
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'InvokeItsSteps',
        actions: ['lambda:InvokeFunction'],
        resources: functions.map((f) => f.fn.functionArn),
      }),
    );

    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by CDK for logging and tracing: the CloudWatch Logs log-delivery actions (CreateLogDelivery, PutResourcePolicy, DescribeLogGroups, ...) and X-Ray PutTraceSegments/GetSamplingRules support no resource-level permissions, so Resource "*" is the only form.',
    });
  }
}
