import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { s3FurnishingSink } from '#adapters/s3-furnishing-sink';
import { scratchDir } from '../../support/scratch-dir';

// Unit test of the S3 sink with a recording client (no S3 runs locally): what it puts, when, and what it leaves behind.

interface Put {
  key: string;
  body: string;
  checksum?: string;
}

const recordingClient = () => {
  const puts: Put[] = [];
  const client = {
    send: async (command: unknown) => {
      if (!(command instanceof PutObjectCommand)) throw new Error('only PutObject is expected');
      const { Key, Body, ChecksumSHA256 } = command.input;
      let body = typeof Body === 'string' ? Body : '';
      if (typeof Body !== 'string') for await (const chunk of Body as Readable) body += String(chunk);
      puts.push({ key: Key!, body, ...(ChecksumSHA256 ? { checksum: ChecksumSHA256 } : {}) });
      return {};
    },
  };
  return { client: client as unknown as S3Client, puts };
};

// The sink's scratch goes under os.tmpdir(): here a directory of this file's own, which must be empty after each test.
let scratchRoot: string;
beforeAll(async () => {
  scratchRoot = scratchDir('s3-sink-test-');
  process.env.TMPDIR = scratchRoot;
});
const scratchDirs = (): Promise<string[]> => readdir(scratchRoot);

const FIELDS = {
  month: '2026-10',
  bureau: 'equifax',
  records: { header: 1, base: 1, trailer: 1 } as const,
  skipped: {},
  erasures: 0,
};

describe('s3FurnishingSink', () => {
  test('a delivered file is put whole with its SHA-256, then its manifest naming the s3:// location; no scratch left', async () => {
    const { client, puts } = recordingClient();
    const writer = await s3FurnishingSink(client, 'files-bucket').open('2026-10', 'equifax');
    for (const line of ['HEADER', 'BASE', 'TRAILER']) await writer.write(line);
    const read: string[] = [];
    for await (const line of writer.lines()) read.push(line);
    expect(read).toEqual(['HEADER', 'BASE', 'TRAILER']);
    expect(puts).toEqual([]);

    const manifest = await writer.deliver(FIELDS);
    const text = 'HEADER\nBASE\nTRAILER\n';
    const sha256 = createHash('sha256').update(text).digest();
    expect(manifest).toEqual({
      ...FIELDS,
      sha256: sha256.toString('hex'),
      location: 's3://files-bucket/2026-10/equifax.metro2',
    });
    expect(puts).toEqual([
      { key: '2026-10/equifax.metro2', body: text, checksum: sha256.toString('base64') },
      { key: '2026-10/equifax.metro2.manifest.json', body: `${JSON.stringify(manifest, null, 2)}\n` },
    ]);
    expect(await scratchDirs()).toEqual([]);
  });

  test('a discarded (rejected) file never reaches the bucket; no scratch left', async () => {
    const { client, puts } = recordingClient();
    const writer = await s3FurnishingSink(client, 'files-bucket').open('2026-10', 'equifax');
    await writer.write('HEADER');
    for await (const line of writer.lines()) expect(line).toBe('HEADER');
    await writer.discard();
    expect(puts).toEqual([]);
    expect(await scratchDirs()).toEqual([]);
  });
});
