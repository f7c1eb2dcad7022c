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

async function* linesOf(file: string): AsyncGenerator<string> {
  yield* createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
}

/** The file streamed line by line into a temporary file beside it (0600: DATA_DIR is private), digested as written. */
const openWriter = async (file: string): Promise<FurnishingFileWriter> => {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = temporaryFileFor(file);
  const stream = createWriteStream(temporary, { mode: 0o600, flags: 'wx' });
  const digest = createHash('sha256');
  let open = true;
  const close = async (): Promise<void> => {
    if (open) await closed(stream);
    open = false;
  };
  return {
    write: async (line) => {
      digest.update(`${line}\n`);
      await writeLine(stream, line);
    },
    async *lines() {
      await close();
      yield* linesOf(temporary);
    },
    // A re-run of the month replaces the file and then its manifest, each renamed whole.
    deliver: async (fields) => {
      await close();
      const manifest: FurnishingManifest = { ...fields, sha256: digest.digest('hex'), location: file };
      await rename(temporary, file);
      await replacePrivateFile(manifestFile(file), `${JSON.stringify(manifest, null, 2)}\n`);
      return manifest;
    },
    discard: async () => {
      await close();
      await rm(temporary, { force: true });
    },
  };
};

/** The local stack's delivery (FURNISHING_DIRECTORY = DATA_DIR/furnishing), where the S3 bucket stands in AWS. */
export const directoryFurnishingSink = (directory: string): FurnishingFileSink => ({
  open: (month, bureau) => openWriter(furnishingFile(directory, month, bureau)),
});
