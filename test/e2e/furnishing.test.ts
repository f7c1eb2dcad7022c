import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '#contract/environment';
import { LOCAL_INTEGRATION_CLIENT_ID } from '#contract/oauth-clients';
import { INTEGRATION_SCOPES, SCOPES } from '#contract/scopes';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import type { RunSummary } from '#domain/report-run';
import { monthBefore } from '#domain/month';
import { toDocumentClient } from '#adapters/dynamodb-client';
import { furnishingFile } from '#adapters/directory-furnishing-sink';
import { localDynamoDbClient } from '#local/dynamodb/dynamodb-local';
import { type RunningLocalStack, startLocalStack } from '#devtools/local-stack-process';
import { paymentSubmission } from '#devtools/submissions';
import { runOps } from '#ops/cli';
import { apiFor, submitBatch } from '../support/http';
import { npmRunReport } from '../support/report-cli';

/**
 * Issue 23 end to end: rent submitted over HTTP by an integration that names the payee's kind, `npm run report` beside
 * a started stack, then the month's Metro 2 file under the stack's DATA_DIR checked by `npm run furnishing -- validate`
 * as a process, and the file shown by the run summary (HTTP) and `npm run ops -- execution`. The stage opts
 * commitments in by default (CONSENT_DEFAULT) and identities come from the minimal identities table
 * (lambdas/adapters/identity-source.ts) until identity23's repository and route replace it.
 */
const TSX = path.join(REPOSITORY_ROOT, 'node_modules/.bin/tsx');
const run = promisify(execFile);
let stack: RunningLocalStack;
const identitiesTable = `e2e-identities-${randomUUID()}`;

beforeAll(async () => {
  stack = await startLocalStack();
  const client = localDynamoDbClient(stack.dynamoDbEndpoint);
  await client.send(
    new CreateTableCommand({
      TableName: identitiesTable,
      KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  client.destroy();
});

afterAll(async () => {
  await stack?.stop();
});

const month = monthBefore(new Date());

test('npm run report furnishes the month: the file under DATA_DIR passes npm run furnishing -- validate; summary and ops show it', async () => {
  const [withIdentity, withoutIdentity] = [randomUUID(), randomUUID()];
  const rent = (userId: string) =>
    paymentSubmission({
      userId,
      timestamp: `${month}-01T09:00:00Z`,
      description: 'SO LANDLORD RENT',
      amount: '900.00',
      currency: 'GBP',
      payee: { reference: `MANDATE-${userId.slice(0, 8)}`, name: 'Landlord', kind: 'rent' },
    });
  const token = await stack.token({
    sub: LOCAL_INTEGRATION_CLIENT_ID,
    clientId: LOCAL_INTEGRATION_CLIENT_ID,
    scope: INTEGRATION_SCOPES.join(' '),
  });
  expect((await submitBatch(stack.url, token, [rent(withIdentity), rent(withoutIdentity)])).data?.counts).toEqual({
    201: 2,
  });
  const documents = toDocumentClient(localDynamoDbClient(stack.dynamoDbEndpoint));
  await documents.send(
    new PutCommand({
      TableName: identitiesTable,
      Item: {
        userId: withIdentity,
        consumer: {
          surname: 'Okafor',
          firstName: 'Ada',
          dateOfBirth: '1985-07-14',
          addressLine1: '12 Mill Lane',
          city: 'Leeds',
          state: 'WY',
          postalCode: 'LS1 4AB',
          countryCode: 'GB',
        },
      },
    }),
  );
  documents.destroy();

  // The report process reads the stage's settings from its environment, as a Lambda would.
  process.env[ENV.identitiesTable] = identitiesTable;
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
        records: { header: 1, base: 1, trailer: 1 },
        skipped: { 'no-identity': 1 },
        location: file,
      }),
    },
  ]);

  const validated = await run(TSX, ['ops/furnishing-cli.ts', 'validate', file], { cwd: REPOSITORY_ROOT });
  expect(validated.stderr).toContain(`${file}: valid`);

  const admin = await stack.token({ sub: randomUUID(), scope: SCOPES.reportsAdmin });
  const answer = await apiFor(stack.url, admin).GET('/reports/{month}/summary', { params: { path: { month } } });
  expect(answer.data?.furnishing).toEqual(summary.furnishing);

  const printed: string[] = [];
  const target = ['--endpoint', stack.sfnUrl, '--dynamodb-endpoint', stack.dynamoDbEndpoint];
  const arn = /^(arn:\S+): SUCCEEDED$/m.exec(report.stderr)?.[1] ?? 'no execution printed';
  expect(await runOps(['execution', arn, ...target], (text) => printed.push(text))).toBe(0);
  expect(printed.join('\n')).toMatch(
    new RegExp(`Furnishing files[\\s\\S]*equifax\\s+delivered\\s+${file}\\s+1\\s+1 no-identity\\s+passed`),
  );
}, 300_000);
