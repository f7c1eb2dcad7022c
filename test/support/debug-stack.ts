import { gatheredStack } from './gathered';

/**
 * One local stack logging at DEBUG for the e2e modules gathered in test/e2e/debug-logs.test.ts: each checks that
 * values of its own (random, so none can appear by chance) are in no line the stack prints.
 */
const debugStack = gatheredStack({ env: { LOG_LEVEL: 'DEBUG' } });
export const sharedDebugStack = debugStack.get;
export const stopSharedDebugStack = debugStack.stop;
