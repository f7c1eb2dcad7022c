import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { type FunctionDefinition, SUBMISSION_FUNCTIONS } from '#contract/functions';
import { substituteDefinition } from '#local/step-functions/asl';
import { PROD_SAFE_DEFAULTS } from '../../../infra/config';
import { AslWorkflow, findDistributedMaps } from '../../../infra/constructs/asl-workflow';
import { LambdaBundles } from '../../../infra/constructs/lambda-bundles';
import { PaymentsFunction } from '../../../infra/constructs/payments-function';
import { REPOSITORY_ROOT, STAGES, type Synthesized, logicalId, resourcesOf, synthesized } from '../support/synth';

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown };
type Policy = { Properties: { PolicyName: string; Roles: unknown[]; PolicyDocument: { Statement: Statement[] } } };

/** The policies attached to a role, by logical id. */
const policiesOfRole = (synth: Synthesized, roleId: string): Array<[string, Policy]> =>
  Object.entries(resourcesOf(synth.template, 'AWS::IAM::Policy')).filter(([, policy]) =>
    (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })),
  ) as unknown as Array<[string, Policy]>;

/** `arn:<partition>:states:<region>:<account>:execution:<the state machine's name><suffix>`, as the template joins it. */
const executionArn = (machineId: string, suffix: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':states:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':execution:',
      { 'Fn::GetAtt': [machineId, 'Name'] },
      suffix,
    ],
  ],
});

/** Resources each resource needs first: its Ref and GetAtt targets and its DependsOn. */
const dependencyGraph = (template: Template): Map<string, Set<string>> => {
  const resources = template.toJSON().Resources as Record<string, { DependsOn?: string | string[] }>;
  const graph = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(resources)) {
    const needs = new Set<string>([resource.DependsOn ?? []].flat());
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          if (key === 'Ref' && typeof inner === 'string' && inner in resources) needs.add(inner);
          else if (key === 'Fn::GetAtt') needs.add(([inner].flat()[0] as string).split('.')[0] as string);
          else if (key === 'Fn::Sub') {
            const text = [inner].flat()[0] as string;
            for (const [, name] of text.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g))
              if (name && name in resources) needs.add(name);
            walk(inner);
          } else walk(inner);
        }
      }
    };
    const { DependsOn: _dependsOn, ...rest } = resource;
    walk(rest);
    graph.set(id, needs);
  }
  return graph;
};

/** One dependency cycle of the graph (its resource ids in order), or undefined. */
const findCycle = (graph: Map<string, Set<string>>): string[] | undefined => {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of graph.get(id) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of graph.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
};

