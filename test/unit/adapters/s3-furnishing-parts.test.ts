import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
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
import { MIN_PART_BYTES } from '#adapters/multipart-plan';
import { partKey, s3FurnishingAssembler } from '#adapters/s3-furnishing-parts';

// Unit test of the S3 assembler with an in-memory S3 (no S3 runs locally): the month's file is header + parts + trailer
// byte for byte; a part of 5 MiB or more crosses by UploadPartCopy (its bytes never read whole by the function), small
// parts are gathered into uploaded parts, every part but the last is at least 5 MiB (S3's rule, enforced here as S3
// does at completion); nothing is visible before delivery, and a discarded assembly is aborted.

const range = (header: string | undefined): [number, number] | undefined => {
  const match = header ? /^bytes=(\d+)-(\d+)$/.exec(header) : null;
  return match ? [Number(match[1]), Number(match[2]) + 1] : undefined;
};

const memoryS3 = (objects: Map<string, Buffer>) => {
  const uploads = new Map<string, Map<number, Buffer>>();
  const log: string[] = [];
  let bytesRead = 0;
  const read = (bucket: string, key: string, rangeHeader?: string): Buffer => {
    const whole = objects.get(`${bucket}/${key}`);
    if (!whole) throw Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey' });
    const [start, end] = range(rangeHeader) ?? [0, whole.length];
    return whole.subarray(start, end);
  };
  const send = async (command: unknown): Promise<unknown> => {
    if (command instanceof HeadObjectCommand) {
      const { Bucket, Key } = command.input;
      return { ContentLength: read(Bucket!, Key!).length };
    }
    if (command instanceof GetObjectCommand) {
      const { Bucket, Key, Range } = command.input;
      const body = read(Bucket!, Key!, Range);
      bytesRead += body.length;
      log.push(`get ${Key}${Range ? ` ${Range}` : ''}`);
      return { Body: Readable.from([body]) };
    }
    if (command instanceof CreateMultipartUploadCommand) {
      uploads.set('upload-1', new Map());
      log.push(`create ${command.input.Key}`);
      return { UploadId: 'upload-1' };
    }
    if (command instanceof UploadPartCommand) {
      const body = command.input.Body as Buffer;
      expect(command.input.ChecksumSHA256).toBe(createHash('sha256').update(body).digest('base64'));
      uploads.get(command.input.UploadId!)!.set(command.input.PartNumber!, body);
      log.push(`upload ${command.input.PartNumber} (${body.length})`);
      return { ETag: `"${command.input.PartNumber}"` };
    }
    if (command instanceof UploadPartCopyCommand) {
      const [bucket, ...key] = command.input.CopySource!.split('/');
      const body = read(bucket!, decodeURIComponent(key.join('/')), command.input.CopySourceRange);
      uploads.get(command.input.UploadId!)!.set(command.input.PartNumber!, body);
      log.push(`copy ${command.input.PartNumber} (${body.length})`);
      return { CopyPartResult: { ETag: `"${command.input.PartNumber}"` } };
    }
    if (command instanceof CompleteMultipartUploadCommand) {
      const parts = command.input.MultipartUpload!.Parts!.map(({ PartNumber }) =>
        uploads.get('upload-1')!.get(PartNumber!)!,
      );
      parts.slice(0, -1).forEach((part) => {
        if (part.length < MIN_PART_BYTES) throw new Error(`EntityTooSmall: ${part.length}`);
      });
      objects.set(`${command.input.Bucket}/${command.input.Key}`, Buffer.concat(parts));
      log.push(`complete ${parts.length}`);
      return {};
    }
    if (command instanceof AbortMultipartUploadCommand) {
      uploads.delete(command.input.UploadId!);
      log.push('abort');
      return {};
    }
    if (command instanceof PutObjectCommand) {
      objects.set(`${command.input.Bucket}/${command.input.Key}`, Buffer.from(command.input.Body as string));
      log.push(`put ${command.input.Key}`);
      return {};
    }
    if (command instanceof ListObjectsV2Command) {
      const { Bucket, Prefix = '', MaxKeys = 1000 } = command.input;
      const Contents = [...objects.keys()]
        .filter((name) => name.startsWith(`${Bucket}/${Prefix}`))
        .sort()
        .slice(0, MaxKeys)
        .map((name) => ({ Key: name.slice(`${Bucket!}/`.length) }));
      log.push(`list ${Prefix}`);
      return { Contents: Contents.length > 0 ? Contents : undefined };
    }
    // In the versioned bucket a delete writes a delete marker: the key is no longer current, as here.
    if (command instanceof DeleteObjectCommand) {
      objects.delete(`${command.input.Bucket}/${command.input.Key}`);
      log.push(`delete ${command.input.Key}`);
      return { DeleteMarker: true };
    }
    throw new Error(`unexpected ${String(command)}`);
  };
  return { client: { send } as unknown as S3Client, log, bytesRead: () => bytesRead };
};

const BUCKETS = { files: 'files-bucket', parts: 'parts-bucket' };
const MONTH = '2026-10';
const FIELDS = {
  month: MONTH,
  bureau: 'equifax',
  records: { header: 1, base: 3, trailer: 1 } as const,
  skipped: {},
  erasures: 0,
};

/** A part of `size` bytes of one repeated character (its content is checked, not its format). */
const part = (character: string, size: number) => Buffer.alloc(size, character);

