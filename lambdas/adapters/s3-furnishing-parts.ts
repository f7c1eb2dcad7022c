import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import type { FurnishingManifest } from '#domain/furnishing';
import type { AssembledFile, FurnishingAssembler, FurnishingPartStore } from '#domain/furnishing-parts';
import { manifestFile, openStagedFile } from '#adapters/directory-furnishing-sink';
import { type ObjectRange, type PlannedPart, type Segment, partBytes, planMultipart } from '#adapters/multipart-plan';
import { furnishingKey } from '#adapters/s3-furnishing-sink';

/** Where a shard's part of a bureau's file is, in the parts bucket: `parts/<month>/<bureau>/<shard>`. */
export const partKey = (month: string, bureau: string, shard: number): string =>
  `parts/${month}/${bureau}/${String(shard).padStart(2, '0')}`;

const sha256Base64 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('base64');

const bodyBytes = async (body: unknown): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of body as Readable) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
};

interface Buckets {
  /** The delivered files' bucket (versioned, object lock). */
  files: string;
  /** The parts' bucket (no lock; a lifecycle rule expires what a run leaves). */
  parts: string;
}

const erasedKey = (month: string, shard: number): string =>
  `parts/${month}/erased/${String(shard).padStart(2, '0')}.json`;

/**
 * AWS parts: each staged in the function's ephemeral storage (a shard's part at 10M customers is ~266 MB), then put
 * whole with its SHA-256 to the parts bucket, replacing an earlier run's; the scratch removed either way.
 */
export const s3PartStore = (client: S3Client, bucket: string): FurnishingPartStore => ({
  openPart: async (month, bureau, shard) => {
    const scratch = await mkdtemp(path.join(tmpdir(), 'furnishing-part-'));
    const staged = await openStagedFile(path.join(scratch, 'part'));
    const Key = partKey(month, bureau, shard);
    return {
      write: (line) => staged.write(line),
      finish: async () => {
        try {
          const sha256 = await staged.close();
          await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key,
              Body: createReadStream(staged.temporary),
              ContentLength: (await stat(staged.temporary)).size,
              ChecksumAlgorithm: 'SHA256',
              ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
            }),
          );
          return Key;
        } finally {
          await rm(scratch, { recursive: true, force: true });
        }
      },
      discard: async () => {
        await staged.discard();
        await rm(scratch, { recursive: true, force: true });
      },
    };
  },
  putErased: async (month, shard, userIds) => {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: erasedKey(month, shard),
        Body: JSON.stringify(userIds),
        ContentType: 'application/json',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
  },
  erasedOf: async (month, shard) => {
    const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: erasedKey(month, shard) }));
    return JSON.parse((await bodyBytes(Body)).toString('utf8')) as string[];
  },
});

/** Parts sent at once: server-side copies overlap; at most this many gathered parts (< 10 MiB each) are held. */
export const PARTS_AT_ONCE = 4;

const rangeOf = ({ start, end }: ObjectRange): string => `bytes=${start}-${end - 1}`;

/** A gathered part's bytes: inline pieces as they are, object ranges read by ranged GETs (each under 5 MiB). */
const gatheredBytes = async (client: S3Client, bucket: string, segments: readonly Segment[]): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for (const segment of segments) {
    if ('bytes' in segment) chunks.push(segment.bytes);
    else
      chunks.push(
        await bodyBytes(
          (await client.send(new GetObjectCommand({ Bucket: bucket, Key: segment.key, Range: rangeOf(segment) }))).Body,
        ),
      );
  }
  return Buffer.concat(chunks);
};

const sendPart = async (
  client: S3Client,
  buckets: Buckets,
  upload: { Key: string; UploadId: string },
  part: PlannedPart,
  PartNumber: number,
): Promise<CompletedPart> => {
  const target = { Bucket: buckets.files, ...upload, PartNumber };
  if ('copy' in part) {
    const { CopyPartResult } = await client.send(
      new UploadPartCopyCommand({
        ...target,
        CopySource: `${buckets.parts}/${encodeURIComponent(part.copy.key)}`,
        CopySourceRange: rangeOf(part.copy),
      }),
    );
    return { PartNumber, ETag: CopyPartResult?.ETag, ChecksumSHA256: CopyPartResult?.ChecksumSHA256 };
  }
  const body = await gatheredBytes(client, buckets.parts, part.upload);
  const ChecksumSHA256 = sha256Base64(body);
  const { ETag } = await client.send(
    new UploadPartCommand({ ...target, Body: body, ContentLength: body.length, ChecksumSHA256 }),
  );
  return { PartNumber, ETag, ChecksumSHA256 };
};

