import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, readFile, readdir, rm, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import { ENV } from '#contract/environment';
import type { ReadRequestEvent } from '#contract/read-api';
import { SCOPES } from '#contract/scopes';
import type { ConsumerIdentity } from '#domain/consumer-identity';
import { MONTH_SHARDS } from '#contract/tables';
import { type FurnishingResult, furnishBureau } from '#domain/furnishing';
import type { ShardFurnishing } from '#domain/furnishing-parts';
import { metro2Formatter, withoutIdentity } from '#domain/metro2/formatter';
import { validateMetro2File } from '#domain/metro2/validate';
import { NO_STATE_REASON, accountNumberOf } from '#domain/metro2/account';
import { fieldText } from '#domain/metro2/fields';
import { BASE_FIELDS, TRAILER_FIELDS, fieldNamed } from '#domain/metro2/layouts';
import type { RunSummary } from '#domain/report-run';
import { DynamoDbConsentRepository } from '#adapters/consent-repository';
import { DynamoDbIdentityRepository } from '#adapters/identity-repository';
import { directoryFurnishingSink, furnishingFile, manifestFile } from '#adapters/directory-furnishing-sink';
import { partFile } from '#adapters/directory-furnishing-parts';
import { furnisherFor } from '#adapters/furnisher';
import { userShard } from '#adapters/table-keys';
import { handler as fileDispute } from '#handlers/file-dispute';
import { main as furnishingCli } from '#ops/furnishing-cli';
import type { LambdaHandler } from '#local/lambda/lambda-runtime';
import type { ExecutionRecord } from '#local/step-functions/execution-store';
import { testDocumentClient, testTableNames } from '../support/dynamodb';
import { eraseIdentity, storeIdentity } from '../support/identities';
import { reportWorkflow, reportsRepository, runReport, storePayments, storedPayment } from '../support/reports';
import { freshPastMonths } from '../support/fresh-months';
import { statesEntered } from '../support/submissions';

// Issue 23: the monthly-report run's furnishing steps (FurnishShards, FurnishBureaus, MarkErasuresFurnished) with the real Metro 2 formatter and validator, the real ASL
// and handlers, DynamoDB Local, and the directory sink (FURNISHING_DIRECTORY, a temporary DATA_DIR/furnishing).
// Identities are written and erased through the identities table's repository, as the identity routes do. Months are
// in a past year of its own: every date in the file is in the past.

const RENT = 'SO LANDLORD FLAT 4';

const identities = new DynamoDbIdentityRepository(testDocumentClient(), testTableNames().identities);

/** A GB customer: Metro 2's State carries the two-letter region; without one the account is skipped (0020). */
const consumer = (surname: string, region: string | null = 'LN'): ConsumerIdentity => ({
  surname,
  firstName: 'Alex',
  dateOfBirth: '1980-04-02',
  addressLine1: '1 High Street',
  city: 'London',
  ...(region === null ? {} : { region }),
  postalCode: 'E1 6AN',
  countryCode: 'GB',
});

const putIdentity = (userId: string, identity: ConsumerIdentity): Promise<unknown> =>
  storeIdentity(identities, userId, identity);

const consent = (userId: string, commitmentId: string, at: string, to: boolean): Promise<void> =>
  new DynamoDbConsentRepository(testDocumentClient(), testTableNames().payments).append({
    changeId: randomUUID(),
    userId,
    requestId: randomUUID(),
    change: { commitmentId, at, by: userId, clientId: 'local-user-app', from: !to, to },
  });

const optIn = (userId: string, commitmentId: string, at: string): Promise<void> =>
  consent(userId, commitmentId, at, true);

/** Rent paid on the 1st of each month, as an integration that knows the mandate submits it. */
const rentPaid = (userId: string, months: readonly string[]) =>
  months.map((month) =>
    storedPayment({
      userId,
      timestamp: `${month}-01T08:00:00.000Z`,
      localDate: `${month}-01`,
      description: RENT,
      payee: { reference: `MANDATE-${userId.slice(0, 8)}`, name: 'Landlord', kind: 'rent' },
      amount: '650.00',
      amountMinor: 65000,
      receivedAt: `${month}-01T08:01:00.000Z`,
    }),
  );

