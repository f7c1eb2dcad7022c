import { readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { FurnishingAssembler, FurnishingPartStore } from '#domain/furnishing-parts';
import { replacePrivateFile } from '#adapters/private-file';
import {
  deliverStaged,
  furnishingFile,
  linesOf,
  manifestFile,
  openStagedFile,
} from '#adapters/directory-furnishing-sink';

/** A shard's part of a bureau's file locally: DATA_DIR/furnishing/<month>/parts/<bureau>/<shard>.part. */
export const partFile = (directory: string, month: string, bureau: string, shard: number): string =>
  path.join(directory, month, 'parts', bureau, `${String(shard).padStart(2, '0')}.part`);

const erasedFile = (directory: string, month: string, shard: number): string =>
  path.join(directory, month, 'parts', 'erased', `${String(shard).padStart(2, '0')}.json`);

/** The local stack's parts: each written beside its place and renamed whole (a re-run replaces it). */
export const directoryPartStore = (directory: string): FurnishingPartStore => ({
  openPart: async (month, bureau, shard) => {
    const file = partFile(directory, month, bureau, shard);
    const staged = await openStagedFile(file);
    return {
      write: (line) => staged.write(line),
      finish: async () => {
        await staged.commit();
        return file;
      },
      discard: () => staged.discard(),
    };
  },
  putErased: (month, shard, userIds) =>
    replacePrivateFile(erasedFile(directory, month, shard), `${JSON.stringify(userIds)}\n`),
  erasedOf: async (month, shard) => {
    try {
      return JSON.parse(await readFile(erasedFile(directory, month, shard), 'utf8')) as string[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  },
});

/** Whether `file` was there to remove. */
const removed = async (file: string): Promise<boolean> => {
  try {
    await unlink(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
};

/** Locally the month's file is the parts concatenated (line by line, memory flat) between header and trailer. */
export const directoryAssembler = (directory: string): FurnishingAssembler => ({
  assemble: async (month, bureau, header, parts, trailer) => {
    const file = furnishingFile(directory, month, bureau);
    const staged = await openStagedFile(file);
    try {
      await staged.write(header);
      for (const part of parts) for await (const line of linesOf(part)) await staged.write(line);
      await staged.write(trailer);
      await staged.close();
    } catch (error) {
      await staged.discard();
      throw error;
    }
    return {
      bytes: (await stat(staged.temporary)).size,
      deliver: (fields) => deliverStaged(staged, file, fields),
      discard: () => staged.discard(),
    };
  },
  // The file first, then its manifest: a crash between leaves a manifest alone, which the next withdraw removes.
  withdraw: async (month, bureau) => {
    const file = furnishingFile(directory, month, bureau);
    const [fileRemoved, manifestRemoved] = [await removed(file), await removed(manifestFile(file))];
    return fileRemoved || manifestRemoved;
  },
});
