import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SUBMIT_PAYMENT_WORKFLOW } from '#contract/functions';
import { substituteDefinition } from '#local/asl';
import { REPOSITORY_ROOT, STAGES, logicalId, onlyResource, resourcesOf, stageSetting, synthesized } from './support/synth';

const ASL_TEXT = readFileSync(path.join(REPOSITORY_ROOT, SUBMIT_PAYMENT_WORKFLOW.definitionFile), 'utf8');
/** Stands for what CloudFormation substitutes: a function ARN, named after the resource it points at. */
const arnOf = (logical: string) => `arn:aws:lambda:eu-west-2:123456789012:function:${logical}`;

describe.each(STAGES)('the submit-payment state machine (stage %s)', (stage) => {
  const synth = () => synthesized(stage);
  const machine = () => onlyResource(synth().template, 'AWS::StepFunctions::StateMachine').Properties;

  test('is an Express state machine', () => {
    expect(machine().StateMachineType).toBe('EXPRESS');
  });

  test('its definition is the ASL file with each function ARN substituted by CloudFormation', () => {
    const substitutions = machine().DefinitionSubstitutions as Record<string, { 'Fn::GetAtt': [string, string] }>;
    // Each placeholder is bound to the ARN of the function the shared contract names for it.
    const expectedTargets = Object.fromEntries(
      synth().stack.functions.map((f) => [f.definition.arnPlaceholder, { 'Fn::GetAtt': [logicalId(synth(), f.fn), 'Arn'] }]),
    );
    expect(substitutions).toEqual(expectedTargets);
    expect(Object.keys(substitutions).sort()).toEqual(SUBMIT_PAYMENT_WORKFLOW.functions.map((f) => f.arnPlaceholder).sort());

    const arns = Object.fromEntries(Object.entries(substitutions).map(([placeholder, ref]) => [placeholder, arnOf(ref['Fn::GetAtt'][0])]));
    const deployed = JSON.parse(substituteDefinition(machine().DefinitionString as string, arns)) as unknown;
    const expected = JSON.parse(
      substituteDefinition(
        ASL_TEXT,
        Object.fromEntries(synth().stack.functions.map((f) => [f.definition.arnPlaceholder, arnOf(logicalId(synth(), f.fn))])),
      ),
    ) as { States: Record<string, { Resource?: string }> };
    expect(deployed).toEqual(expected);
    // And the file is deployed as it is: same text, not rebuilt or reformatted.
    expect(machine().DefinitionString).toBe(ASL_TEXT);
    for (const f of synth().stack.functions) {
      expect(expected.States[f.definition.name]?.Resource).toBe(arnOf(logicalId(synth(), f.fn)));
    }
  });

  test('logs every execution at level ALL with its data, to a KMS-encrypted log group with retention', () => {
    const logGroupId = logicalId(synth(), synth().stack.workflow.logGroup);
    expect(machine().LoggingConfiguration).toEqual({
      Level: 'ALL',
      IncludeExecutionData: true,
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }],
    });
    const logGroup = resourcesOf(synth().template, 'AWS::Logs::LogGroup')[logGroupId]?.Properties;
    expect(logGroup).toMatchObject({
      RetentionInDays: stageSetting(stage, 'logRetentionDays'),
      KmsKeyId: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
    });
    expect(JSON.stringify(logGroup?.LogGroupName)).toContain('/aws/vendedlogs/states/');
  });

  test('is traced with X-Ray', () => {
    expect(machine().TracingConfiguration).toEqual({ Enabled: true });
  });

  test('its role may invoke exactly its four functions (unqualified ARNs, no wildcard)', () => {
    const roleArn = machine().RoleArn as { 'Fn::GetAtt': [string, string] };
    const policies = Object.values(resourcesOf(synth().template, 'AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties.Roles).includes(`"${roleArn['Fn::GetAtt'][0]}"`),
    );
    const statements = policies.flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Array<{ Action: unknown; Resource: unknown }> }).Statement);
    const invoke = statements.filter((statement) => JSON.stringify(statement.Action).includes('lambda:'));
    expect(invoke).toHaveLength(1);
    expect(invoke[0]?.Action).toBe('lambda:InvokeFunction');
    const arns = (resources: unknown) => ([resources].flat() as unknown[]).map((resource) => JSON.stringify(resource)).sort();
    expect(arns(invoke[0]?.Resource)).toEqual(arns(synth().stack.functions.map((f) => ({ 'Fn::GetAtt': [logicalId(synth(), f.fn), 'Arn'] }))));
  });
});
