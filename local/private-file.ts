import { replacePrivateFile } from '#adapters/private-file';
import { chmod, lstat, mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';

export { replacePrivateFile, temporaryFileFor } from '#adapters/private-file';

/** Writes one at a time, in the order asked, each the whole file: the last write holds the last state. */
export const serialisedWriter = (file: string): ((text: string) => Promise<void>) => {
  let writes: Promise<void> = Promise.resolve();
  return (text) => {
    writes = writes.then(() => replacePrivateFile(file, text));
    return writes;
  };
};

/**
 * The JSON a private file holds, or undefined when there is none yet. A file that cannot be read or parsed is an
 * error naming it, with `remedy` (what the operator may do: delete it, and what that costs) and the cause.
 */
export const readPrivateJson = async <T>(file: string, remedy: string): Promise<T | undefined> => {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file} is unreadable; ${remedy}`, { cause: error });
  }
};

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * Makes `dir` and everything under it its owner's alone (folders 0700, files 0600), creating `dir` if missing:
 * what an older version or another tool left readable to other local users is closed at the next start.
 * Symbolic links are left alone (chmod would follow them out of the folder).
 */
export const makePrivateTree = async (dir: string): Promise<void> => {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR });
  await chmod(dir, PRIVATE_DIR);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const entryPath = path.join(dir, entry.name);
    if (entry.isDirectory()) await makePrivateTree(entryPath);
    else if (entry.isFile() && ((await lstat(entryPath)).mode & 0o777) !== PRIVATE_FILE) {
      // A file removed meanwhile (a temporary file renamed into place) needs nothing.
      await chmod(entryPath, PRIVATE_FILE).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
  }
};
