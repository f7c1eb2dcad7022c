import { type AslDefinition, readDefinitionText, substituteDefinition } from '#local/step-functions/asl';

export const FAKE_FUNCTION_ARN = 'arn:aws:lambda:eu-west-2:123456789012:function:fake';

/** A workflow's ASL file with every `${Placeholder}` replaced by one fake Lambda ARN (for tests that only read it). */
export const definitionWithFakeArns = (definitionFile: string): AslDefinition => {
  const text = readDefinitionText(definitionFile);
  const placeholders = [...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1] as string);
  return JSON.parse(
    substituteDefinition(text, Object.fromEntries(placeholders.map((name) => [name, FAKE_FUNCTION_ARN]))),
  ) as AslDefinition;
};
