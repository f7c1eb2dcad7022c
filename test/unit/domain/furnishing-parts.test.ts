import type { FurnishingManifest } from '#domain/furnishing';
import {
  type AssemblePorts,
  type PartCounts,
  type ShardFurnishing,
  assembleBureau,
  sumPartCounts,
} from '#domain/furnishing-parts';
import { metro2Assembly, metro2PartFormatter } from '#domain/metro2/formatter';
import { Metro2Trailer } from '#domain/metro2/records';
import { validateMetro2File } from '#domain/metro2/validate';
import type { Metro2Account } from '#domain/metro2/account';
import { MONTH, TODAY, account, furnisher, metro2File } from '../../support/metro2';

// The assemble arithmetic (decision 0023): a file's trailer from its shards' part counts, summed, must be the trailer of
// the same bases written as one file; the envelope check catches a trailer or a length that the parts do not give.

const partCounts = (accounts: readonly Metro2Account[], skipped: Record<string, number> = {}): PartCounts => {
  const tally = metro2PartFormatter(() => furnisher).tally();
  for (const each of accounts) tally.add(each);
  return {
    base: accounts.length,
    totals: tally.totals(),
    skipped,
    erasedUsers: accounts.filter((each) => each.consumer === 'erased').length,
  };
};

const late = account({}, ['missed', 'kept']);
const erased = account({}, ['kept'], 'erased');
const kept = account();
const ports = metro2Assembly(() => furnisher, TODAY);

describe('sumPartCounts', () => {
  test('bases, every trailer count, skips by reason and erased customers add up across parts', () => {
    const sum = sumPartCounts([
      { base: 2, totals: { totalBaseRecords: 2, totalStatusCode11: 2 }, skipped: { 'no-identity': 1 }, erasedUsers: 0 },
      { base: 0, totals: {}, skipped: {}, erasedUsers: 0 },
      {
        base: 3,
        totals: { totalBaseRecords: 3, totalStatusCode11: 1, totalStatusCodeDA: 2 },
        skipped: { 'no-identity': 2, 'not opted in': 4 },
        erasedUsers: 2,
      },
    ]);
    expect(sum).toEqual({
      base: 5,
      totals: { totalBaseRecords: 5, totalStatusCode11: 3, totalStatusCodeDA: 2 },
      skipped: { 'no-identity': 3, 'not opted in': 4 },
      erasedUsers: 2,
    });
    expect(sumPartCounts([])).toEqual({ base: 0, totals: {}, skipped: {}, erasedUsers: 0 });
  });

  test("the trailer from three parts' summed totals is the trailer of the same bases written as one file", async () => {
    const whole = metro2File([kept, late, erased, kept, late]);
    const sum = sumPartCounts([partCounts([kept, late]), partCounts([]), partCounts([erased, kept, late])]);
    const trailer = ports.trailer(sum.totals);
    expect(trailer).toBe(whole.at(-1));
    expect(Metro2Trailer.fromTotals(sum.totals).baseRecords).toBe(5);
    // And a file assembled with it passes the whole-file validator (the header dated as the fixture's).
    expect(await validateMetro2File([...whole.slice(0, -1), trailer], { today: TODAY })).toEqual([]);
  });
});

describe('validateMetro2Assembly (through the Metro 2 assemble ports)', () => {
  const totals = sumPartCounts([partCounts([kept, late]), partCounts([erased])]).totals;
  const header = ports.header({ month: MONTH, bureau: 'equifax' });
  const bytes = 5 * 427;

  test('header, trailer and length as the parts give them: no violation', () => {
    expect(ports.validateAssembly({ header, trailer: ports.trailer(totals), totals, bytes })).toEqual([]);
  });

  test('a trailer that disagrees with the parts, a length that does not, a broken header: each named', () => {
    const short = ports.trailer(sumPartCounts([partCounts([kept])]).totals);
    expect(ports.validateAssembly({ header, trailer: short, totals, bytes })).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ record: 5, rule: 'trailer-total', field: 'totalBaseRecords' }),
      ]),
    );
    expect(ports.validateAssembly({ header, trailer: ports.trailer(totals), totals, bytes: bytes - 427 })).toEqual([
      expect.objectContaining({ record: 5, rule: 'record-count' }),
    ]);
    expect(
      ports.validateAssembly({
        header: header.replace('HEADER', 'HEADAR'),
        trailer: ports.trailer(totals),
        totals,
        bytes,
      }),
    ).toEqual([expect.objectContaining({ record: 1, rule: 'record-identifier' })]);
  });
});