/** The customer's own dispute of `month`, through the real handler, made at `at`. */
const dispute = async (userId: string, commitmentId: string, month: string, at: string): Promise<number> => {
  const event: ReadRequestEvent = {
    pathParameters: null,
    queryStringParameters: null,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ commitmentId, month, reason: 'paid-on-time', text: 'Paid on time' }),
    requestContext: {
      requestId: randomUUID(),
      authorizer: { claims: { sub: userId, scope: `${SCOPES.read} ${SCOPES.write}`, client_id: 'local-user-app' } },
    },
  };
  jest.useFakeTimers({ now: new Date(at), doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'queueMicrotask'] });
  try {
    return ((await fileDispute(event, {} as Context)) as { statusCode: number }).statusCode;
  } finally {
    jest.useRealTimers();
  }
};

const succeeded = (execution: ExecutionRecord): RunSummary => {
  if (execution.status !== 'SUCCEEDED') throw new Error(`Execution ${execution.status}: ${execution.error}`);
  return execution.output as RunSummary;
};

const directory = (): string => process.env[ENV.furnishingDirectory]!;

const recordsOf = async (file: string): Promise<string[]> =>
  (await readFile(file, 'latin1')).split('\n').filter((line) => line !== '');

const baseField = (record: string, name: string): string => fieldText(record, fieldNamed(BASE_FIELDS, name)).trim();
const trailerCount = (record: string, name: string): number =>
  Number(fieldText(record, fieldNamed(TRAILER_FIELDS, name)));

const commitmentIdOf = async (userId: string, month: string): Promise<string> =>
  (await reportsRepository().getReport(userId, month))!.commitments[0]!.commitmentId;

const freshYearMonths = () => freshPastMonths(4, 4) as [string, string, string, string];

const statusesOf = (bases: readonly string[]): string[] => bases.map((record) => baseField(record, 'accountStatus'));

/**
 * The month's file as the one-invocation path writes it (furnishBureau over the whole month, before decision 0023's
 * shards): the sharded parts + assemble must give exactly these records, trailer included.
 */
