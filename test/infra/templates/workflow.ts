import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MONTHLY_REPORT_WORKFLOW, SUBMIT_PAYMENT_BATCH_WORKFLOW, SUBMIT_PAYMENT_WORKFLOW } from '#contract/workflows';
import { workflowDefinitionText } from '#contract/workflow-definition';
import { substituteDefinition } from '#local/step-functions/asl';
import type { PaymentsTrackerStack } from '../../../infra/stack';
import { EXECUTION_DATA_PATTERNS } from '../../../infra/constructs/execution-log-protection';
import { REPOSITORY_ROOT, STAGES, logicalId, resourcesOf, stageSetting, synthesized } from '../support/synth';

/** Stands for what CloudFormation substitutes: a function ARN, named after the resource it points at. */
const arnOf = (logical: string) => `arn:aws:lambda:eu-west-2:123456789012:function:${logical}`;

const WORKFLOWS = [
  { workflow: SUBMIT_PAYMENT_WORKFLOW, of: (stack: PaymentsTrackerStack) => stack.workflow },
  { workflow: SUBMIT_PAYMENT_BATCH_WORKFLOW, of: (stack: PaymentsTrackerStack) => stack.batchWorkflow },
  { workflow: MONTHLY_REPORT_WORKFLOW, of: (stack: PaymentsTrackerStack) => stack.reportWorkflow },
];

test('the stack has exactly these three state machines', () => {
  expect(Object.keys(resourcesOf(synthesized('dev').template, 'AWS::StepFunctions::StateMachine'))).toHaveLength(
    WORKFLOWS.length,
  );
});