describe('assembleBureau', () => {
  const shard = (number: number, counts: PartCounts, violations: ShardFurnishing['violations'] = []) => ({
    month: MONTH,
    shard: number,
    counts,
    parts: { equifax: `part-${number}`, experian: `x-part-${number}` },
    violations,
  });

  /** `earlier`: whether an earlier run's file is there for withdraw to find. */
  const recording = (bytes: number, earlier = false) => {
    const calls: { parts: readonly string[]; trailer: string }[] = [];
    const delivered: Omit<FurnishingManifest, 'sha256' | 'location'>[] = [];
    const withdrawals: string[] = [];
    let discarded = 0;
    const assemblePorts: AssemblePorts = {
      ...ports,
      assembler: {
        assemble: async (_month, _bureau, _header, parts, trailer) => {
          calls.push({ parts, trailer });
          return {
            bytes,
            deliver: async (fields) => (delivered.push(fields), { ...fields, sha256: 'digest', location: 'here' }),
            discard: async () => void (discarded += 1),
          };
        },
        withdraw: async (month, bureau) => (withdrawals.push(`${month}/${bureau}`), earlier),
      },
    };
    return { assemblePorts, calls, delivered, withdrawals, discarded: () => discarded };
  };

  test('parts in shard order, the trailer and the manifest from the summed counts', async () => {
    const counts = [partCounts([kept], { 'no-identity': 1 }), partCounts([erased, late])];
    const { assemblePorts, calls, delivered } = recording(5 * 427);
    const result = await assembleBureau(MONTH, 'equifax', [shard(7, counts[1]!), shard(2, counts[0]!)], assemblePorts);
    expect(calls).toEqual([{ parts: ['part-2', 'part-7'], trailer: ports.trailer(sumPartCounts(counts).totals) }]);
    expect(delivered).toEqual([
      {
        month: MONTH,
        bureau: 'equifax',
        records: { header: 1, base: 3, trailer: 1 },
        skipped: { 'no-identity': 1 },
        erasures: 1,
      },
    ]);
    expect(result).toMatchObject({ status: 'delivered', manifest: { sha256: 'digest' } });
  });

  test("a part's violation rejects its bureau's file, naming shard, record and rule; nothing is assembled", async () => {
    const violation = { shard: 9, bureau: 'equifax', record: 4, rule: 'required', field: 'surname', message: 'm' };
    const { assemblePorts, calls } = recording(0);
    const result = await assembleBureau(
      MONTH,
      'equifax',
      [shard(1, partCounts([kept])), shard(9, partCounts([kept]), [violation])],
      assemblePorts,
    );
    expect(result).toEqual({ status: 'rejected', month: MONTH, bureau: 'equifax', violations: [violation] });
    expect(calls).toEqual([]);
  });

  test('parts with no base segment: nothing to furnish, with the skips; no file assembled, not "rejected"', async () => {
    const { assemblePorts, calls, delivered, withdrawals } = recording(2 * 427);
    const result = await assembleBureau(
      MONTH,
      'equifax',
      [shard(0, partCounts([], { 'no-identity': 2 })), shard(1, partCounts([], { 'no-identity': 1 }))],
      assemblePorts,
    );
    expect(result).toEqual({
      status: 'nothing-to-furnish',
      month: MONTH,
      bureau: 'equifax',
      skipped: { 'no-identity': 3 },
      withdrawn: false,
    });
    expect(calls).toEqual([]);
    expect(delivered).toEqual([]);
    // Asked all the same: there was no earlier file of the month to withdraw.
    expect(withdrawals).toEqual([`${MONTH}/equifax`]);
  });

  test("nothing to furnish where an earlier run delivered the month's file: that bureau's file withdrawn, and said so", async () => {
    const { assemblePorts, withdrawals } = recording(2 * 427, true);
    const result = await assembleBureau(MONTH, 'experian', [shard(0, partCounts([]))], assemblePorts);
    expect(result).toMatchObject({ status: 'nothing-to-furnish', bureau: 'experian', withdrawn: true });
    expect(withdrawals).toEqual([`${MONTH}/experian`]);
  });

  test('a delivered or rejected file withdraws nothing (delivery itself replaces the earlier file)', async () => {
    const good = recording(3 * 427, true);
    await assembleBureau(MONTH, 'equifax', [shard(0, partCounts([kept]))], good.assemblePorts);
    const bad = recording(427, true);
    await assembleBureau(MONTH, 'equifax', [shard(0, partCounts([kept]))], bad.assemblePorts);
    expect([good.delivered.length, bad.discarded()]).toEqual([1, 1]);
    expect([...good.withdrawals, ...bad.withdrawals]).toEqual([]);
  });

  test('an assembly whose length the parts do not give is discarded, not delivered', async () => {
    const { assemblePorts, delivered, discarded } = recording(427);
    const result = await assembleBureau(MONTH, 'equifax', [shard(0, partCounts([kept]))], assemblePorts);
    expect(result).toMatchObject({ status: 'rejected', violations: [{ rule: 'record-count' }] });
    expect(delivered).toEqual([]);
    expect(discarded()).toBe(1);
  });
});
