import path from 'node:path';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { readPrivateJson, serialisedWriter } from '#local/private-file';

/**
 * Where the local OpenID provider keeps its sessions, grants, codes and tokens: one JSON file under the data dir, so a
 * restart keeps users signed in and their refresh tokens good. oidc-provider's own memory adapter is for development
 * and forgets all of it (and keeps at most 1,000 entries). Each change is written, whole, before the provider answers
 * (it awaits the adapter): a refresh token it hands out is on disk. Expired entries are dropped at each write, so the
 * file holds only what is live (a few KB per signed-in user); a local stack is not a production identity store.
 */
interface Entry {
  payload: AdapterPayload;
  /** Epoch ms; absent: no expiry. */
  expiresAt?: number;
}

export const providerStoreFile = (dataDir: string): string => path.join(dataDir, 'oidc', 'provider-store.json');

export interface ProviderStore {
  /** The adapter factory oidc-provider's `adapter` option takes. */
  adapterFor: (model: string) => Adapter;
}

export const openProviderStore = async (dataDir: string): Promise<ProviderStore> => {
  const file = providerStoreFile(dataDir);
  const stored = await readPrivateJson<Record<string, Entry>>(file, 'delete it (local users sign in again)');
  const entries = new Map<string, Entry>(Object.entries(stored ?? {}));

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const write = serialisedWriter(file);
  const save = (): Promise<void> => {
    const now = Date.now();
    for (const [key, entry] of entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) entries.delete(key);
    }
    return write(JSON.stringify(Object.fromEntries(entries)));
  };

  const adapterFor = (model: string): Adapter => {
    const keyOf = (id: string): string => `${model}:${id}`;
    const findWhere = (matches: (payload: AdapterPayload) => boolean): AdapterPayload | undefined => {
      for (const key of entries.keys()) {
        if (!key.startsWith(`${model}:`)) continue;
        const entry = live(key);
        if (entry && matches(entry.payload)) return entry.payload;
      }
      return undefined;
    };
    return {
      upsert: async (id, payload, expiresIn) => {
        entries.set(keyOf(id), {
          payload,
          ...(typeof expiresIn === 'number' ? { expiresAt: Date.now() + expiresIn * 1000 } : {}),
        });
        await save();
      },
      find: async (id) => live(keyOf(id))?.payload,
      findByUid: async (uid) => findWhere((payload) => payload.uid === uid),
      findByUserCode: async (userCode) => findWhere((payload) => payload.userCode === userCode),
      consume: async (id) => {
        const entry = live(keyOf(id));
        if (!entry) return;
        entry.payload = { ...entry.payload, consumed: Math.floor(Date.now() / 1000) };
        await save();
      },
      destroy: async (id) => {
        entries.delete(keyOf(id));
        await save();
      },
      // Every model's entries of the grant: revoking a refresh token (or reusing a code) revokes its access tokens too.
      revokeByGrantId: async (grantId) => {
        for (const [key, entry] of entries) if (entry.payload.grantId === grantId) entries.delete(key);
        await save();
      },
    };
  };

  return { adapterFor };
};
