import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '#ops/furnishing-cli';
import { accountFromCommitment, type Metro2Account, type Metro2Source } from '#domain/metro2/account';
import { Metro2Trailer, metro2BaseSegment, metro2Header } from '#domain/metro2/records';
import { scratchDir } from '../../support/scratch-dir';

const furnisher = {
  identificationNumber: 'PTRK00001',
  reporterName: 'Payments Tracker',
  reporterAddress: '100 Example Ave',
  bureau: 'equifax' as const,
  programIdentifier: 'EFX0000001',
  softwareVersion: '1.0',
};
const source = {
  commitmentId: 'GBP#rent',
  kind: 'rent',
  currency: 'GBP',
  amount: '900.00',
  dueDay: 1,
  lastPaidOn: '2026-11-01',
  history: [{ month: '2026-11', status: 'kept' }],
  paymentHistoryProfile: '0' + 'B'.repeat(23),
} as unknown as Metro2Source;
const consumer = {
  surname: 'Doe',
  firstName: 'Jane',
  dateOfBirth: '1980-02-03',
  addressLine1: '1 High St',
  city: 'Leeds',
  state: 'WY',
  postalCode: 'LS11AA',
  countryCode: 'GB',
};

const writeFile = (mutate: (lines: string[]) => void): string => {
  const account = accountFromCommitment(source, consumer, '2026-11', { userId: 'u' }) as Metro2Account;
  const trailer = new Metro2Trailer();
  trailer.add(account);
  const lines = [
    metro2Header({ furnisher, activityDate: '2026-11-30', dateCreated: '2026-12-01' }),
    metro2BaseSegment(account, furnisher),
    trailer.record(),
  ];
  mutate(lines);
  const path = join(scratchDir('metro2-'), 'file.metro2');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
};

describe('npm run furnishing -- validate', () => {
  beforeEach(() => jest.spyOn(console, 'log').mockImplementation(() => {}));
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => {}));
  afterEach(() => jest.restoreAllMocks());

  it('exits 0 on a good file', async () => {
    expect(await main(['validate', writeFile(() => {})])).toBe(0);
  });
  it('exits 1 and names the record and rule on a bad file', async () => {
    const path = writeFile((lines) => (lines[1] = lines[1]!.slice(0, 72) + 'X' + lines[1]!.slice(73)));
    expect(await main(['validate', path])).toBe(1);
    expect(console.log).toHaveBeenCalledWith(expect.stringContaining('record 2: allowed-value (portfolioType)'));
  });
  it('refuses a wrong command line', async () => {
    await expect(main(['check'])).rejects.toThrow('Expected: validate <file>');
  });
});
