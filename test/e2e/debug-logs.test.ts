/**
 * The e2e files that each started a local stack at DEBUG to check what it prints (and what its executions keep),
 * gathered into one jest file so they share one start (support/debug-stack.ts), as api.test.ts does. Each module
 * checks values of its own, which no other request can carry.
 */
import { stopSharedDebugStack } from '../support/debug-stack';
import './debug-logs/identity';
import './debug-logs/log-hygiene';

afterAll(stopSharedDebugStack);
