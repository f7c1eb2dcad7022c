import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningDynamoDbLocal, localDynamoDbClient, startDynamoDbLocal } from '#local/dynamodb/dynamodb-local';
import { freePort } from '#local/free-port';
import { handlerEnvironment } from '#local/lambda/handler-environment';
import { ensureTables } from '#local/dynamodb/table-bootstrap';
import { localTableNames } from '#contract/tables';
import { ENV } from '#contract/environment';
import { YEAR_CLAIMS_ENV } from './fresh-months';

/** Test tables carry this prefix; e2e stacks sharing the instance add their own (devtools/local-stack-process.ts). */
export const TEST_TABLE_PREFIX = 'test-';

const QUICK_START_JVM = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

declare global {
  // Set here, read by global-teardown.ts: jest runs both in its main process.
  var dynamoDbLocal: RunningDynamoDbLocal | undefined;
  var testRunDir: string | undefined;
}

/**
 * One in-memory DynamoDB Local for the whole jest run (a few seconds to start); every test
 * file shares it and keeps apart by writing fresh UUIDs. The workers start after this and
 * inherit these variables, so the handlers find the database as they would in Lambda.
 */
export default async function globalSetup(): Promise<void> {
  // Every java of the run (this DynamoDB Local, the stacks' own, the launcher's javac) inherits it: databases that live
  // minutes under a test's light load spend a quarter less CPU with the quick-starting JVM (C1 only, serial GC) than
  // with the defaults tuned for long runs (two workflow files: 56 CPU-s against 75). npm start and the benchmarks
  // keep the JVM's defaults; a developer's own JAVA_TOOL_OPTIONS wins.
  process.env.JAVA_TOOL_OPTIONS ??= QUICK_START_JVM;
  // The run's temporary folder (TMPDIR, inherited by the workers and all they start): every directory a test, stack,
  // CLI, in-process synth or browser makes goes under it, and teardown removes it whole, so a run leaves nothing in
  // /tmp, not even what a killed stack or a crashed test left (a fresh-clone run used to leave some 70 directories there).
  globalThis.testRunDir = await mkdtemp(path.join(tmpdir(), 'jest-run-'));
  process.env.TMPDIR = globalThis.testRunDir;
  const dynamoDb = await startDynamoDbLocal({ port: await freePort() });
  globalThis.dynamoDbLocal = dynamoDb;
  const tables = localTableNames(TEST_TABLE_PREFIX);
  const client = localDynamoDbClient(dynamoDb.endpoint);
  try {
    await ensureTables(client, tables);
  } finally {
    client.destroy();
  }
  // What the handlers read, as the local stack gives it them; the test credentials, not the shell's.
  // DATA_DIR (so FurnishBureau's files) in the run's folder, never the repository's .data.
  const dataDir = await mkdtemp(path.join(tmpdir(), 'jest-data-'));
  Object.assign(process.env, handlerEnvironment(dynamoDb.endpoint, tables, 'SILENT', { DATA_DIR: dataDir }));
  process.env[YEAR_CLAIMS_ENV] = path.join(dataDir, 'claimed-years');
  await mkdir(process.env[YEAR_CLAIMS_ENV]);
  // No Step Functions API here: a port nothing serves, so a run meeting a held month never asks
  // AWS or another stack (the tests that need the API start one and point this at it).
  process.env[ENV.sfnEndpoint] = `http://127.0.0.1:${await freePort()}`;
}
