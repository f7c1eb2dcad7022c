import { SessionEndedError, type SessionStore, sessionKeeper } from '#web/app/session-keeper';

/**
 * The web app's session keeper (web/app/session-keeper.ts): a due session is refreshed before it is handed out, and
 * concurrent callers share the one refresh in flight, because a rotated refresh token used twice revokes the sign-in.
 */
interface TestSession {
  token: string;
  refreshAfter: number;
}

const NOW = 1_000_000;

const memoryStore = (initial?: TestSession) => {
  let stored = initial;
  const store: SessionStore<TestSession> = {
    read: () => stored,
    write: (session) => {
      stored = session;
    },
    clear: () => {
      stored = undefined;
    },
  };
  return { store, stored: () => stored };
};

interface PendingRefresh {
  resolve: (session: TestSession) => void;
  reject: (error: Error) => void;
}

/** A refresh the test answers when it chooses, counting the refresh requests made. */
const controlledRefresh = () => {
  const calls: TestSession[] = [];
  const pending: PendingRefresh[] = [];
  const refresh = (session: TestSession): Promise<TestSession> => {
    calls.push(session);
    return new Promise<TestSession>((resolve, reject) => pending.push({ resolve, reject }));
  };
  return { refresh, calls, pending };
};

const keeperWith = (initial: TestSession | undefined) => {
  const memory = memoryStore(initial);
  const refresh = controlledRefresh();
  let ended = 0;
  const keeper = sessionKeeper({
    store: memory.store,
    refresh: refresh.refresh,
    onEnded: () => {
      ended += 1;
    },
    now: () => NOW,
  });
  return { keeper, memory, refresh, ended: () => ended };
};

const due = { token: 'old', refreshAfter: NOW - 1 };
const renewed = { token: 'new', refreshAfter: NOW + 60_000 };

describe('sessionKeeper (web/app/session-keeper.ts)', () => {
  test('a session not yet due is handed out as it is: no refresh', async () => {
    const fresh = { token: 'fresh', refreshAfter: NOW + 1 };
    const { keeper, refresh } = keeperWith(fresh);
    expect(await keeper.current()).toBe(fresh);
    expect(refresh.calls).toHaveLength(0);
  });

  test('no session: none, and nothing asked of the provider', async () => {
    const { keeper, refresh, ended } = keeperWith(undefined);
    expect(await keeper.current()).toBeUndefined();
    expect(refresh.calls).toHaveLength(0);
    expect(ended()).toBe(0);
  });

  test('two concurrent callers of a due session: one refresh request, both get the refreshed session, stored', async () => {
    const { keeper, memory, refresh } = keeperWith(due);
    const first = keeper.current();
    const second = keeper.current();
    // A third caller arrives while the refresh is still in flight (after the first has started it).
    await Promise.resolve();
    const third = keeper.current();
    expect(refresh.calls).toEqual([due]);
    refresh.pending[0]!.resolve(renewed);
    expect(await Promise.all([first, second, third])).toEqual([renewed, renewed, renewed]);
    expect(refresh.calls).toHaveLength(1);
    expect(memory.stored()).toEqual(renewed);
  });

  test('once a refresh has settled, the next due session starts a new one', async () => {
    const { keeper, memory, refresh } = keeperWith(due);
    const first = keeper.current();
    refresh.pending[0]!.resolve({ token: 'short', refreshAfter: NOW - 1 });
    await first;
    const second = keeper.current();
    expect(refresh.calls.map((session) => session.token)).toEqual(['old', 'short']);
    refresh.pending[1]!.resolve(renewed);
    expect(await second).toEqual(renewed);
    expect(memory.stored()).toEqual(renewed);
  });

  test('a refused refresh ends the session once for every caller: cleared, told once, none handed out', async () => {
    const { keeper, memory, refresh, ended } = keeperWith(due);
    const callers = [keeper.current(), keeper.current()];
    refresh.pending[0]!.reject(new SessionEndedError('invalid_grant'));
    expect(await Promise.all(callers)).toEqual([undefined, undefined]);
    expect(refresh.calls).toHaveLength(1);
    expect(memory.stored()).toBeUndefined();
    expect(ended()).toBe(1);
    // Afterwards: no session, and no more refresh requests.
    expect(await keeper.current()).toBeUndefined();
    expect(refresh.calls).toHaveLength(1);
  });

  test('a failure that is not a refusal (the network) keeps the session: the callers fail, the next use retries', async () => {
    const { keeper, memory, refresh, ended } = keeperWith(due);
    const callers = [keeper.current(), keeper.current()];
    refresh.pending[0]!.reject(new TypeError('Failed to fetch'));
    for (const caller of callers) await expect(caller).rejects.toThrow('Failed to fetch');
    expect(memory.stored()).toEqual(due);
    expect(ended()).toBe(0);
    const again = keeper.current();
    refresh.pending[1]!.resolve(renewed);
    expect(await again).toEqual(renewed);
  });

  test('end(): the API refused the token; the session is cleared and the app told', async () => {
    const { keeper, memory, ended } = keeperWith(renewed);
    keeper.end();
    expect(memory.stored()).toBeUndefined();
    expect(ended()).toBe(1);
    expect(await keeper.current()).toBeUndefined();
  });
});