const oneFileOf = async (month: string): Promise<string[]> => {
  const scratch = await mkdtemp(path.join(tmpdir(), 'one-file-'));
  try {
    const today = new Date().toISOString().slice(0, 10);
    const { result } = await furnishBureau(month, 'equifax', reportsRepository().reportsOfMonth(month, 50), {
      formatter: metro2Formatter(furnisherFor('equifax'), today),
      validator: async (lines) => (await validateMetro2File(lines, { today })).map(withoutIdentity),
      identities,
      sink: directoryFurnishingSink(scratch),
    });
    expect(result.status).toBe('delivered');
    return await recordsOf(furnishingFile(scratch, month, 'equifax'));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
};

describe('the furnishing step of the report run (real Metro 2 formatter and validator, ASL, DynamoDB Local)', () => {
  const workflow = reportWorkflow();

  test('opted in, opted out, disputed, erased, no identity, no region: exactly the right records, validated, a re-run the same, the DA once', async () => {
    const months = freshYearMonths();
    const [m1, m2, m3, m4] = months;
    const [optedIn, optedOut, disputed, noIdentity, erased, noRegion] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];
    const everyone = [optedIn, optedOut, disputed, noIdentity, erased, noRegion];
    await storePayments(everyone.flatMap((userId) => rentPaid(userId, months)));
    succeeded(await runReport(workflow, m1));
    for (const userId of [optedIn, optedOut, disputed, erased])
      await putIdentity(userId, consumer(`Surname ${userId[0]}`));
    await putIdentity(noRegion, consumer('Noregion', null));
    for (const userId of [optedIn, disputed, noIdentity, erased, noRegion])
      await optIn(userId, await commitmentIdOf(userId, m1), `${m1}-15T10:00:00.000Z`);
    expect(await dispute(disputed, await commitmentIdOf(disputed, m1), m2, `${m3}-03T10:00:00.000Z`)).toBe(201);
    succeeded(await runReport(workflow, m2));
    await eraseIdentity(identities, erased);

    const run = await runReport(workflow, m3);
    const summary = succeeded(run);
    expect(statesEntered(run)).toEqual([
      'StartReportRun',
      'ReportShards',
      'FurnishShards',
      'FurnishBureaus',
      'FurnishBureau',
      'MarkErasuresFurnished',
      'WriteSummary',
    ]);
    const file = furnishingFile(directory(), m3, 'equifax');
    const records = await recordsOf(file);
    const bases = records.slice(1, -1);
    const accounts = new Map(bases.map((record) => [baseField(record, 'consumerAccountNumber'), record]));
    const accountOf = async (userId: string) => accounts.get(accountNumberOf(userId, await commitmentIdOf(userId, m3)));
    // Other tests' months are elsewhere; this month is this test's alone. The erased customer: one DA per commitment.
    expect(bases).toHaveLength(3);
    expect(statusesOf(bases).sort()).toEqual(['11', '11', 'DA']);
    expect(baseField((await accountOf(erased))!, 'accountStatus')).toBe('DA');
    expect(baseField((await accountOf(optedIn))!, 'accountStatus')).toBe('11');
    expect(baseField((await accountOf(optedIn))!, 'countryCode')).toBe('GB');
    expect(baseField((await accountOf(optedIn))!, 'state')).toBe('LN');
    expect(baseField((await accountOf(optedIn))!, 'complianceConditionCode')).toBe('');
    expect(baseField((await accountOf(disputed))!, 'complianceConditionCode')).toBe('XB');
    expect(await accountOf(optedOut)).toBeUndefined();
    expect(await accountOf(noIdentity)).toBeUndefined();
    expect(await accountOf(noRegion)).toBeUndefined();
    const trailer = records.at(-1)!;
    // Through 64 parts and the assembly, exactly the records and trailer of the one-invocation path (the same day).
    expect(records).toEqual(await oneFileOf(m3));
    for (let shard = 0; shard < MONTH_SHARDS; shard += 1)
      await expect(stat(partFile(directory(), m3, 'equifax', shard))).resolves.toBeDefined();
    expect(run.furnishingChildren).toHaveLength(MONTH_SHARDS);
    expect(trailerCount(trailer, 'totalBaseRecords')).toBe(3);
    expect(trailerCount(trailer, 'blockCount')).toBe(5);
    expect(trailerCount(trailer, 'totalStatusCodeDA')).toBe(1);
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await furnishingCli(['validate', file])).toBe(0);
    expect(printed).toHaveBeenCalledWith(`${file}: valid`);
    printed.mockRestore();

    // The summary (and the run's history) hold counts and the location, never an identity.
    const manifest = JSON.parse(await readFile(manifestFile(file), 'utf8')) as Record<string, unknown>;
    expect(summary.furnishing).toEqual({ files: [{ status: 'delivered', manifest }] });
    expect(manifest).toMatchObject({
      month: m3,
      bureau: 'equifax',
      records: { header: 1, base: 3, trailer: 1 },
      skipped: { 'no-identity': 1, 'the customer has not opted it in': 1, [NO_STATE_REASON]: 1 },
      erasures: 1,
      location: file,
    });
    // Delivered to every bureau: the erasure is marked furnished in this month (ids only; the run never names it).
    expect(await identities.get(erased)).toMatchObject({ state: 'erasure-furnished', furnishedIn: m3 });
    expect(JSON.stringify(run)).not.toContain(erased);
    expect(await reportsRepository().getSummary(m3)).toMatchObject({ furnishing: summary.furnishing });
    expect(JSON.stringify(run)).not.toMatch(/SURNAME|Surname|High Street|1980-04-02/);

    // A re-run replaces the file: the same records (the same day), the DA still in the month it was first sent in.
    const again = succeeded(await runReport(workflow, m3));
    expect(await recordsOf(file)).toEqual(records);
    expect((again.furnishing!.files[0] as Extract<FurnishingResult, { status: 'delivered' }>).manifest.sha256).toBe(
      manifest.sha256,
    );

    // The next month's file carries no record of the erased customer: the DA was sent once.
    const next = succeeded(await runReport(workflow, m4));
    const nextBases = (await recordsOf(furnishingFile(directory(), m4, 'equifax'))).slice(1, -1);
    expect(nextBases).toHaveLength(2);
    expect(statusesOf(nextBases)).not.toContain('DA');
    expect(nextBases.map((record) => baseField(record, 'consumerAccountNumber'))).not.toContain(
      accountNumberOf(erased, await commitmentIdOf(erased, m4)),
    );
    expect(next.furnishing!.files[0]).toMatchObject({ status: 'delivered', manifest: { erasures: 0 } });
  }, 300_000);

  test('a part that fails validation rejects the file: the summary names the shard, the record and the rule; no erasure marked', async () => {
    const months = freshYearMonths();
    const [m1] = months;
    const [good, blankName, erased] = [randomUUID(), randomUUID(), randomUUID()];
    await storePayments([good, blankName, erased].flatMap((userId) => rentPaid(userId, [m1])));
    succeeded(await runReport(workflow, m1));
    await putIdentity(good, consumer('Good'));
    await putIdentity(erased, consumer('Erased'));
    await eraseIdentity(identities, erased);
    // What the PUT route's validation refuses at the door; the validator is the last check before the bureau.
    await putIdentity(blankName, consumer('   '));
    for (const userId of [good, blankName])
      await optIn(userId, await commitmentIdOf(userId, m1), `${m1}-02T10:00:00.000Z`);

    const run = await runReport(workflow, m1);
    const summary = succeeded(run);
    expect(summary.furnishing?.files).toEqual([
      {
        status: 'rejected',
        month: m1,
        bureau: 'equifax',
        violations: [
          {
            shard: userShard(blankName),
            bureau: 'equifax',
            record: expect.any(Number),
            rule: 'required',
            field: 'surname',
            message: expect.any(String),
          },
        ],
      },
    ]);
    await expect(stat(furnishingFile(directory(), m1, 'equifax'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(manifestFile(furnishingFile(directory(), m1, 'equifax')))).rejects.toMatchObject({
      code: 'ENOENT',
    });
    // The DA was not delivered: the erasure stays pending, for the next run to send.
    expect(await identities.get(erased)).toMatchObject({ state: 'erased' });
  }, 300_000);
});

describe('two bureaus: one FurnishBureau step each, the erasures marked after both', () => {
  const BUREAUS = ['equifax', 'experian'];
  const setting = process.env[ENV.furnishingBureaus];
  beforeAll(() => {
    process.env[ENV.furnishingBureaus] = BUREAUS.join(',');
  });
  afterAll(() => {
    if (setting === undefined) delete process.env[ENV.furnishingBureaus];
    else process.env[ENV.furnishingBureaus] = setting;
  });

  /** A good and an erased customer, both opted in, reported in m1; their files are furnished from m2 on. */
  const goodAndErased = async (m1: string, months: readonly string[]): Promise<string> => {
    const [good, erased] = [randomUUID(), randomUUID()];
    await storePayments([good, erased].flatMap((userId) => rentPaid(userId, months)));
    succeeded(await runReport(reportWorkflow(), m1));
    await putIdentity(good, consumer('Good'));
    await putIdentity(erased, consumer('Erased'));
    for (const userId of [good, erased])
      await optIn(userId, await commitmentIdOf(userId, m1), `${m1}-15T10:00:00.000Z`);
    await eraseIdentity(identities, erased);
    return erased;
  };

  /** Where the parts of experian's file of one shard are corrupted after FurnishShard wrote them (a stray record). */
  const corruptingExperian = (handler: LambdaHandler): LambdaHandler =>
    (async (input: never, context: Context) => {
      const answer = (await handler(input, context)) as ShardFurnishing;
      if (answer.counts.base > 0) await appendFile(answer.parts.experian!, `${'X'.repeat(426)}\n`, 'latin1');
      return answer;
    }) as LambdaHandler;

  const erasureStepOf = (run: ExecutionRecord) =>
    statesEntered(run).filter((state) => state === 'MarkErasuresFurnished');

  test('both delivered: two files with the same records, each its own step; the erasure marked once', async () => {
    const [m1, m2] = freshYearMonths();
    const erased = await goodAndErased(m1, [m1, m2]);
    const run = await runReport(reportWorkflow(), m2);
    const summary = succeeded(run);
    expect(statesEntered(run).filter((state) => state === 'FurnishBureau')).toHaveLength(2);
    expect(erasureStepOf(run)).toEqual(['MarkErasuresFurnished']);
    expect(summary.furnishing!.files.map((file) => file.status)).toEqual(['delivered', 'delivered']);
    expect(summary.furnishing!.files).toEqual(
      BUREAUS.map((bureau) =>
        expect.objectContaining({
          manifest: expect.objectContaining({ bureau, erasures: 1, records: { header: 1, base: 2, trailer: 1 } }),
        }),
      ),
    );
    const [equifax, experian] = await Promise.all(
      BUREAUS.map((bureau) => recordsOf(furnishingFile(directory(), m2, bureau))),
    );
    expect(statusesOf(experian!.slice(1, -1)).sort()).toEqual(['11', 'DA']);
    expect(experian!.slice(1, -1).map((record) => baseField(record, 'consumerAccountNumber'))).toEqual(
      equifax!.slice(1, -1).map((record) => baseField(record, 'consumerAccountNumber')),
    );
    expect(await identities.get(erased)).toMatchObject({ state: 'erasure-furnished', furnishedIn: m2 });
    expect(JSON.stringify(run)).not.toContain(erased);
  }, 300_000);

  test('one rejected, one delivered: no erasure marked; the next run sends the DA to both and marks it', async () => {
    const [m1, m2, m3] = freshYearMonths();
    const erased = await goodAndErased(m1, [m1, m2, m3]);
    const run = await runReport(reportWorkflow({ FurnishShard: corruptingExperian }), m2);
    const summary = succeeded(run);
    expect(summary.furnishing!.files).toEqual([
      expect.objectContaining({ status: 'delivered', manifest: expect.objectContaining({ bureau: 'equifax' }) }),
      expect.objectContaining({
        status: 'rejected',
        bureau: 'experian',
        violations: [expect.objectContaining({ rule: 'record-count' })],
      }),
    ]);
    await expect(stat(furnishingFile(directory(), m2, 'experian'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await identities.get(erased)).toMatchObject({ state: 'erased' });

    const next = succeeded(await runReport(reportWorkflow(), m3));
    expect(next.furnishing!.files.map((file) => file.status)).toEqual(['delivered', 'delivered']);
    for (const bureau of BUREAUS)
      expect(statusesOf((await recordsOf(furnishingFile(directory(), m3, bureau))).slice(1, -1))).toContain('DA');
    expect(await identities.get(erased)).toMatchObject({ state: 'erasure-furnished', furnishedIn: m3 });
  }, 300_000);

  test('one bureau failing after its retries (its file path unwritable): the other delivered and listed, no erasure marked; fixed, the next run delivers both and marks it', async () => {
    const [m1, m2, m3] = freshYearMonths();
    const erased = await goodAndErased(m1, [m1, m2, m3]);
    // A real fault: a directory where experian's file is renamed into place, so its delivery fails (EISDIR).
    const blocked = furnishingFile(directory(), m2, 'experian');
    await mkdir(blocked, { recursive: true });
    const run = await runReport(reportWorkflow(), m2);
    const summary = succeeded(run);
    expect(statesEntered(run)).toContain('BureauFailed');
    expect(statesEntered(run)).not.toContain('FurnishingFailed');
    expect(summary.furnishing).toEqual({
      files: [
        expect.objectContaining({ status: 'delivered', manifest: expect.objectContaining({ bureau: 'equifax' }) }),
        { status: 'failed', month: m2, bureau: 'experian', error: 'Error' },
      ],
    });
    expect(JSON.stringify(summary)).not.toContain('EISDIR');
    await expect(stat(furnishingFile(directory(), m2, 'equifax'))).resolves.toBeDefined();
    await expect(stat(manifestFile(blocked))).rejects.toMatchObject({ code: 'ENOENT' });
    // The failed delivery's staged file is gone, not left beside the month's files.
    expect((await readdir(path.dirname(blocked))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(erasureStepOf(run)).toEqual(['MarkErasuresFurnished']);
    expect(await identities.get(erased)).toMatchObject({ state: 'erased' });

    await rmdir(blocked);
    const again = succeeded(await runReport(reportWorkflow(), m2));
    expect(again.furnishing!.files.map((file) => file.status)).toEqual(['delivered', 'delivered']);
    expect(statusesOf((await recordsOf(blocked)).slice(1, -1))).toContain('DA');
    expect(await identities.get(erased)).toMatchObject({ state: 'erasure-furnished', furnishedIn: m2 });
  }, 300_000);

  test("a re-run that finds nothing to furnish (every customer opted out since) withdraws the month's earlier files and manifests, and says so", async () => {
    const [m1, m2] = freshYearMonths();
    const customers = [randomUUID(), randomUUID()];
    await storePayments(customers.flatMap((userId) => rentPaid(userId, [m1, m2])));
    succeeded(await runReport(reportWorkflow(), m1));
    for (const userId of customers) {
      await putIdentity(userId, consumer('Good'));
      await optIn(userId, await commitmentIdOf(userId, m1), `${m1}-15T10:00:00.000Z`);
    }
    const first = succeeded(await runReport(reportWorkflow(), m2));
    expect(first.furnishing!.files.map((file) => file.status)).toEqual(['delivered', 'delivered']);
    for (const bureau of BUREAUS) await expect(stat(furnishingFile(directory(), m2, bureau))).resolves.toBeDefined();

    for (const userId of customers)
      await consent(userId, await commitmentIdOf(userId, m2), `${m2}-20T10:00:00.000Z`, false);
    const again = succeeded(await runReport(reportWorkflow(), m2));
    expect(again.furnishing!.files).toEqual(
      BUREAUS.map((bureau) => ({
        status: 'nothing-to-furnish',
        month: m2,
        bureau,
        skipped: { 'the customer has not opted it in': 2 },
        withdrawn: true,
      })),
    );
    for (const bureau of BUREAUS) {
      await expect(stat(furnishingFile(directory(), m2, bureau))).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(stat(manifestFile(furnishingFile(directory(), m2, bureau)))).rejects.toMatchObject({
        code: 'ENOENT',
      });
    }
    expect(await reportsRepository().getSummary(m2)).toMatchObject({ furnishing: again.furnishing });
    // A third run finds no earlier file: nothing withdrawn this time.
    const third = succeeded(await runReport(reportWorkflow(), m2));
    expect(
      third.furnishing!.files.map((file) => (file.status === 'nothing-to-furnish' ? file.withdrawn : file)),
    ).toEqual([false, false]);
  }, 300_000);

  test('a month with nothing to furnish (no customer with an identity opted in): no file for either bureau, never "rejected"', async () => {
    const [m1] = freshYearMonths();
    const [first, second] = [randomUUID(), randomUUID()];
    await storePayments([first, second].flatMap((userId) => rentPaid(userId, [m1])));
    const summary = succeeded(await runReport(reportWorkflow(), m1));
    expect(summary.furnishing!.files).toEqual(
      BUREAUS.map((bureau) => ({
        status: 'nothing-to-furnish',
        month: m1,
        bureau,
        skipped: { 'no-identity': 2 },
        withdrawn: false,
      })),
    );
    for (const bureau of BUREAUS) {
      await expect(stat(furnishingFile(directory(), m1, bureau))).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(stat(manifestFile(furnishingFile(directory(), m1, bureau)))).rejects.toMatchObject({
        code: 'ENOENT',
      });
    }
  }, 300_000);
});
