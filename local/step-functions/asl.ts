import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPOSITORY_ROOT } from '#contract/repository-root';

/** An ASL file's text, as CDK reads it: `${Name}` placeholders still in place. */
export const readDefinitionText = (definitionFile: string): string =>
  readFileSync(path.join(REPOSITORY_ROOT, definitionFile), 'utf8');

/** What CloudFormation does with DefinitionSubstitutions; every placeholder must be given. */
export const substituteDefinition = (text: string, values: Readonly<Record<string, string>>): string =>
  text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No substitution for \${${name}}`);
    return value;
  });

export interface AslState {
  Type: string;
  Resource?: string;
  Iterator?: AslDefinition;
  ItemProcessor?: AslDefinition;
  Branches?: AslDefinition[];
  [key: string]: unknown;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [key: string]: unknown;
}

/** Every state with its name, including those inside Map and Parallel states. */
export const allStates = (definition: AslDefinition): Array<[string, AslState]> =>
  Object.entries(definition.States).flatMap(([name, state]) => {
    const nested = [state.Iterator, state.ItemProcessor, ...(state.Branches ?? [])].filter(
      (child): child is AslDefinition => child !== undefined,
    );
    return [[name, state] as [string, AslState], ...nested.flatMap(allStates)];
  });
