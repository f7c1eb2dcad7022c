import type { RunningLocalStack } from '#devtools/local-stack-process';
import { gatheredStack } from './gathered';

/**
 * One default local stack (as `npm start` runs it) for the e2e modules gathered in test/e2e/api.test.ts. Their tests
 * each sign fresh users in and write fresh ids, so they never see each other's data.
 */
const apiStack = gatheredStack();
export const sharedApiStack = apiStack.get;
export const stopSharedApiStack = apiStack.stop;

/** What the stack prints from now on: a test's log check sees what its own requests caused, not its neighbours'. */
export const outputFromNow = (stack: RunningLocalStack): (() => string) => {
  const from = stack.output().length;
  return () => stack.output().slice(from);
};