describe.each(STAGES.flatMap((stage) => WORKFLOWS.map((entry) => [entry.workflow.name, stage, entry] as const)))(
  'the %s state machine (stage %s)',
  (_name, stage, { workflow, of }) => {
    // The file's text; the batch's composed with the submit-payment states (contract/workflow-definition.ts).
    const ASL_TEXT =
      workflow.itemProcessor !== undefined
        ? workflowDefinitionText(workflow)
        : readFileSync(path.join(REPOSITORY_ROOT, workflow.definitionFile), 'utf8');
    const synth = () => synthesized(stage);
    const construct = () => of(synth().stack);
    const machine = () => {
      const resource = resourcesOf(synth().template, 'AWS::StepFunctions::StateMachine')[
        logicalId(synth(), construct().stateMachine)
      ];
      if (!resource) throw new Error(`No state machine for ${workflow.name}`);
      return resource.Properties;
    };

    test(`is ${workflow.type === 'EXPRESS' ? 'an Express' : 'a Standard'} state machine, as the contract says`, () => {
      expect(machine().StateMachineType).toBe(workflow.type);
    });

    test('its definition is the ASL file with each function ARN substituted by CloudFormation', () => {
      const substitutions = machine().DefinitionSubstitutions as Record<string, { 'Fn::GetAtt': [string, string] }>;
      // Each placeholder is bound to the ARN of the function the shared contract names for it.
      const expectedTargets = Object.fromEntries(
        construct().functions.map((f) => [
          f.definition.arnPlaceholder,
          { 'Fn::GetAtt': [logicalId(synth(), f.fn), 'Arn'] },
        ]),
      );
      expect(substitutions).toEqual(expectedTargets);
      expect(Object.keys(substitutions).sort()).toEqual(workflow.functions.map((f) => f.arnPlaceholder).sort());

      const arns = Object.fromEntries(
        Object.entries(substitutions).map(([placeholder, ref]) => [placeholder, arnOf(ref['Fn::GetAtt'][0])]),
      );
      const deployed = JSON.parse(substituteDefinition(machine().DefinitionString as string, arns)) as unknown;
      const expected = JSON.parse(
        substituteDefinition(
          ASL_TEXT,
          Object.fromEntries(
            construct().functions.map((f) => [f.definition.arnPlaceholder, arnOf(logicalId(synth(), f.fn))]),
          ),
        ),
      ) as { States: Record<string, unknown> };
      expect(deployed).toEqual(expected);
      // And the file is deployed as it is: same text, not rebuilt or reformatted.
      expect(machine().DefinitionString).toBe(ASL_TEXT);
      // Each task state, nested ones (inside Map) included, names one of its workflow's function ARNs;
      // the state named after a function calls that function; every function is called. (A function may
      // serve more than one state: RecordFailedBatch is also RecordFailedLateBatch.)
      const resources = new Map<string, string>();
      const collect = (states: Record<string, unknown>): void => {
        for (const [name, state] of Object.entries(states) as Array<
          [string, { Resource?: string; ItemProcessor?: { States: Record<string, unknown> } }]
        >) {
          if (state.Resource) resources.set(name, state.Resource);
          if (state.ItemProcessor) collect(state.ItemProcessor.States);
        }
      };
      collect(expected.States);
      const functionArns = construct().functions.map((f) => arnOf(logicalId(synth(), f.fn)));
      expect([...new Set(resources.values())].sort()).toEqual([...functionArns].sort());
      for (const f of construct().functions) {
        expect(resources.get(f.definition.name)).toBe(arnOf(logicalId(synth(), f.fn)));
      }
    });

    test('logs every execution at level ALL with its data, to a KMS-encrypted log group kept the execution-data retention', () => {
      const logGroupId = logicalId(synth(), construct().logGroup);
      expect(machine().LoggingConfiguration).toEqual({
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }],
      });
      const logGroup = resourcesOf(synth().template, 'AWS::Logs::LogGroup')[logGroupId]?.Properties;
      expect(logGroup).toMatchObject({
        RetentionInDays: stageSetting(stage, 'executionLogRetentionDays'),
        KmsKeyId: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
      });
      expect(JSON.stringify(logGroup?.LogGroupName)).toContain('/aws/vendedlogs/states/');
      // Execution data (bodies, user ids) is kept no longer than the other logs; prod: 90 days, not a year.
      expect(stageSetting(stage, 'executionLogRetentionDays')).toBeLessThanOrEqual(
        stageSetting(stage, 'logRetentionDays') as number,
      );
      if (stage === 'prod') expect(logGroup?.RetentionInDays).toBe(90);
    });

    test('its execution log group masks tokens, user ids, descriptions, amounts and e-mail addresses (data protection policy)', () => {
      const logGroup = resourcesOf(synth().template, 'AWS::Logs::LogGroup')[logicalId(synth(), construct().logGroup)];
      const policy = logGroup?.Properties.DataProtectionPolicy as {
        Configuration: { CustomDataIdentifier: Array<{ Name: string; Regex: string }> };
        Statement: Array<{ DataIdentifier: unknown[]; Operation: Record<string, unknown> }>;
      };
      expect(policy.Configuration.CustomDataIdentifier).toEqual(
        EXECUTION_DATA_PATTERNS.map((pattern) => ({ Name: pattern.name, Regex: pattern.regex })),
      );
      for (const { regex } of EXECUTION_DATA_PATTERNS) expect(regex.length).toBeLessThanOrEqual(200);
      const [audit, redact] = policy.Statement;
      expect(Object.keys(audit?.Operation ?? {})).toEqual(['Audit']);
      expect(redact?.Operation).toEqual({ Deidentify: { MaskConfig: {} } });
      const names = JSON.stringify(redact?.DataIdentifier);
      for (const name of [...EXECUTION_DATA_PATTERNS.map((pattern) => pattern.name), 'data-identifier/EmailAddress']) {
        expect(names).toContain(name);
      }
    });

    test('is traced with X-Ray', () => {
      expect(machine().TracingConfiguration).toEqual({ Enabled: true });
    });

    test('its role may invoke exactly its own functions (unqualified ARNs, no wildcard)', () => {
      const roleArn = machine().RoleArn as { 'Fn::GetAtt': [string, string] };
      const policies = Object.values(resourcesOf(synth().template, 'AWS::IAM::Policy')).filter((policy) =>
        JSON.stringify(policy.Properties.Roles).includes(`"${roleArn['Fn::GetAtt'][0]}"`),
      );
      const statements = policies.flatMap(
        (policy) =>
          (policy.Properties.PolicyDocument as { Statement: Array<{ Action: unknown; Resource: unknown }> }).Statement,
      );
      const invoke = statements.filter((statement) => JSON.stringify(statement.Action).includes('lambda:'));
      expect(invoke).toHaveLength(1);
      expect(invoke[0]?.Action).toBe('lambda:InvokeFunction');
      const arns = (resources: unknown) =>
        ([resources].flat() as unknown[]).map((resource) => JSON.stringify(resource)).sort();
      expect(arns(invoke[0]?.Resource)).toEqual(
        arns(construct().functions.map((f) => ({ 'Fn::GetAtt': [logicalId(synth(), f.fn), 'Arn'] }))),
      );
      expect(
        construct()
          .functions.map((f) => f.definition.name)
          .sort(),
      ).toEqual(workflow.functions.map((f) => f.name).sort());
    });
  },
);
