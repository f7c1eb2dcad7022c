import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import type { WorkflowDefinition } from '#contract/workflows';

/*
 * A workflow's ASL text as CDK deploys it and the local stack runs it: its file in statemachines/, and, for a
 * workflow whose Map runs another workflow's states per item (the batch submission), that workflow's StartAt and
 * States put in the Map's ItemProcessor. The states are written once, in their own file; both runtimes call this.
 */

/** The one state of an ItemProcessor that stands for the composed workflow's states (never run as it is). */
export const ITEM_PROCESSOR_PLACEHOLDER = 'SubmitPaymentStates';

interface Definition {
  StartAt: string;
  States: Record<string, Record<string, unknown> & { ItemProcessor?: Definition & Record<string, unknown> }>;
  [key: string]: unknown;
}

const readText = (file: string): string => readFileSync(path.join(REPOSITORY_ROOT, file), 'utf8');

/**
 * `definition` with `itemProcessor`'s StartAt and States in place of the Map whose ItemProcessor is the placeholder
 * (its ProcessorConfig kept). The composed workflow's own top-level fields (Comment, TimeoutSeconds) stay out: an
 * ItemProcessor has none, and the batch's own timeout bounds every item.
 */
export const composeDefinition = (definitionText: string, itemProcessorText: string): string => {
  const definition = JSON.parse(definitionText) as Definition;
  const { StartAt, States } = JSON.parse(itemProcessorText) as Definition;
  const placeholders = Object.entries(definition.States).filter(
    ([, state]) =>
      state.Type === 'Map' &&
      state.ItemProcessor?.StartAt === ITEM_PROCESSOR_PLACEHOLDER &&
      Object.keys(state.ItemProcessor.States).length === 1,
  );
  if (placeholders.length !== 1) {
    throw new Error(
      `Expected one Map whose ItemProcessor is ${ITEM_PROCESSOR_PLACEHOLDER}, found ${placeholders.length}`,
    );
  }
  const [name, map] = placeholders[0]!;
  const clash = Object.keys(States).find((state) => state in definition.States);
  if (clash) throw new Error(`State ${clash} is in both workflows: state names are unique in a state machine`);
  const composed: Definition = {
    ...definition,
    States: { ...definition.States, [name]: { ...map, ItemProcessor: { ...map.ItemProcessor!, StartAt, States } } },
  };
  return `${JSON.stringify(composed, null, 2)}\n`;
};

/** The workflow's definition text, `${...}` placeholders still in place, composed when it has an item processor. */
export const workflowDefinitionText = (
  workflow: Pick<WorkflowDefinition, 'definitionFile' | 'itemProcessor'>,
): string => {
  const text = readText(workflow.definitionFile);
  return workflow.itemProcessor === undefined
    ? text
    : composeDefinition(text, workflowDefinitionText(workflow.itemProcessor));
};
