import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { readPrivateJson, serialisedWriter } from '#local/private-file';

/**
 * The local user pool's users: any e-mail address signs in (with the password `local`, checked by the sign-in page);
 * on its first sign-in it gets a random UUID v4 `sub`, which it keeps, stored under the data dir. E-mail addresses
 * are matched without regard to case, as the deployed pool (`signInCaseSensitive: false`) matches them.
 */
export interface LocalAccount {
  sub: string;
  email: string;
  createdAt: string;
}

/** The local sign-in rule's one password. */
export const LOCAL_PASSWORD = 'local';

/** RFC 5321's limit on a forward path; a pragmatic shape check (something@something), as a sign-in form makes. */
const MAX_EMAIL_LENGTH = 254;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

export const isEmailAddress = (text: string): boolean =>
  text.length <= MAX_EMAIL_LENGTH && EMAIL_SHAPE.test(text.trim());

export const accountsFile = (dataDir: string): string => path.join(dataDir, 'oidc', 'accounts.json');

const normalised = (email: string): string => email.trim().toLowerCase();

export interface LocalAccounts {
  /** The account of this address, made on its first sign-in. */
  signIn: (email: string) => Promise<LocalAccount>;
  bySub: (sub: string) => Promise<LocalAccount | undefined>;
}

export const openLocalAccounts = async (dataDir: string): Promise<LocalAccounts> => {
  const file = accountsFile(dataDir);
  const byEmail =
    (await readPrivateJson<Record<string, LocalAccount>>(file, 'delete it (the local users get new ids)')) ?? {};
  const write = serialisedWriter(file);
  const save = (): Promise<void> => write(JSON.stringify(byEmail, null, 2));

  return {
    signIn: async (email) => {
      const key = normalised(email);
      const existing = byEmail[key];
      if (existing) return existing;
      const account: LocalAccount = { sub: randomUUID(), email: key, createdAt: new Date().toISOString() };
      byEmail[key] = account;
      // Stored before the sign-in completes: the sub a token names is always found again.
      await save();
      return account;
    },
    bySub: async (sub) => Object.values(byEmail).find((account) => account.sub === sub),
  };
};
