import { readdirSync } from 'node:fs';
import { checkedDefinitions } from '#local/step-functions/checked-definitions';
import { LocalWorkflow } from '#local/step-functions/workflow-runner';
import { scratchDir } from '../../../support/scratch-dir';

const valid = () => ({
  StartAt: 'Done',
  States: { Done: { Type: 'Pass', End: true } },
});
/** A Pass state that names a state that does not exist: asl-validator refuses it. */
const invalid = () => ({
  StartAt: 'Done',
  States: { Done: { Type: 'Pass', Next: 'Nowhere' } },
});

const workflowOf = (definition: object, dir: string) =>
  new LocalWorkflow({
    workflow: { name: 'Checked', definitionFile: 'none.asl.json', type: 'EXPRESS' },
    functions: [],
    definition: definition as never,
    checkedDefinitions: checkedDefinitions('checks', dir),
  });

describe('definitions that passed the interpreter check (kept by content hash)', () => {
  test('a pass is known to a later process (a new instance over the same folder), not before it is remembered', () => {
    const dir = scratchDir('asl-verdicts-');
    const first = checkedDefinitions('checks', dir).verdictOf(valid());
    expect(first.passedBefore).toBe(false);
    expect(checkedDefinitions('checks', dir).verdictOf(valid()).passedBefore).toBe(false);

    first.remember();

    expect(checkedDefinitions('checks', dir).verdictOf(valid()).passedBefore).toBe(true);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  test('another definition, or the same one under other check options, is not taken as passed', () => {
    const dir = scratchDir('asl-verdicts-');
    checkedDefinitions('checks', dir).verdictOf(valid()).remember();

    const changed = { ...valid(), Comment: 'changed' };
    expect(checkedDefinitions('checks', dir).verdictOf(changed).passedBefore).toBe(false);
    expect(checkedDefinitions('other checks', dir).verdictOf(valid()).passedBefore).toBe(false);
  });

  test('the key is the definition as it was asked about, before the check added fields to it', () => {
    const dir = scratchDir('asl-verdicts-');
    const definition = valid();
    const verdict = checkedDefinitions('checks', dir).verdictOf(definition);
    (definition.States.Done as Record<string, unknown>).QueryLanguage = 'JSONPath';
    verdict.remember();

    expect(checkedDefinitions('checks', dir).verdictOf(valid()).passedBefore).toBe(true);
  });

  test('LocalWorkflow: an invalid definition is refused every time (never kept); a valid one is kept', () => {
    const dir = scratchDir('asl-verdicts-');
    expect(() => workflowOf(invalid(), dir)).toThrow(/invalid/);
    expect(() => workflowOf(invalid(), dir)).toThrow(/invalid/);
    expect(readdirSync(dir, { withFileTypes: true }).length).toBe(0);

    workflowOf(valid(), dir);
    expect(checkedDefinitions('checks', dir).verdictOf(valid()).passedBefore).toBe(true);
  });

  test('LocalWorkflow: a definition with a pass on record is not checked again', () => {
    const dir = scratchDir('asl-verdicts-');
    // A verdict on record for a definition the check would refuse: building it proves the check was skipped.
    checkedDefinitions('checks', dir).verdictOf(invalid()).remember();

    expect(() => workflowOf(invalid(), dir)).not.toThrow();
  });
});
