import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { directoryAssembler } from '#adapters/directory-furnishing-parts';
import { furnishingFile, manifestFile } from '#adapters/directory-furnishing-sink';

// The local assembler's withdraw (issue 23: a re-run that finds nothing to furnish withdraws the month's earlier file):
// the bureau's file and manifest of that month removed, nothing else under DATA_DIR/furnishing.

const MONTH = '2026-10';
const FIELDS = {
  month: MONTH,
  bureau: 'equifax',
  records: { header: 1, base: 1, trailer: 1 } as const,
  skipped: {},
  erasures: 0,
};

const put = async (file: string, text: string): Promise<void> => {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
};

describe('directoryAssembler.withdraw', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'furnishing-withdraw-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  test("a delivered file and its manifest removed, the other bureau's and month's kept; a second withdraw finds none", async () => {
    const assembler = directoryAssembler(directory);
    const part = path.join(directory, 'part');
    await writeFile(part, `${'B'.repeat(426)}\n`);
    await (await assembler.assemble(MONTH, 'equifax', 'H'.repeat(426), [part], 'T'.repeat(426))).deliver(FIELDS);
    const others = [furnishingFile(directory, MONTH, 'experian'), furnishingFile(directory, '2026-11', 'equifax')];
    for (const other of others) await put(other, 'another file');
    const file = furnishingFile(directory, MONTH, 'equifax');
    await expect(stat(manifestFile(file))).resolves.toBeDefined();

    expect(await assembler.withdraw(MONTH, 'equifax')).toBe(true);
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(manifestFile(file))).rejects.toMatchObject({ code: 'ENOENT' });
    for (const other of others) await expect(stat(other)).resolves.toBeDefined();
    expect(await readdir(path.dirname(file))).toEqual(['experian.metro2']);

    expect(await assembler.withdraw(MONTH, 'equifax')).toBe(false);
    expect(await assembler.withdraw('2026-12', 'equifax')).toBe(false);
  });

  test('a manifest left without its file (a crash between the two) is removed too', async () => {
    const file = furnishingFile(directory, MONTH, 'equifax');
    await put(manifestFile(file), '{}');
    expect(await directoryAssembler(directory).withdraw(MONTH, 'equifax')).toBe(true);
    expect(await readdir(path.dirname(file))).toEqual([]);
  });
});
