import { Aws, type CfnElement, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { workflowDefinitionText } from '#contract/workflow-definition';
import type { WorkflowDefinition } from '#contract/workflows';
import type { StageConfig } from '../config';
import { executionDataProtectionPolicy } from './execution-log-protection';
import type { PaymentsFunction } from './payments-function';

/** An ASL state, as far as this module reads it: what makes a Map distributed, and where nested states live. */
interface AslState {
  Type?: string;
  Label?: string;
  ItemProcessor?: AslStates & { ProcessorConfig?: { Mode?: string } };
  Iterator?: AslStates;
  Branches?: AslStates[];
  ItemReader?: unknown;
  ResultWriter?: unknown;
}
interface AslStates {
  States?: Record<string, AslState>;
}

/** A Distributed Map state of a definition: its state name and its map run `Label`, if it has one. */
export interface DistributedMapState {
  name: string;
  label?: string;
  state: AslState;
}

/**
 * Every Map state with `ProcessorConfig.Mode` DISTRIBUTED in a parsed ASL definition, at any depth:
 * inside a Map's ItemProcessor (or legacy Iterator) and inside a Parallel's Branches.
 */
export const findDistributedMaps = (definition: unknown): DistributedMapState[] =>
  Object.entries((definition as AslStates).States ?? {}).flatMap(([name, state]) => [
    ...(state.Type === 'Map' && state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED'
      ? [{ name, label: state.Label, state }]
      : []),
    ...(state.ItemProcessor ? findDistributedMaps(state.ItemProcessor) : []),
    ...(state.Iterator ? findDistributedMaps(state.Iterator) : []),
    ...(state.Branches ?? []).flatMap(findDistributedMaps),
  ]);

export interface AslWorkflowProps {
  workflow: WorkflowDefinition;
  config: StageConfig;
  /** The deployed functions of the workflow, one per definition in `workflow.functions`. */
  functions: readonly PaymentsFunction[];
  encryptionKey: kms.IKey;
}

/**
 * A state machine from its ASL file in statemachines/ (the submit-payment Express one behind
 * POST /payments, the batch one behind POST /payments/batch, the monthly-report Standard one): the file's text is the definition (inline, so
 * template assertions can read it) and each `${...FunctionArn}` placeholder is substituted by
 * CloudFormation with its function's ARN. A file-based definition gets no automatic IAM: invoke is
 * granted here, function by function, and so are a Distributed Map's child executions (found by
 * walking the parsed definition; see `grantDistributedMapRuns`). Every execution is logged at
 * level ALL with its data (Express executions exist only in these logs) to a KMS-encrypted log
 * group, and traced with X-Ray.
 */
export class AslWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  readonly functions: readonly PaymentsFunction[];
  /** Present when the definition has a Distributed Map: what the state machine needs to run its child executions. */
  readonly distributedMapPolicy?: iam.Policy;

  constructor(scope: Construct, id: string, props: AslWorkflowProps) {
    super(scope, id);
    const { workflow, config, functions } = props;
    this.functions = functions;
    const byPlaceholder = new Map(functions.map((f) => [f.definition.arnPlaceholder, f]));
    for (const definition of workflow.functions) {
      if (!byPlaceholder.has(definition.arnPlaceholder))
        throw new Error(`No function for \${${definition.arnPlaceholder}}`);
    }

    this.logGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      // The /aws/vendedlogs/ prefix keeps the account's CloudWatch Logs resource policy small;
      // the stack id's GUID keeps a re-created stack from colliding with the retained group.
      logGroupName: `/aws/vendedlogs/states/${Aws.STACK_NAME}-${workflow.name}-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`,
      // Execution data is personal data: kept only as long as auditors need it (docs/security.md), and masked.
      retention: config.executionLogRetentionDays as logs.RetentionDays,
      encryptionKey: props.encryptionKey,
      dataProtectionPolicy: executionDataProtectionPolicy(workflow.name),
    });

    const definitionText = workflowDefinitionText(workflow);
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: workflow.type === 'EXPRESS' ? sfn.StateMachineType.EXPRESS : sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(definitionText),
      definitionSubstitutions: Object.fromEntries(
        functions.map((f) => [f.definition.arnPlaceholder, f.fn.functionArn]),
      ),
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

    for (const f of functions.filter((candidate) => candidate.definition.describesOwnExecutions))
      this.grantDescribeExecutions(f);

    const distributedMaps = findDistributedMaps(JSON.parse(definitionText));
    if (distributedMaps.length > 0) this.distributedMapPolicy = this.grantDistributedMapRuns(workflow, distributedMaps);

    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by CDK for logging and tracing: the CloudWatch Logs log-delivery actions (CreateLogDelivery, PutResourcePolicy, DescribeLogGroups, ...) and X-Ray PutTraceSegments/GetSamplingRules support no resource-level permissions, so Resource "*" is the only form.',
    });
  }

  /**
   * DescribeExecution of this state machine's executions, for a step that asks whether a run still
   * runs (StartReportRun: the run holding the month). In a policy of its own, not the function
   * role's default one: the state machine depends on the function, which depends on that default
   * policy, so naming the state machine there would be a dependency cycle.
   */
  private grantDescribeExecutions(f: PaymentsFunction): void {
    const machine = this.stateMachine;
    const role = f.fn.role;
    if (!role) throw new Error(`${f.definition.name} has no role to grant DescribeExecution to`);
    const policy = new iam.Policy(f, 'DescribeItsWorkflowExecutions', {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'DescribeItsWorkflowExecutions',
          actions: ['states:DescribeExecution'],
          resources: [
            `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:execution:${machine.stateMachineName}:*`,
          ],
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${Stack.of(this).getLogicalId(machine.node.defaultChild as CfnElement)}.Name>:*]`,
      reason:
        'Execution names are chosen at start time (by the schedule, or by hand), so DescribeExecution can only name them as executions of this one state machine (execution:<its name>:*); it reads status, not data it could change.',
    });
  }

  /**
   * What AWS requires of the role for a Distributed Map (as aws-cdk-lib's DistributedMap adds it,
   * state-graph.js `bind`; a file-based definition gets none of it automatically): start child
   * executions of this state machine, describe and stop them, and redrive the map runs. In a
   * separate policy, not the role's default one: the state machine depends on its role and that
   * default policy, and these statements name the state machine, so in the default policy they
   * would be a dependency cycle.
   */
  private grantDistributedMapRuns(workflow: WorkflowDefinition, maps: readonly DistributedMapState[]): iam.Policy {
    for (const { name, state } of maps) {
      // Their S3 reads and writes are not granted here: fail the synth rather than the run.
      if (state.ItemReader !== undefined || state.ResultWriter !== undefined) {
        throw new Error(
          `${workflow.definitionFile}: Distributed Map ${name} has an ItemReader or ResultWriter, whose S3 permissions AslWorkflow does not grant`,
        );
      }
    }
    const machine = this.stateMachine;
    // Pseudo parameters rather than Stack.formatArn: the same ARN text (and cdk-nag finding id)
    // whether or not the stage pins an account and region.
    const executions = (suffix: string) =>
      `arn:${Aws.PARTITION}:states:${Aws.REGION}:${Aws.ACCOUNT_ID}:execution:${machine.stateMachineName}${suffix}`;
    // A map without a Label gets AWS's generated one: then redrive must cover every map run.
    const labels = maps.some((map) => map.label === undefined)
      ? ['*']
      : [...new Set(maps.map((map) => map.label as string))];
    const policy = new iam.Policy(machine, 'DistributedMapPolicy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'StartItsChildExecutions',
          actions: ['states:StartExecution'],
          resources: [machine.stateMachineArn],
        }),
        new iam.PolicyStatement({
          sid: 'WatchItsChildExecutions',
          actions: ['states:DescribeExecution', 'states:StopExecution'],
          resources: [executions(':*')],
        }),
        new iam.PolicyStatement({
          sid: 'RedriveItsMapRuns',
          actions: ['states:RedriveExecution'],
          resources: labels.map((label) => executions(`/${label}:*`)),
        }),
      ],
    });
    machine.role.attachInlinePolicy(policy);

    // cdk-nag names the state machine by its logical id in the findings of these ARNs.
    const nagArn = (suffix: string) =>
      `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${Stack.of(this).getLogicalId(machine.node.defaultChild as CfnElement)}.Name>${suffix}`;
    Validations.of(policy).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::${nagArn(':*')}]`,
        reason:
          'Distributed Map child executions are named by Step Functions at run time, so DescribeExecution and StopExecution can only name them as executions of this one state machine (execution:<its name>:*), as AWS documents and CDK DistributedMap grants.',
      },
      ...labels.map((label) => ({
        id: `AwsSolutions-IAM5[Resource::${nagArn(`/${label}:*`)}]`,
        reason: `RedriveExecution on the child executions of this state machine's map run labelled ${label} (execution:<its name>/${label}:*): their ids are generated at run time, and the prefix names this state machine and map run only.`,
      })),
    );
    return policy;
  }
}
