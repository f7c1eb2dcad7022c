import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A file only its owner reads (mode 0600, in a 0700 folder: keys, secrets, sessions), replaced whole: written to a
 * temporary file beside it, then renamed over it, so a reader or a crash sees the old content or the new, never half.
 */
export const temporaryFileFor = (file: string): string => `${file}.${process.pid}.${randomUUID()}.tmp`;

export const replacePrivateFile = async (file: string, text: string): Promise<void> => {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = temporaryFileFor(file);
  await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
  await rename(temporary, file);
};
