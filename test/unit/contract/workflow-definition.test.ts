import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SUBMIT_PAYMENT_BATCH_WORKFLOW, SUBMIT_PAYMENT_WORKFLOW } from '#contract/workflows';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { ITEM_PROCESSOR_PLACEHOLDER, composeDefinition, workflowDefinitionText } from '#contract/workflow-definition';

const fileOf = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, file), 'utf8')) as Record<string, unknown>;

type Definition = { StartAt: string; States: Record<string, Record<string, unknown>> };

describe('the batch workflow, composed (what CDK deploys and the local stack runs)', () => {
  const composed = JSON.parse(workflowDefinitionText(SUBMIT_PAYMENT_BATCH_WORKFLOW)) as Definition;
  const single = fileOf(SUBMIT_PAYMENT_WORKFLOW.definitionFile) as Definition;
  const file = fileOf(SUBMIT_PAYMENT_BATCH_WORKFLOW.definitionFile) as Definition;

  test("its Map's ItemProcessor is the submit-payment workflow's StartAt and States, exactly", () => {
    const processor = composed.States.SubmitEachPayment!.ItemProcessor as Definition & { ProcessorConfig: unknown };
    expect(processor.ProcessorConfig).toEqual({ Mode: 'INLINE' });
    expect({ StartAt: processor.StartAt, States: processor.States }).toEqual({
      StartAt: single.StartAt,
      States: single.States,
    });
  });

  test('everything else is the batch file as written: the per-item states are not copied into it', () => {
    const { SubmitEachPayment: map, ...batchLevel } = composed.States;
    const { SubmitEachPayment: placeholder, ...written } = file.States;
    expect(batchLevel).toEqual(written);
    const { ItemProcessor: _composed, ...mapFields } = map!;
    const { ItemProcessor: _placeholder, ...placeholderFields } = placeholder!;
    expect(mapFields).toEqual(placeholderFields);
    expect(Object.keys((placeholder!.ItemProcessor as Definition).States)).toEqual([ITEM_PROCESSOR_PLACEHOLDER]);
    expect(JSON.stringify(file)).not.toContain('"ValidatePayment"');
  });

  test('a definition without the placeholder, or whose state names clash, is refused', () => {
    const singleText = JSON.stringify(single);
    expect(() => composeDefinition(singleText, singleText)).toThrow(/Expected one Map/);
    const clashing = {
      ...file,
      States: { ...file.States, ValidatePayment: { Type: 'Pass', End: true } },
    };
    expect(() => composeDefinition(JSON.stringify(clashing), singleText)).toThrow(/ValidatePayment is in both/);
  });

  test('a workflow without an item processor is its file, as written', () => {
    expect(workflowDefinitionText(SUBMIT_PAYMENT_WORKFLOW)).toBe(
      readFileSync(path.join(REPOSITORY_ROOT, SUBMIT_PAYMENT_WORKFLOW.definitionFile), 'utf8'),
    );
  });
});