/** The delivered object read back once, streamed through SHA-256 (multipart checksums are composite, not the file's). */
const streamedSha256 = async (client: S3Client, bucket: string, key: string): Promise<string> => {
  const digest = createHash('sha256');
  const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  for await (const chunk of Body as Readable) digest.update(chunk as Uint8Array);
  return digest.digest('hex');
};

const completion = (
  client: S3Client,
  buckets: Buckets,
  upload: { Key: string; UploadId: string },
  parts: CompletedPart[],
  bytes: number,
): AssembledFile => ({
  bytes,
  deliver: async (fields) => {
    await client.send(
      new CompleteMultipartUploadCommand({ Bucket: buckets.files, ...upload, MultipartUpload: { Parts: parts } }),
    );
    const manifest: FurnishingManifest = {
      ...fields,
      sha256: await streamedSha256(client, buckets.files, upload.Key),
      location: `s3://${buckets.files}/${upload.Key}`,
    };
    await client.send(
      new PutObjectCommand({
        Bucket: buckets.files,
        Key: manifestFile(upload.Key),
        Body: `${JSON.stringify(manifest, null, 2)}\n`,
        ContentType: 'application/json',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    return manifest;
  },
  discard: async () => {
    await client.send(new AbortMultipartUploadCommand({ Bucket: buckets.files, ...upload }));
  },
});

/**
 * An earlier run's file of the month and its manifest, withdrawn: listed first (without s3:ListBucket a HEAD of a
 * missing key answers 403, not 404), then each present key deleted. The bucket is versioned with object lock, so a
 * delete writes a delete marker and the earlier versions stay, locked, for audit (decision 0023).
 */
const withdrawFile = async (client: S3Client, bucket: string, month: string, bureau: string): Promise<boolean> => {
  const file = furnishingKey(month, bureau);
  const wanted = [file, manifestFile(file)];
  // Both keys start with the file's key: one page (at most a few keys) answers for both.
  const { Contents } = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: file, MaxKeys: 10 }));
  const present = wanted.filter((key) => Contents?.some(({ Key }) => Key === key));
  for (const Key of present) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
  return present.length > 0;
};

/**
 * AWS assembly: header + parts (by UploadPartCopy from the parts bucket) + trailer as one multipart upload of the
 * month's key, left uncompleted (invisible) until the envelope is checked: deliver completes it (a new current
 * version, the earlier one locked), streams it once for its SHA-256, then puts the manifest; discard aborts it.
 */
export const s3FurnishingAssembler = (client: S3Client, buckets: Buckets): FurnishingAssembler => ({
  assemble: async (month, bureau, header, partKeys, trailer) => {
    const pieces = [{ bytes: Buffer.from(`${header}\n`, 'latin1') }];
    const sized: { key: string; size: number }[] = [];
    for (const key of partKeys) {
      const head = await client.send(new HeadObjectCommand({ Bucket: buckets.parts, Key: key }));
      sized.push({ key, size: head.ContentLength ?? 0 });
    }
    const plan = planMultipart([...pieces, ...sized, { bytes: Buffer.from(`${trailer}\n`, 'latin1') }]);
    const Key = furnishingKey(month, bureau);
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({
        Bucket: buckets.files,
        Key,
        ContentType: 'text/plain; charset=us-ascii',
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    const upload = { Key, UploadId: UploadId! };
    const parts: CompletedPart[] = new Array<CompletedPart>(plan.length);
    let next = 0;
    // PARTS_AT_ONCE workers take the plan's parts in turn: copies overlap, memory stays a few gathered parts.
    const worker = async (): Promise<void> => {
      for (let index = next++; index < plan.length; index = next++)
        parts[index] = await sendPart(client, buckets, upload, plan[index]!, index + 1);
    };
    try {
      await Promise.all(Array.from({ length: Math.min(PARTS_AT_ONCE, plan.length) }, worker));
    } catch (error) {
      await client.send(new AbortMultipartUploadCommand({ Bucket: buckets.files, ...upload }));
      throw error;
    }
    return completion(
      client,
      buckets,
      upload,
      parts,
      plan.reduce((sum, part) => sum + partBytes(part), 0),
    );
  },
  withdraw: (month, bureau) => withdrawFile(client, buckets.files, month, bureau),
});
