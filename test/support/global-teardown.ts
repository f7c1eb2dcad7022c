import { rm } from 'node:fs/promises';

/** Stops the run's DynamoDB Local (global-setup.ts), in memory, and removes the run's temporary DATA_DIR. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.dynamoDbLocal?.stop();
  globalThis.dynamoDbLocal = undefined;
  if (globalThis.testDataDir) await rm(globalThis.testDataDir, { recursive: true, force: true });
}