describe.each(STAGES)("the monthly report's Distributed Map (stage %s)", (stage) => {
  const synth = () => synthesized(stage);
  const report = () => synth().stack.reportWorkflow;
  const machineId = () => logicalId(synth(), report().stateMachine);
  const machine = () =>
    resourcesOf(synth().template, 'AWS::StepFunctions::StateMachine')[machineId()]?.Properties as Record<
      string,
      unknown
    >;
  const roleId = () => (machine().RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

  test('the deployed definition fans the shards out as a Distributed Map of Standard child executions, 64 at a time, tolerating every failure', () => {
    const substitutions = machine().DefinitionSubstitutions as Record<string, { 'Fn::GetAtt': [string, string] }>;
    const arns = Object.fromEntries(
      Object.entries(substitutions).map(([placeholder, ref]) => [
        placeholder,
        `arn:aws:lambda:eu-west-2:123456789012:function:${ref['Fn::GetAtt'][0]}`,
      ]),
    );
    const deployed = JSON.parse(substituteDefinition(machine().DefinitionString as string, arns)) as {
      States: Record<string, Record<string, unknown>>;
    };
    expect(machine().StateMachineType).toBe('STANDARD');
    const map = deployed.States.ReportShards;
    expect(map).toMatchObject({
      Type: 'Map',
      Label: 'ReportShard',
      MaxConcurrency: 64,
      ToleratedFailurePercentage: 100,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
    });
    // No S3 item reader or result writer: the items are the shard list, and no S3 grant exists for them.
    expect(map?.ItemReader).toBeUndefined();
    expect(map?.ResultWriter).toBeUndefined();
    // The furnishing parts (decision 0023): the same shards, 16 at once, any failure failing the map (no file).
    const parts = deployed.States.FurnishShards;
    expect(parts).toMatchObject({
      Type: 'Map',
      Label: 'FurnishShard',
      MaxConcurrency: 16,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
    });
    expect(parts?.ToleratedFailurePercentage).toBeUndefined();
    expect(parts?.ItemReader).toBeUndefined();
    expect(parts?.ResultWriter).toBeUndefined();
    // The definition's two Distributed Maps.
    expect(findDistributedMaps(deployed).map(({ name, label }) => ({ name, label }))).toEqual([
      { name: 'ReportShards', label: 'ReportShard' },
      { name: 'FurnishShards', label: 'FurnishShard' },
    ]);
  });

  test('its role may start, describe, stop and redrive exactly its own child executions, in a policy of their own', () => {
    const policies = policiesOfRole(synth(), roleId());
    const distributed = policies.filter(([id]) => id === logicalId(synth(), report().distributedMapPolicy as never));
    expect(distributed).toHaveLength(1);
    const [, policy] = distributed[0] as [string, Policy];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'StartItsChildExecutions',
        Effect: 'Allow',
        Action: 'states:StartExecution',
        Resource: { Ref: machineId() },
      },
      {
        Sid: 'WatchItsChildExecutions',
        Effect: 'Allow',
        Action: ['states:DescribeExecution', 'states:StopExecution'],
        Resource: executionArn(machineId(), ':*'),
      },
      {
        Sid: 'RedriveItsMapRuns',
        Effect: 'Allow',
        Action: 'states:RedriveExecution',
        Resource: [executionArn(machineId(), '/FurnishShard:*'), executionArn(machineId(), '/ReportShard:*')],
      },
    ]);
    // Every other policy of the role (the default one, which the state machine depends on) has no states: action.
    for (const [id, other] of policies) {
      if (id === distributed[0]?.[0]) continue;
      expect(JSON.stringify(other.Properties.PolicyDocument)).not.toContain('states:');
    }
  });

  test('the template has no dependency cycle; the state machine does not wait for the policy that names it', () => {
    // The detector itself finds a cycle where there is one.
    expect(
      findCycle(
        new Map([
          ['A', new Set(['B'])],
          ['B', new Set(['C'])],
          ['C', new Set(['A'])],
        ]),
      ),
    ).toEqual(['A', 'B', 'C', 'A']);
    const graph = dependencyGraph(synth().template);
    expect(findCycle(graph)).toBeUndefined();
    const policyId = logicalId(synth(), report().distributedMapPolicy as never);
    expect(graph.get(policyId)).toContain(machineId());
    expect(graph.get(machineId())).not.toContain(policyId);
  });

  test('the submit-payment workflow has no Distributed Map, and so no such policy', () => {
    expect(synth().stack.workflow.distributedMapPolicy).toBeUndefined();
    const submitRole = (
      resourcesOf(synth().template, 'AWS::StepFunctions::StateMachine')[
        logicalId(synth(), synth().stack.workflow.stateMachine)
      ]?.Properties.RoleArn as { 'Fn::GetAtt': [string, string] }
    )['Fn::GetAtt'][0];
    expect(JSON.stringify(policiesOfRole(synth(), submitRole))).not.toContain('states:');
  });
});

