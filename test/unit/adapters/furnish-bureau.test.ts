import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Commitment, MonthlyReport } from '#domain/report';
import {
  type FurnishingFormatter,
  type FurnishingPorts,
  type FurnishingValidator,
  furnishBureau,
} from '#domain/furnishing';
import { directoryFurnishingSink, furnishingFile, manifestFile } from '#adapters/directory-furnishing-sink';
import { commitmentFixture } from '../../support/commitments';
import { scratchDir } from '../../support/scratch-dir';

// Unit test of the furnishing orchestration and the local sink: Metro 2 formatting and identities are fakes of their
// ports (23a and 23b supply the real ones); the files are real, in a temporary DATA_DIR.

const MONTH = '2026-10';

interface FakeAccount {
  commitmentId: string;
  erased: boolean;
}

/** Skips what the real mapping skips for want of consent; an erased consumer is reported as DA. */
const formatter: FurnishingFormatter<string, FakeAccount> = {
  header: ({ month, bureau }) => `HEADER ${month} ${bureau}`,
  account: (commitment, consumer) =>
    commitment.commitmentId.includes('optout')
      ? { skipped: 'not-opted-in' }
      : { commitmentId: commitment.commitmentId, erased: consumer === 'erased' },
  baseSegment: (account) => `BASE ${account.commitmentId} ${account.erased ? 'DA' : '11'}`,
  trailer: () => {
    let count = 0;
    return { add: () => (count += 1), record: () => `TRAILER ${count}` };
  },
};

/** The trailer's count must match the base segments; a BAD line breaks a rule. */
const validator: FurnishingValidator = async (lines) => {
  let record = 0;
  let bases = 0;
  const violations = [];
  for await (const line of lines) {
    record += 1;
    if (line.startsWith('BASE')) bases += 1;
    if (line.includes('BAD')) violations.push({ record, rule: 'no-bad', message: 'bad record' });
    if (line.startsWith('TRAILER') && line !== `TRAILER ${bases}`)
      violations.push({ record, rule: 'trailer-count', message: 'count differs' });
  }
  return violations;
};

const report = (userId: string, commitments: Commitment[]): MonthlyReport => ({
  userId,
  month: MONTH,
  payments: 1,
  builtAt: `${MONTH}-28T00:00:00.000Z`,
  commitments,
  aheadPayments: [],
  payeeRoutes: [],
});

const commitment = (commitmentId: string): Commitment => commitmentFixture(MONTH, 3, { commitmentId });

async function* pages(...reportPages: MonthlyReport[][]): AsyncGenerator<MonthlyReport[]> {
  yield* reportPages;
}

const setUp = async (identityPages: string[][] = []) => {
  const dataDir = scratchDir('furnishing-');
  const known = new Map<string, string>([
    ['alice', 'identity-of-alice'],
    ['erin', 'erased'],
  ]);
  const ports: FurnishingPorts<string, FakeAccount> = {
    formatter,
    validator,
    identities: {
      identitiesOf: async (userIds) => {
        identityPages.push([...userIds]);
        return new Map(userIds.flatMap((id) => (known.has(id) ? [[id, known.get(id)!] as const] : [])));
      },
    },
    sink: directoryFurnishingSink(path.join(dataDir, 'furnishing')),
  };
  return { dataDir, ports, file: furnishingFile(path.join(dataDir, 'furnishing'), MONTH, 'equifax') };
};

const month = (): AsyncGenerator<MonthlyReport[]> =>
  pages(
    [
      report('alice', [commitment('GBP#gym'), commitment('GBP#optout-netflix')]),
      report('nobody', [commitment('GBP#rent')]),
    ],
    [report('erin', [commitment('GBP#phone')])],
  );

describe('furnishBureau with the local sink', () => {
  test('writes header, the opted-in commitments of customers with an identity, the trailer; manifest beside it', async () => {
    const identityPages: string[][] = [];
    const { dataDir, ports, file } = await setUp(identityPages);
    const { result, erasedUserIds } = await furnishBureau(MONTH, 'equifax', month(), ports);
    const text = await readFile(file, 'utf8');
    expect(text).toBe(`HEADER ${MONTH} equifax\nBASE GBP#gym 11\nBASE GBP#phone DA\nTRAILER 2\n`);
    const manifest = {
      month: MONTH,
      bureau: 'equifax',
      records: { header: 1, base: 2, trailer: 1 },
      skipped: { 'not-opted-in': 1, 'no-identity': 1 },
      erasures: 1,
      sha256: createHash('sha256').update(text).digest('hex'),
      location: file,
    };
    expect(result).toEqual({ status: 'delivered', manifest });
    // The customers whose deletion the delivered file carries, for the caller to mark (ids only, not in the result).
    expect(erasedUserIds).toEqual(['erin']);
    expect(JSON.parse(await readFile(manifestFile(file), 'utf8'))).toEqual(manifest);
    // Identities asked once a page, never one customer at a time.
    expect(identityPages).toEqual([['alice', 'nobody'], ['erin']]);
    // DATA_DIR is private: the file and its manifest are the owner's only, and no temporary file is left.
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(manifestFile(file))).mode & 0o777).toBe(0o600);
    expect(await readdir(path.join(dataDir, 'furnishing', MONTH))).toEqual([
      'equifax.metro2',
      'equifax.metro2.manifest.json',
    ]);
  });

  test('a file the validator rejects is not delivered, and the result names the record and the rule', async () => {
    const { dataDir, ports, file } = await setUp();
    const { result, erasedUserIds } = await furnishBureau(
      MONTH,
      'equifax',
      pages([report('alice', [commitment('GBP#BAD')]), report('erin', [commitment('GBP#phone')])]),
      ports,
    );
    expect(erasedUserIds).toEqual([]);
    expect(result).toEqual({
      status: 'rejected',
      month: MONTH,
      bureau: 'equifax',
      violations: [{ record: 2, rule: 'no-bad', message: 'bad record' }],
    });
    await expect(stat(file)).rejects.toThrow('ENOENT');
    expect(await readdir(path.join(dataDir, 'furnishing', MONTH))).toEqual([]);
  });

  test('a re-run of the month replaces its file and manifest whole', async () => {
    const { ports, file } = await setUp();
    await furnishBureau(MONTH, 'equifax', month(), ports);
    const { result: again } = await furnishBureau(
      MONTH,
      'equifax',
      pages([report('alice', [commitment('GBP#gym')])]),
      ports,
    );
    expect(await readFile(file, 'utf8')).toBe(`HEADER ${MONTH} equifax\nBASE GBP#gym 11\nTRAILER 1\n`);
    expect(again.status === 'delivered' && again.manifest.records.base).toBe(1);
    expect(JSON.parse(await readFile(manifestFile(file), 'utf8'))).toEqual(
      again.status === 'delivered' && again.manifest,
    );
  });

  test('a failure while reading the reports leaves no file behind', async () => {
    const { dataDir, ports } = await setUp();
    async function* failing(): AsyncGenerator<MonthlyReport[]> {
      yield [report('alice', [commitment('GBP#gym')])];
      throw new Error('DependencyUnavailable');
    }
    await expect(furnishBureau(MONTH, 'equifax', failing(), ports)).rejects.toThrow('DependencyUnavailable');
    expect(await readdir(path.join(dataDir, 'furnishing', MONTH))).toEqual([]);
  });
});
