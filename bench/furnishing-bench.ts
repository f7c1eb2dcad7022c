import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { furnishBureau } from '#domain/furnishing';
import type { Metro2Consumer } from '#domain/metro2/account';
import { metro2Formatter } from '#domain/metro2/formatter';
import { validateMetro2File } from '#domain/metro2/validate';
import { previousMonth } from '#domain/month';
import { type CycleStatus, historyOf, paymentHistoryProfile, streakOf } from '#domain/payment-history';
import type { Commitment, MonthlyReport } from '#domain/report';
import { directoryFurnishingSink } from '#adapters/directory-furnishing-sink';
import { furnisherFor } from '#adapters/furnisher';
import { UsageError, runCli } from '#devtools/cli-runner';
import { loadAverage } from './machine';

/**
 * `npm run bench:furnishing -- --customers 100000`: FurnishMonth's own work for one bureau (Metro 2 formatting, the file
 * written, read back and validated, the manifest) over generated reports of 4 rent/utility/telecom commitments each,
 * 200 reports a page as the report reader yields them. DynamoDB's reads are not in it (the export's reader, measured by
 * its own bench); the identities are in memory. Prints time, peak RSS and the file's size.
 */
const USAGE = 'Usage: npm run bench:furnishing -- [--customers 100000] [--month 2026-10]';
const KINDS = ['rent', 'utility', 'telecom', 'rent'] as const;
const CONSUMER: Metro2Consumer = {
  surname: 'Okafor',
  firstName: 'Ada',
  dateOfBirth: '1985-07-14',
  addressLine1: '12 Mill Lane',
  city: 'Leeds',
  state: 'WY',
  postalCode: 'LS1 4AB',
  countryCode: 'GB',
};

const commitmentOf = (month: string, index: number): Commitment => {
  const known = new Map<string, CycleStatus>();
  for (let at = month, n = 0; n < 12; at = previousMonth(at), n += 1) known.set(at, 'kept');
  const history = historyOf(month, known);
  return {
    commitmentId: `GBP#ref#MANDATE${index}`,
    payee: 'Payee',
    payeeKey: `payee ${index}`,
    kind: KINDS[index]!,
    currency: 'GBP',
    amount: '650.00',
    dueDay: 1,
    lastPaidOn: `${month}-01`,
    streak: streakOf(history),
    history,
    paymentHistoryProfile: paymentHistoryProfile(history),
    clientIds: ['bank-feed'],
    selfReported: false,
    payments: [],
    consent: { report: true, changedAt: `${month}-01T00:00:00.000Z` },
  };
};

async function* reports(month: string, customers: number): AsyncGenerator<MonthlyReport[]> {
  const commitments = [0, 1, 2, 3].map((index) => commitmentOf(month, index));
  for (let done = 0; done < customers; done += 200) {
    const count = Math.min(200, customers - done);
    yield Array.from({ length: count }, () => ({
      userId: randomUUID(),
      month,
      payments: 4,
      builtAt: `${month}-28T00:00:00.000Z`,
      commitments,
      aheadPayments: [],
      payeeRoutes: [],
    }));
  }
}

const main = async (args: string[]): Promise<number> => {
  const { values } = parseArgs({ args, options: { customers: { type: 'string' }, month: { type: 'string' } } });
  const customers = Number(values.customers ?? 100_000);
  const month = values.month ?? '2026-10';
  if (!Number.isInteger(customers) || customers <= 0) throw new UsageError('--customers must be a positive integer');
  const directory = await mkdtemp(path.join(tmpdir(), 'furnishing-bench-'));
  const today = new Date().toISOString().slice(0, 10);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const load = loadAverage();
  const started = performance.now();
  try {
    const { result } = await furnishBureau(month, 'equifax', reports(month, customers), {
      formatter: metro2Formatter(furnisherFor('equifax'), today),
      validator: (lines) => validateMetro2File(lines, { today }),
      identities: { identitiesOf: async (userIds) => new Map(userIds.map((id) => [id, CONSUMER])) },
      sink: directoryFurnishingSink(directory),
    });
    const seconds = (performance.now() - started) / 1000;
    if (result.status !== 'delivered') throw new Error(`Rejected: ${JSON.stringify(result.violations)}`);
    const bytes = (await stat(result.manifest.location)).size;
    console.log(
      `| ${customers.toLocaleString('en')} | ${result.manifest.records.base.toLocaleString('en')} | ${seconds.toFixed(1)} s | ${(peak / 2 ** 20).toFixed(0)} MiB | ${(bytes / 2 ** 20).toFixed(0)} MiB | ${load} |`,
    );
    return 0;
  } finally {
    clearInterval(sampler);
    await rm(directory, { recursive: true, force: true });
  }
};

void runCli({ usage: USAGE, main });