describe('Distributed Maps found in any definition', () => {
  const distributed = (label?: string, extra: Record<string, unknown> = {}) => ({
    Type: 'Map',
    ...(label ? { Label: label } : {}),
    ItemProcessor: {
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
      StartAt: 'Done',
      States: { Done: { Type: 'Succeed' } },
    },
    End: true,
    ...extra,
  });

  test('at the top, inside an inline Map, inside a Parallel branch, inside another Distributed Map; inline Maps are not', () => {
    const definition = {
      StartAt: 'Top',
      States: {
        Top: distributed('TopRun'),
        Inline: {
          Type: 'Map',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Nested',
            States: { Nested: distributed('InsideInline') },
          },
        },
        Legacy: { Type: 'Map', Iterator: { StartAt: 'Old', States: { Old: distributed() } } },
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass' } } },
            { StartAt: 'B', States: { B: distributed('InBranch') } },
          ],
        },
        Outer: {
          ...distributed('Outer'),
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED' },
            StartAt: 'Inner',
            States: { Inner: distributed('Inner') },
          },
        },
      },
    };
    expect(
      findDistributedMaps(definition)
        .map(({ name, label }) => `${name}:${label ?? '-'}`)
        .sort(),
    ).toEqual(['Top:TopRun', 'Nested:InsideInline', 'Old:-', 'B:InBranch', 'Outer:Outer', 'Inner:Inner'].sort());
    expect(
      findDistributedMaps({
        StartAt: 'X',
        States: { X: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, States: {} } } },
      }),
    ).toEqual([]);
  });

  describe('the policy AslWorkflow builds from them', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'asl-workflow-'));
    afterAll(() => rmSync(directory, { recursive: true, force: true }));
    const step = SUBMISSION_FUNCTIONS[0] as FunctionDefinition;

    /** A stack with one AslWorkflow over this definition (one task state, so the invoke grant has a function). */
    const build = (states: Record<string, unknown>) => {
      const file = path.join(directory, `${Object.keys(states).join('-')}.asl.json`);
      const task = { Type: 'Task', Resource: `\${${step.arnPlaceholder}}`, End: true };
      writeFileSync(
        file,
        JSON.stringify({ StartAt: 'Step', States: { Step: { ...task, End: undefined, Next: 'Fan' }, ...states } }),
      );
      const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
      const stack = new Stack(app, 'Probe');
      const encryptionKey = new kms.Key(stack, 'Key');
      const config = { ...PROD_SAFE_DEFAULTS, stage: 'probe' };
      const fn = new PaymentsFunction(stack, step.name, {
        definition: step,
        config,
        encryptionKey,
        reserveConcurrency: false,
        bundles: new LambdaBundles([step]),
      });
      const workflow = new AslWorkflow(stack, 'Probe', {
        workflow: {
          name: 'Probe',
          definitionFile: path.relative(REPOSITORY_ROOT, file),
          type: 'STANDARD',
          functions: [step],
        },
        config,
        functions: [fn],
        encryptionKey,
      });
      return { stack, workflow };
    };
    const redriveResources = (states: Record<string, unknown>): string[] => {
      const { stack, workflow } = build(states);
      const policy = Template.fromStack(stack).toJSON().Resources[
        stack.getLogicalId(workflow.distributedMapPolicy?.node.defaultChild as never)
      ] as Policy;
      const redrive = policy.Properties.PolicyDocument.Statement.find(
        (statement) => statement.Sid === 'RedriveItsMapRuns',
      );
      return [redrive?.Resource]
        .flat()
        .map((arn) => (arn as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].at(-1) as string);
    };

    test('one redrive ARN per map run label, nested maps included', () => {
      expect(
        redriveResources({
          Fan: { ...distributed('Outer'), End: undefined, Next: 'Again' },
          Again: { Type: 'Parallel', Branches: [{ StartAt: 'In', States: { In: distributed('Inner') } }], End: true },
        }),
      ).toEqual(['/Outer:*', '/Inner:*']);
    });

    test('a map without a Label: redrive on every map run of the state machine, as CDK grants it', () => {
      expect(
        redriveResources({ Fan: { ...distributed('Named'), End: undefined, Next: 'Unnamed' }, Unnamed: distributed() }),
      ).toEqual(['/*:*']);
    });

    test('a Distributed Map reading or writing S3 fails the synth: those grants are not built', () => {
      expect(() =>
        build({
          Fan: distributed('Reads', {
            ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'b', Key: 'k' } },
          }),
        }),
      ).toThrow(/ItemReader or ResultWriter/);
    });

    test('no Distributed Map: no policy', () => {
      expect(build({ Fan: { Type: 'Pass', End: true } }).workflow.distributedMapPolicy).toBeUndefined();
    });
  });
});
