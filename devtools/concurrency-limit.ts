/** Runs a task when one of the limit's slots is free; resolves or rejects as the task does. */
export type ConcurrencyLimit = <T>(task: () => Promise<T>) => Promise<T>;

/** Runs at most `limit` of the tasks given it at once, the others in the order they came. */
export const concurrencyLimit = (limit: number): ConcurrencyLimit => {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    // A finished task hands its slot to the first waiter, so no newcomer can slip in between.
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
};
