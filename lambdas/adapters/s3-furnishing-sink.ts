import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FurnishingFileSink, FurnishingManifest } from '#domain/furnishing';
import { directoryFurnishingSink, furnishingFile, manifestFile } from '#adapters/directory-furnishing-sink';

/** The object key of a month's file in the furnishing bucket (its manifest: the key + `.manifest.json`). */
export const furnishingKey = (month: string, bureau: string): string => `${month}/${bureau}.metro2`;

/**
 * AWS delivery: the file is written and validated in the function's ephemeral storage, so a rejected file never reaches
 * the bucket; a passed one is put whole (its SHA-256 checked by S3), then its manifest. The bucket is versioned with
 * object lock: a re-run of the month makes a new current version and the earlier one stays retained.
 */
export const s3FurnishingSink = (client: S3Client, bucket: string): FurnishingFileSink => ({
  open: async (month, bureau) => {
    const scratch = await mkdtemp(path.join(tmpdir(), 'furnishing-'));
    const local = await directoryFurnishingSink(scratch).open(month, bureau);
    const key = furnishingKey(month, bureau);
    const file = furnishingFile(scratch, month, bureau);
    return {
      write: (line) => local.write(line),
      lines: () => local.lines(),
      deliver: async (fields) => {
        try {
          const staged = await local.deliver(fields);
          await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: createReadStream(file),
              ContentLength: (await stat(file)).size,
              ContentType: 'text/plain; charset=us-ascii',
              ChecksumAlgorithm: 'SHA256',
              ChecksumSHA256: Buffer.from(staged.sha256, 'hex').toString('base64'),
            }),
          );
          const manifest: FurnishingManifest = { ...staged, location: `s3://${bucket}/${key}` };
          await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: manifestFile(key),
              Body: `${JSON.stringify(manifest, null, 2)}\n`,
              ContentType: 'application/json',
              ChecksumAlgorithm: 'SHA256',
            }),
          );
          return manifest;
        } finally {
          await rm(scratch, { recursive: true, force: true });
        }
      },
      discard: async () => {
        await local.discard();
        await rm(scratch, { recursive: true, force: true });
      },
    };
  },
});
