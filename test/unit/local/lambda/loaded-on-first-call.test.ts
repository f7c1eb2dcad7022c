import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import type { FunctionDefinition } from '#contract/functions';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { loadedOnFirstCall } from '#local/lambda/lambda-runtime';
import { workflowWithHandlers } from '#local/step-functions/workflow-runner';
import { SUBMIT_PAYMENT_WORKFLOW } from '#contract/workflows';
import { scratchDir } from '../../../support/scratch-dir';

declare global {
  var handlerModuleLoads: number | undefined;
}

/** A handler module that counts its loads, and a definition naming it (entries are relative to the repository). */
const countingModule = (): FunctionDefinition => {
  const file = path.join(scratchDir('handler-module-'), 'counting.js');
  writeFileSync(
    file,
    'globalThis.handlerModuleLoads = (globalThis.handlerModuleLoads ?? 0) + 1;\n' +
      'exports.handler = async (event) => ({ echoed: event });\n',
  );
  return { name: 'Counting', entry: path.relative(REPOSITORY_ROOT, file), timeoutSeconds: 3 } as FunctionDefinition;
};
const context = {} as Context;

describe('a handler loaded at its first call (the local stack, as Lambda at a cold start)', () => {
  test('its module is not loaded until the first call, then once for every call', async () => {
    globalThis.handlerModuleLoads = 0;
    const handler = loadedOnFirstCall(countingModule());
    expect(globalThis.handlerModuleLoads).toBe(0);
    expect(await handler('a' as never, context)).toEqual({ echoed: 'a' });
    expect(await handler('b' as never, context)).toEqual({ echoed: 'b' });
    expect(globalThis.handlerModuleLoads).toBe(1);
  });

  test('a module that cannot load fails its first call, not the binding', async () => {
    const missing = {
      name: 'Missing',
      entry: 'lambdas/handlers/no-such-handler.ts',
      timeoutSeconds: 3,
    } as FunctionDefinition;
    const handler = loadedOnFirstCall(missing);
    await expect(handler({} as never, context)).rejects.toThrow(/no-such-handler/);
  });

  test('a workflow loads its functions at once unless told to load them at their first call', () => {
    const broken = {
      ...SUBMIT_PAYMENT_WORKFLOW,
      functions: SUBMIT_PAYMENT_WORKFLOW.functions.map((definition) => ({
        ...definition,
        entry: 'lambdas/handlers/no-such-handler.ts',
      })),
    };
    expect(() => workflowWithHandlers(broken)).toThrow(/no-such-handler/);
    expect(() => workflowWithHandlers(broken, { loadOnFirstCall: true })).not.toThrow();
  });
});
