import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import type { FunctionDefinition } from '#contract/functions';
import { REPOSITORY_ROOT } from '#contract/repository-root';

export type LambdaHandler = (event: never, context: Context) => Promise<unknown>;

/**
 * Loads a handler module named by the shared function definitions: the same code Lambda runs.
 * `exportName` picks another export: a streaming function's `answer` (see FunctionDefinition).
 */
export const loadHandler = (definition: FunctionDefinition, exportName = 'handler'): LambdaHandler => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(path.join(REPOSITORY_ROOT, definition.entry)) as Record<string, LambdaHandler | undefined>;
  const handler = module[exportName];
  if (typeof handler !== 'function') {
    throw new Error(`${definition.entry} does not export ${exportName === 'handler' ? 'a handler' : exportName}`);
  }
  return handler;
};

/**
 * The handler, its module loaded at its first call: Lambda, too, runs a function's module at its first (cold)
 * invocation. A stack then serves at once and never loads the modules of the functions nobody calls.
 */
export const loadedOnFirstCall = (definition: FunctionDefinition, exportName = 'handler'): LambdaHandler => {
  let handler: LambdaHandler | undefined;
  return async (event, context) => (handler ??= loadHandler(definition, exportName))(event, context);
};

/**
 * The timeout a local function's context reports: its own, or `capSeconds` when shorter (LOCAL_LAMBDA_TIMEOUT_SECONDS,
 * read with the stack's settings). Only Powertools reads it, for how long an IN_PROGRESS idempotency record holds:
 * tests of a crash set it short.
 */
export const localTimeoutSeconds = (definition: FunctionDefinition, capSeconds?: number): number =>
  Math.min(definition.timeoutSeconds, capSeconds ?? Infinity);

/** What Lambda gives a handler, as far as our handlers and Powertools use it. */
export const createLambdaContext = (
  definition: FunctionDefinition,
  functionNamePrefix: string,
  timeoutCapSeconds?: number,
): Context => {
  const deadline = Date.now() + localTimeoutSeconds(definition, timeoutCapSeconds) * 1000;
  const functionName = `${functionNamePrefix}${definition.name}`;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
};

/**
 * Lambda reports a handler's error to Step Functions as Error = error type and Cause = a JSON
 * document {errorType, errorMessage, trace}; the local interpreter uses `name` and `message`.
 * Shaping the error the way Lambda does lets one ASL parse causes in both runtimes.
 */
export const asLambdaInvocationError = (error: unknown): Error => {
  const original = error instanceof Error ? error : new Error(String(error));
  const invocationError = new Error(
    JSON.stringify({
      errorType: original.name,
      errorMessage: original.message,
      trace: (original.stack ?? '').split('\n'),
    }),
  );
  invocationError.name = original.name;
  return invocationError;
};

export interface LocalFunction {
  definition: FunctionDefinition;
  invoke: (event: unknown) => Promise<unknown>;
}

export interface LocalFunctionOptions {
  functionNamePrefix?: string;
  /** LOCAL_LAMBDA_TIMEOUT_SECONDS: caps the timeout the context reports (localTimeoutSeconds). */
  timeoutCapSeconds?: number;
}

/** A handler bound as a local "function": fresh context per invocation, Lambda-shaped errors. */
export const bindLocalFunction = (
  definition: FunctionDefinition,
  handler: LambdaHandler = loadHandler(definition),
  { functionNamePrefix = 'payments-tracker-local-', timeoutCapSeconds }: LocalFunctionOptions = {},
): LocalFunction => ({
  definition,
  invoke: async (event) => {
    try {
      return await handler(event as never, createLambdaContext(definition, functionNamePrefix, timeoutCapSeconds));
    } catch (error) {
      throw asLambdaInvocationError(error);
    }
  },
});
