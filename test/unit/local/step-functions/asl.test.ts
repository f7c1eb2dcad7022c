import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { MONTHLY_REPORT_WORKFLOW, SUBMIT_PAYMENT_BATCH_WORKFLOW, SUBMIT_PAYMENT_WORKFLOW } from '#contract/workflows';
import { workflowDefinitionText } from '#contract/workflow-definition';
import { REPORT_RUN_ERROR_NAMES, WORKFLOW_ERROR_NAMES } from '#domain/errors';
import { type AslDefinition, type AslState, allStates, substituteDefinition } from '#local/step-functions/asl';
import { REPOSITORY_ROOT } from '#contract/repository-root';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (sep?: string) => string;
};

const STATEMACHINES = path.join(REPOSITORY_ROOT, 'statemachines');
const files = readdirSync(STATEMACHINES).filter((file) => file.endsWith('.asl.json'));
const FAKE_ARN = (name: string): string => `arn:aws:lambda:eu-west-2:123456789012:function:${name}`;

const placeholdersOf = (text: string): string[] =>
  [...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string);

describe.each(files)('statemachines/%s', (file) => {
  const text = readFileSync(path.join(STATEMACHINES, file), 'utf8');
  const substituted = JSON.parse(
    substituteDefinition(text, Object.fromEntries(placeholdersOf(text).map((name) => [name, FAKE_ARN(name)]))),
  ) as AslDefinition;

  test('is valid Amazon States Language (asl-validator, ARN and path checks on)', () => {
    const result = aslValidator(substituted);
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  test('routes only on States.*, Lambda.* or our typed error names', () => {
    const routed = allStates(substituted).flatMap(([, state]) =>
      [
        ...((state.Retry as Array<{ ErrorEquals: string[] }>) ?? []),
        ...((state.Catch as Array<{ ErrorEquals: string[] }>) ?? []),
      ].flatMap((rule) => rule.ErrorEquals),
    );
    expect(routed.length).toBeGreaterThan(0);
    for (const name of routed) {
      expect(
        name.startsWith('States.') ||
          name.startsWith('Lambda.') ||
          ([...WORKFLOW_ERROR_NAMES, ...REPORT_RUN_ERROR_NAMES] as readonly string[]).includes(name),
      ).toBe(true);
    }
  });

  test('uses JSONPath only (the local interpreter has no JSONata, no Assign)', () => {
    expect(substituted.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    for (const [, state] of allStates(substituted)) {
      expect(state).not.toHaveProperty('Assign');
      expect(state).not.toHaveProperty('Arguments');
    }
  });
});

test.each(
  [SUBMIT_PAYMENT_WORKFLOW, SUBMIT_PAYMENT_BATCH_WORKFLOW, MONTHLY_REPORT_WORKFLOW].map(
    (workflow) => [workflow.name, workflow] as const,
  ),
)(
  'every Task of the %s workflow is bound to a function definition of the same name, and every function is used',
  (_name, workflow) => {
    // As deployed and run: the batch's Map holds the submit-payment states (contract/workflow-definition.ts).
    const text = workflowDefinitionText(workflow);
    expect(new Set(placeholdersOf(text))).toEqual(new Set(workflow.functions.map((fn) => fn.arnPlaceholder)));
    const states = Object.fromEntries(allStates(JSON.parse(text) as AslDefinition));
    for (const fn of workflow.functions) {
      expect(states[fn.name]?.Resource).toBe(`\${${fn.arnPlaceholder}}`);
    }
  },
);

test('the monthly-report workflow is Standard; its two shard Maps are Distributed, with Standard children and bounded concurrency; the reports tolerate failures, the parts none', () => {
  expect(MONTHLY_REPORT_WORKFLOW.type).toBe('STANDARD');
  const text = readFileSync(path.join(REPOSITORY_ROOT, MONTHLY_REPORT_WORKFLOW.definitionFile), 'utf8');
  const maps = allStates(JSON.parse(text) as AslDefinition).filter(([, state]) => state.Type === 'Map');
  expect(maps.map(([name]) => name)).toEqual(['ReportShards', 'FurnishShards', 'FurnishBureaus']);
  const [[, reports], [, parts]] = maps as [[string, AslState], [string, AslState]];
  expect(reports.MaxConcurrency).toBe(64);
  expect(reports.ToleratedFailurePercentage).toBe(100);
  // A missing part must not make a file (decision 0023): any failed shard fails the map.
  expect(parts.MaxConcurrency).toBe(16);
  expect(parts).not.toHaveProperty('ToleratedFailurePercentage');
  for (const map of [reports, parts]) {
    expect((map.ItemProcessor as { ProcessorConfig?: unknown }).ProcessorConfig).toEqual({
      Mode: 'DISTRIBUTED',
      ExecutionType: 'STANDARD',
    });
    // Nothing the local interpreter would ignore: the items are the state's own array, unbatched.
    for (const ignored of ['ItemReader', 'ItemBatcher', 'ResultWriter']) expect(map).not.toHaveProperty(ignored);
  }
});

test("the bureaus' Map (decision 0023): inline over the run's bureaus, all at once, one FurnishBureau of 15 minutes each, no failure tolerated; then the erasures", () => {
  const definition = JSON.parse(
    readFileSync(path.join(REPOSITORY_ROOT, MONTHLY_REPORT_WORKFLOW.definitionFile), 'utf8'),
  ) as AslDefinition;
  const bureaus = definition.States.FurnishBureaus!;
  // MaxConcurrency 0: no limit, so as many at once as there are bureaus (each its own invocation's 900 s).
  expect(bureaus).toMatchObject({ ItemsPath: '$.run.bureaus', MaxConcurrency: 0, Next: 'MarkErasuresFurnished' });
  expect(bureaus).not.toHaveProperty('ToleratedFailurePercentage');
  const processor = bureaus.ItemProcessor as AslDefinition & { ProcessorConfig: unknown };
  expect(processor.ProcessorConfig).toEqual({ Mode: 'INLINE' });
  expect(processor.States.FurnishBureau).toMatchObject({ Type: 'Task', TimeoutSeconds: 900, End: true });
  expect(definition.States.MarkErasuresFurnished).toMatchObject({ Type: 'Task', Next: 'WriteSummary' });
});

test('every typed error the handlers throw is routed somewhere in the submit-payment workflows', () => {
  const text = workflowDefinitionText(SUBMIT_PAYMENT_BATCH_WORKFLOW);
  for (const name of WORKFLOW_ERROR_NAMES) {
    expect(text).toContain(`"${name}"`);
  }
});

test('the composed batch workflow is valid ASL too, its Map inline with bounded concurrency (decision 0013)', () => {
  const text = workflowDefinitionText(SUBMIT_PAYMENT_BATCH_WORKFLOW);
  const composed = JSON.parse(
    substituteDefinition(text, Object.fromEntries(placeholdersOf(text).map((name) => [name, FAKE_ARN(name)]))),
  ) as AslDefinition;
  const result = aslValidator(composed);
  expect(result.errorsText('\n')).toBe('');
  const map = composed.States.SubmitEachPayment!;
  // Inline Maps run at most 40 iterations at once; 10 keeps 100 payments inside API Gateway's 29 s.
  expect(map.MaxConcurrency).toBe(10);
  expect(composed.TimeoutSeconds).toBeLessThan(29);
});
