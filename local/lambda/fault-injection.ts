import type { LambdaHandler } from '#local/lambda/lambda-runtime';

/**
 * Injected handler faults, for tests and demos of the ASL's Retry and Catch: a handler that
 * fails `times` times with an error of the given name, then behaves. The running stack takes
 * them from LOCAL_INJECT_FAULTS, e.g. `StorePayment:TypeError` (every call) or
 * `CheckIdempotency:Lambda.ServiceException:2` (the first two calls); several are comma-separated.
 */
export const failingFirst =
  (times: number, errorName: string) =>
  (handler: LambdaHandler): LambdaHandler => {
    let failures = 0;
    return async (event, context) => {
      if (failures < times) {
        failures += 1;
        const error = new Error(`Injected fault ${failures} of ${times === Infinity ? 'every call' : times}`);
        error.name = errorName;
        throw error;
      }
      return handler(event, context);
    };
  };

export interface InjectedFault {
  functionName: string;
  errorName: string;
  times: number;
}

/** `Fn:ErrorName[:times]`, comma-separated; a wrong entry stops the stack rather than being ignored. */
export const parseInjectedFaults = (setting: string | undefined): InjectedFault[] =>
  (setting ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const match = /^(\w+):([\w.]+)(?::(\d+))?$/.exec(entry);
      if (!match) throw new Error(`LOCAL_INJECT_FAULTS: "${entry}" is not FunctionName:ErrorName[:times]`);
      return {
        functionName: match[1]!,
        errorName: match[2]!,
        times: match[3] === undefined ? Infinity : Number(match[3]),
      };
    });
