/**
 * The one "ask again until it holds, or give up at a deadline" of the tests and their tools: for what cannot be
 * awaited as an event (another process's output or exit, a page's navigation, an HTTP answer).
 */
export interface Polling {
  /** Give up after this long. */
  timeoutMs: number;
  /** Between two asks (default 100 ms). */
  intervalMs?: number;
  /** The error's message when the deadline passes: what never happened (and what was seen instead). */
  failure: () => string | Promise<string>;
}

/** Resolves with the first answer of `probe` that is not undefined; rejects with `failure()` after `timeoutMs`. */
export const pollFor = async <T>(
  probe: () => T | undefined | Promise<T | undefined>,
  { timeoutMs, intervalMs = 100, failure }: Polling,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await probe();
    if (answer !== undefined) return answer;
    if (Date.now() > deadline) throw new Error(await failure());
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
};

/** Resolves once `condition` holds; rejects with `failure()` after `timeoutMs`. */
export const pollUntil = async (condition: () => boolean | Promise<boolean>, polling: Polling): Promise<void> => {
  await pollFor(async () => ((await condition()) ? true : undefined), polling);
};
