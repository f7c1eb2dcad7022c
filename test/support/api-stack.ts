import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';

/**
 * One default local stack (as `npm start` runs it) for the e2e modules gathered in test/e2e/api.test.ts: each asks
 * for it in its beforeAll, the first ask starts it, and the gathering file stops it once all are done. Their tests
 * each sign fresh users in and write fresh ids, so they never see each other's data.
 */
let started: Promise<RunningLocalStack> | undefined;

export const sharedApiStack = (): Promise<RunningLocalStack> => (started ??= startLocalStack());

export const stopSharedApiStack = async (): Promise<void> => {
  const stack = await started?.catch(() => undefined);
  started = undefined;
  await stack?.stop();
};

/** What the stack prints from now on: a test's log check sees what its own requests caused, not its neighbours'. */
export const outputFromNow = (stack: RunningLocalStack): (() => string) => {
  const from = stack.output().length;
  return () => stack.output().slice(from);
};
