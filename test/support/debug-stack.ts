import { startLocalStack } from '#devtools/local-stack-process';
import { gathered } from './gathered';

/**
 * One local stack logging at DEBUG for the e2e modules gathered in test/e2e/debug-logs.test.ts: each checks that
 * values of its own (random, so none can appear by chance) are in no line the stack prints.
 */
const debugStack = gathered(
  () => startLocalStack({ env: { LOG_LEVEL: 'DEBUG' } }),
  (stack) => stack.stop(),
);
export const sharedDebugStack = debugStack.get;
export const stopSharedDebugStack = debugStack.stop;