describe('s3FurnishingAssembler', () => {
  const large = part('a', 2 * MIN_PART_BYTES + 1000);
  const small = [part('b', 300), part('c', 0), part('d', 700)];
  const header = 'H'.repeat(426);
  const trailer = 'T'.repeat(426);
  const setup = () => {
    const objects = new Map<string, Buffer>();
    const keys = [large, ...small, large].map((bytes, shard) => {
      const key = partKey(MONTH, 'equifax', shard);
      objects.set(`${BUCKETS.parts}/${key}`, bytes);
      return key;
    });
    return { objects, keys, s3: memoryS3(objects) };
  };
  const expected = () =>
    Buffer.concat([Buffer.from(`${header}\n`), large, ...small, large, Buffer.from(`${trailer}\n`)]);

  test('header + parts in order + trailer, large parts copied server-side, small ones gathered; visible only on delivery', async () => {
    const { objects, keys, s3 } = setup();
    const file = await s3FurnishingAssembler(s3.client, BUCKETS).assemble(MONTH, 'equifax', header, keys, trailer);
    expect(file.bytes).toBe(expected().length);
    expect(objects.has(`${BUCKETS.files}/${MONTH}/equifax.metro2`)).toBe(false);
    // The header is topped up to 5 MiB from the first part by a ranged read, the rest of it copied; the small parts
    // with the last part's first bytes likewise: only those bytes pass through the function.
    expect(s3.log.filter((line) => line.startsWith('copy')).length).toBe(2);
    expect(s3.bytesRead()).toBeLessThan(2 * MIN_PART_BYTES);

    const manifest = await file.deliver(FIELDS);
    const written = objects.get(`${BUCKETS.files}/${MONTH}/equifax.metro2`)!;
    expect(written.equals(expected())).toBe(true);
    expect(manifest).toEqual({
      ...FIELDS,
      sha256: createHash('sha256').update(expected()).digest('hex'),
      location: `s3://${BUCKETS.files}/${MONTH}/equifax.metro2`,
    });
    expect(JSON.parse(objects.get(`${BUCKETS.files}/${MONTH}/equifax.metro2.manifest.json`)!.toString())).toEqual(
      manifest,
    );
    expect(s3.log.at(-3)).toMatch(/^complete /);
  });

  test('a month whose parts are all small: one uploaded part, no copy', async () => {
    const objects = new Map<string, Buffer>();
    const keys = small.map((bytes, shard) => {
      objects.set(`${BUCKETS.parts}/${partKey(MONTH, 'equifax', shard)}`, bytes);
      return partKey(MONTH, 'equifax', shard);
    });
    const s3 = memoryS3(objects);
    const file = await s3FurnishingAssembler(s3.client, BUCKETS).assemble(MONTH, 'equifax', header, keys, trailer);
    await file.deliver(FIELDS);
    expect(s3.log.filter((line) => /^(copy|upload)/.test(line))).toEqual([`upload 1 (${427 * 2 + 1000})`]);
    expect(objects.get(`${BUCKETS.files}/${MONTH}/equifax.metro2`)!.toString()).toBe(
      `${header}\n${'b'.repeat(300)}${'d'.repeat(700)}${trailer}\n`,
    );
  });

  test("withdraw: the month's delivered file and manifest of that bureau deleted, nothing else; a second withdraw finds none and sends no delete", async () => {
    const { objects, keys, s3 } = setup();
    const assembler = s3FurnishingAssembler(s3.client, BUCKETS);
    await (await assembler.assemble(MONTH, 'equifax', header, keys, trailer)).deliver(FIELDS);
    const kept = [`${BUCKETS.files}/${MONTH}/experian.metro2`, `${BUCKETS.files}/2026-11/equifax.metro2`];
    for (const key of kept) objects.set(key, Buffer.from('another file'));

    expect(await assembler.withdraw(MONTH, 'equifax')).toBe(true);
    expect(s3.log.filter((line) => line.startsWith('delete'))).toEqual([
      `delete ${MONTH}/equifax.metro2`,
      `delete ${MONTH}/equifax.metro2.manifest.json`,
    ]);
    expect([...objects.keys()].filter((key) => key.startsWith(BUCKETS.files)).sort()).toEqual(kept.sort());

    // Nothing there: no delete (in the versioned bucket it would write a needless delete marker).
    expect(await assembler.withdraw(MONTH, 'equifax')).toBe(false);
    expect(s3.log.filter((line) => line.startsWith('delete'))).toHaveLength(2);
    expect(await assembler.withdraw(MONTH, 'transunion')).toBe(false);
  });

  test('withdraw: a manifest left without its file (a crash between the two) is removed too', async () => {
    const objects = new Map([[`${BUCKETS.files}/${MONTH}/equifax.metro2.manifest.json`, Buffer.from('{}')]]);
    const s3 = memoryS3(objects);
    expect(await s3FurnishingAssembler(s3.client, BUCKETS).withdraw(MONTH, 'equifax')).toBe(true);
    expect(objects.size).toBe(0);
  });

  test('a discarded (rejected) assembly is aborted: the month has no file, no manifest', async () => {
    const { objects, keys, s3 } = setup();
    const file = await s3FurnishingAssembler(s3.client, BUCKETS).assemble(MONTH, 'equifax', header, keys, trailer);
    await file.discard();
    expect(s3.log.at(-1)).toBe('abort');
    expect([...objects.keys()].filter((key) => key.startsWith(BUCKETS.files))).toEqual([]);
  });
});
