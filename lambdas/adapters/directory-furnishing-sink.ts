import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import type { FurnishingFileSink, FurnishingFileWriter, FurnishingManifest } from '#domain/furnishing';
import { replacePrivateFile, temporaryFileFor } from '#adapters/private-file';

/** Where a directory sink keeps a month's files: <directory>/<month>/<bureau>.metro2 and its manifest (locally DATA_DIR/furnishing). */
export const furnishingFile = (directory: string, month: string, bureau: string): string =>
  path.join(directory, month, `${bureau}.metro2`);

export const manifestFile = (file: string): string => `${file}.manifest.json`;

const writeLine = async (stream: WriteStream, line: string): Promise<void> => {
  if (!stream.write(`${line}\n`)) await once(stream, 'drain');
};

const closed = async (stream: WriteStream): Promise<void> => {
  stream.end();
  await once(stream, 'close');
};

export async function* linesOf(file: string): AsyncGenerator<string> {
  yield* createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
}

/** A file written line by line into a temporary file beside it (0600: DATA_DIR is private), digested as written. */
export interface StagedFile {
  temporary: string;
  write(line: string): Promise<void>;
  /** The written bytes' SHA-256 (hex), the stream closed. */
  close(): Promise<string>;
  /** Renamed into place whole, replacing an earlier run's. */
  commit(): Promise<void>;
  discard(): Promise<void>;
}

export const openStagedFile = async (file: string): Promise<StagedFile> => {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = temporaryFileFor(file);
  const stream = createWriteStream(temporary, { mode: 0o600, flags: 'wx' });
  const digest = createHash('sha256');
  let sha256: string | undefined;
  const close = async (): Promise<string> => {
    if (sha256 === undefined) {
      await closed(stream);
      sha256 = digest.digest('hex');
    }
    return sha256;
  };
  return {
    temporary,
    write: async (line) => {
      digest.update(`${line}\n`);
      await writeLine(stream, line);
    },
    close,
    commit: async () => {
      await close();
      await rename(temporary, file);
    },
    discard: async () => {
      await close();
      await rm(temporary, { force: true });
    },
  };
};

/** A staged month's file renamed into place, then its manifest (with the file's digest and path), each whole. */
export const deliverStaged = async (
  staged: StagedFile,
  file: string,
  fields: Omit<FurnishingManifest, 'sha256' | 'location'>,
): Promise<FurnishingManifest> => {
  const manifest: FurnishingManifest = { ...fields, sha256: await staged.close(), location: file };
  try {
    await staged.commit();
  } catch (error) {
    // A failed rename (e.g. the path is a directory) must not leave the staged file, identities and all, beside it.
    await staged.discard();
    throw error;
  }
  await replacePrivateFile(manifestFile(file), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
};

/** The month's file staged beside its place, read back for the validator, then renamed into place with its manifest. */
const openWriter = async (file: string): Promise<FurnishingFileWriter> => {
  const staged = await openStagedFile(file);
  return {
    write: (line) => staged.write(line),
    async *lines() {
      await staged.close();
      yield* linesOf(staged.temporary);
    },
    // A re-run of the month replaces the file and then its manifest, each renamed whole.
    deliver: (fields) => deliverStaged(staged, file, fields),
    discard: () => staged.discard(),
  };
};

/** The local stack's delivery (FURNISHING_DIRECTORY = DATA_DIR/furnishing), where the S3 bucket stands in AWS. */
export const directoryFurnishingSink = (directory: string): FurnishingFileSink => ({
  open: (month, bureau) => openWriter(furnishingFile(directory, month, bureau)),
});
