import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { ENV } from '#contract/environment';
import { LOCAL_OPERATIONS_CLIENT_ID } from '#contract/oauth-clients';
import { OPERATIONS_SCOPES, SCOPES } from '#contract/scopes';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import type { RunSummary } from '#domain/report-run';
import { monthBefore } from '#domain/month';
import { furnishingFile } from '#adapters/directory-furnishing-sink';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { paymentSubmission } from '#devtools/submissions';
import { runOps } from '#ops/cli';
import { type HttpAnswer, apiFor, postTo, submitBatch } from '../support/http';
import { npmRunReport } from '../support/report-cli';
import { typeScriptProcess } from '#devtools/typescript-process';
import { integrationToken } from '../support/tokens';

/**
 * Issue 23 end to end: rent submitted over HTTP by an integration that names the payee's kind, `npm run report` beside
 * a started stack, then the month's Metro 2 file under the stack's DATA_DIR checked by `npm run furnishing -- validate`
 * as a process, and the file shown by the run summary (HTTP) and `npm run ops -- execution`. The stage opts
 * commitments in by default (CONSENT_DEFAULT); identities are written by the integration (`PUT
 * /customers/{userId}/identity`) and erased by operations (`DELETE`), over HTTP with their own tokens.
 */
const run = promisify(execFile);
let stack: RunningLocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});

const operationsToken = () =>
  stack.token({
    sub: LOCAL_OPERATIONS_CLIENT_ID,
    clientId: LOCAL_OPERATIONS_CLIENT_ID,
    scope: OPERATIONS_SCOPES.join(' '),
  });

/** A GB identity with its two-letter region (Metro 2's State, required for every address). */
const IDENTITY = {
  surname: 'Okafor',
  firstName: 'Ada',
  dateOfBirth: '1985-07-14',
  addressLine1: '12 Mill Lane',
  city: 'Leeds',
  region: 'WY',
  postalCode: 'LS1 4AB',
  countryCode: 'GB',
};

const putIdentity = async (userId: string): Promise<HttpAnswer> =>
  postTo(stack.url, `/customers/${userId}/identity`, {
    token: await integrationToken(stack),
    body: IDENTITY,
    method: 'PUT',
  });
const eraseIdentity = async (userId: string): Promise<HttpAnswer> =>
  postTo(stack.url, `/customers/${userId}/identity`, {
    token: await operationsToken(),
    method: 'DELETE',
    body: '',
    contentType: null,
  });

afterAll(async () => {
  await stack?.stop();
});

const month = monthBefore(new Date());

test('npm run report furnishes the month: the file under DATA_DIR passes npm run furnishing -- validate; summary and ops show it; an erasure sent once', async () => {
  const [withIdentity, withoutIdentity, erased] = [randomUUID(), randomUUID(), randomUUID()];
  const rent = (userId: string) =>
    paymentSubmission({
      userId,
      timestamp: `${month}-01T09:00:00Z`,
      description: 'SO LANDLORD RENT',
      amount: '900.00',
      currency: 'GBP',
      payee: { reference: `MANDATE-${userId.slice(0, 8)}`, name: 'Landlord', kind: 'rent' },
    });
  const submitted = await submitBatch(
    stack.url,
    await integrationToken(stack),
    [withIdentity, withoutIdentity, erased].map(rent),
  );
  expect(submitted.data?.counts).toEqual({ 201: 3 });
  expect((await putIdentity(withIdentity)).status).toBe(201);
  expect((await putIdentity(erased)).status).toBe(201);
  expect((await eraseIdentity(erased)).status).toBe(204);
  // While its deletion is not yet furnished, no new identity is taken.
  expect((await putIdentity(erased)).status).toBe(409);

  // The report process reads the stage's settings from its environment, as a Lambda would.
  process.env[ENV.consentDefault] = 'opted-in';
  const report = await npmRunReport(stack, month);
  expect(report).toMatchObject({ status: 0 });
  const summary = JSON.parse(report.stdout) as RunSummary;
  const file = furnishingFile(path.join(stack.dataDir, 'furnishing'), month, 'equifax');
  expect(summary.furnishing?.files).toEqual([
    {
      status: 'delivered',
      manifest: expect.objectContaining({
        month,
        bureau: 'equifax',
        records: { header: 1, base: 2, trailer: 1 },
        skipped: { 'no-identity': 1 },
        erasures: 1,
        location: file,
      }),
    },
  ]);
  // The DA was delivered: the erasure is furnished, so the integration may write an identity again.
  expect((await putIdentity(erased)).status).toBe(201);

  const validated = await run(...typeScriptProcess('ops/furnishing-cli.ts', ['validate', file]), {
    cwd: REPOSITORY_ROOT,
  });
  expect(validated.stderr).toContain(`${file}: valid`);

  const admin = await stack.token({ sub: randomUUID(), scope: SCOPES.reportsAdmin });
  const answer = await apiFor(stack.url, admin).GET('/reports/{month}/summary', { params: { path: { month } } });
  expect(answer.data?.furnishing).toEqual(summary.furnishing);

  const printed: string[] = [];
  const target = ['--endpoint', stack.sfnUrl, '--dynamodb-endpoint', stack.dynamoDbEndpoint];
  const arn = /^(arn:\S+): SUCCEEDED$/m.exec(report.stderr)?.[1] ?? 'no execution printed';
  expect(await runOps(['execution', arn, ...target], (text) => printed.push(text))).toBe(0);
  expect(printed.join('\n')).toMatch(
    new RegExp(`Furnishing files[\\s\\S]*equifax\\s+delivered\\s+${file}\\s+2\\s+1 no-identity\\s+passed`),
  );
}, 300_000);
