/**
 * Keeps a signed-in session's access token fresh: a session past its `refreshAfter` is refreshed before it is handed
 * out, and concurrent callers (a month's two reads, a submission at the same moment) share the one refresh in flight.
 * Refresh tokens are rotated: two refreshes with the same refresh token would see the second refused as a replay, and
 * the provider then revokes the whole grant (OAuth 2.0 security BCP), so the customer would be signed out by their
 * own app. Nothing here knows OAuth or the browser: the refresh and the storage are given (sign-in.ts gives them).
 */
export interface RefreshableSession {
  /** Epoch ms from which the session is refreshed before use: a little before its access token expires. */
  refreshAfter: number;
}

/** The provider refused to refresh the session (its refresh token revoked, expired or already used): it is over. */
export class SessionEndedError extends Error {
  override readonly name = 'SessionEndedError';
}

export interface SessionStore<S> {
  read: () => S | undefined;
  write: (session: S) => void;
  clear: () => void;
}

export interface SessionKeeperOptions<S extends RefreshableSession> {
  store: SessionStore<S>;
  /** The refreshed session; rejects with SessionEndedError when the provider refuses, with anything else when unsure. */
  refresh: (session: S) => Promise<S>;
  /** Told once a refusal has cleared the session (and on end()): the app shows that the session has ended. */
  onEnded: () => void;
  now?: () => number;
}

export interface SessionKeeper<S> {
  /** The session, refreshed first when due; none when there is none or its refresh was refused. */
  current: () => Promise<S | undefined>;
  /** Ends the session here (the API refused its token): cleared, and onEnded told. */
  end: () => void;
}

export const sessionKeeper = <S extends RefreshableSession>(options: SessionKeeperOptions<S>): SessionKeeper<S> => {
  const { store, refresh, onEnded, now = Date.now } = options;
  let inFlight: Promise<S | undefined> | undefined;

  const end = (): void => {
    store.clear();
    onEnded();
  };

  const refreshed = async (session: S): Promise<S | undefined> => {
    try {
      const next = await refresh(session);
      store.write(next);
      return next;
    } catch (error) {
      // A network failure or a 5xx says nothing about the session: it stays, and the next use tries again.
      if (!(error instanceof SessionEndedError)) throw error;
      end();
      return undefined;
    }
  };

  const current = async (): Promise<S | undefined> => {
    // A caller arriving while a refresh is in flight waits for it: the stored session is the one being replaced.
    if (inFlight) return inFlight;
    const stored = store.read();
    if (!stored || now() < stored.refreshAfter) return stored;
    inFlight = refreshed(stored).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  return { current, end };
};
