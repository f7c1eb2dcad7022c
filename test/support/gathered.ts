import { type LocalStackOptions, type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';

/**
 * What the modules of one gathering jest file share (a local stack, a browser): each module asks for it in its
 * beforeAll, the first ask starts it, and the gathering file stops it in its afterAll, once every module is done.
 */
export interface Gathered<T> {
  get: () => Promise<T>;
  stop: () => Promise<void>;
}

export const gathered = <T>(start: () => Promise<T>, stop: (value: T) => Promise<void>): Gathered<T> => {
  let started: Promise<T> | undefined;
  return {
    get: () => (started ??= start()),
    stop: async () => {
      const value = await started?.catch(() => undefined);
      started = undefined;
      if (value !== undefined) await stop(value);
    },
  };
};

/** A local stack started with `options`, shared by the modules of one gathering file. */
export const gatheredStack = (options?: LocalStackOptions): Gathered<RunningLocalStack> =>
  gathered(
    () => startLocalStack(options),
    (stack) => stack.stop(),
  );
