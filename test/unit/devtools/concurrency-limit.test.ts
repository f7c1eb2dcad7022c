import { concurrencyLimit } from '#devtools/concurrency-limit';

/** A task that runs until the test releases it, recording when it started. */
const gate = (started: string[], name: string) => {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return {
    release: () => release(),
    task: async () => {
      started.push(name);
      await done;
      return name;
    },
  };
};

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('concurrencyLimit', () => {
  test('runs at most `limit` tasks at once, the others in the order they came', async () => {
    const limit = concurrencyLimit(2);
    const started: string[] = [];
    const tasks = ['a', 'b', 'c', 'd'].map((name) => gate(started, name));
    const results = tasks.map(({ task }) => limit(task));
    await settle();
    expect(started).toEqual(['a', 'b']);
    tasks[1]!.release();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    tasks[0]!.release();
    await settle();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    tasks[2]!.release();
    tasks[3]!.release();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd']);
  });

  test('a failed task frees its slot and its caller sees the error', async () => {
    const limit = concurrencyLimit(1);
    const failing = limit(() => Promise.reject(new Error('boom')));
    const next = limit(() => Promise.resolve('next'));
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });
});
