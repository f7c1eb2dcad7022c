import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { furnishBureau } from '#domain/furnishing';
import { metro2Formatter } from '#domain/metro2/formatter';
import { validateMetro2File } from '#domain/metro2/validate';
import { type Metro2Consumer, accountNumberOf } from '#domain/metro2/account';
import type { MonthlyReport } from '#domain/report';
import { directoryFurnishingSink } from '#adapters/directory-furnishing-sink';
import { MONTH, TODAY, commitment, consumer, furnisher } from '../../../support/metro2';

// The Metro 2 formatter behind furnishBureau's port, with the real validator and the local sink (a temporary
// DATA_DIR): a file that validates, a base segment per furnishable commitment, each under its owner's account number.

const report = (userId: string): MonthlyReport => ({
  userId,
  month: MONTH,
  payments: 2,
  builtAt: `${MONTH}-30T02:00:00.000Z`,
  commitments: [
    commitment(),
    commitment({ commitmentId: 'GBP#ref#LEASE-2' }, ['missed', 'missed', 'kept']),
    commitment({ commitmentId: 'GBP#gym', kind: 'subscription' }),
  ],
  aheadPayments: [],
  payeeRoutes: [],
});

async function* pages(): AsyncGenerator<readonly MonthlyReport[]> {
  yield [report('alice'), report('erin')];
  yield [report('nobody')];
}

const known = new Map<string, Metro2Consumer | 'erased'>([
  ['alice', consumer],
  ['erin', 'erased'],
]);

it('writes a file the validator passes: one base per furnishable commitment, the owner in each account number', async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'metro2-formatter-'));
  try {
    const { result, erasedUserIds } = await furnishBureau(MONTH, 'equifax', pages(), {
      formatter: metro2Formatter(furnisher, '2026-12-01'),
      validator: (lines) => validateMetro2File(lines, { today: TODAY }),
      identities: {
        identitiesOf: async (userIds) => new Map([...known].filter(([id]) => userIds.includes(id))),
      },
      sink: directoryFurnishingSink(path.join(dataDir, 'furnishing')),
    });
    expect(result).toMatchObject({
      status: 'delivered',
      manifest: {
        records: { header: 1, base: 4, trailer: 1 },
        erasures: 1,
        skipped: { 'no-identity': 3, 'Metro 2 has no account type for kind subscription': 2 },
      },
    });
    expect(erasedUserIds).toEqual(['erin']);
    if (result.status !== 'delivered') return;
    const lines = (await readFile(result.manifest.location, 'utf8')).split('\n').slice(0, -1);
    expect(await validateMetro2File(lines, { today: TODAY })).toEqual([]);
    expect(lines.map((line) => line.slice(42, 72).trim())).toEqual([
      expect.any(String),
      accountNumberOf('alice', 'GBP#ref#LEASE-1'),
      accountNumberOf('alice', 'GBP#ref#LEASE-2'),
      accountNumberOf('erin', 'GBP#ref#LEASE-1'),
      accountNumberOf('erin', 'GBP#ref#LEASE-2'),
      expect.any(String),
    ]);
    expect(lines.map((line) => line.slice(123, 125))).toEqual(['EX', '11', '71', 'DA', 'DA', '00']);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
