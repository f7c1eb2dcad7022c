import { rm } from 'node:fs/promises';

/** Stops the run's DynamoDB Local (global-setup.ts), in memory, and removes the run's temporary folder (DATA_DIR in it). */
export default async function globalTeardown(): Promise<void> {
  await globalThis.dynamoDbLocal?.stop();
  globalThis.dynamoDbLocal = undefined;
  if (globalThis.testRunDir) await rm(globalThis.testRunDir, { recursive: true, force: true, maxRetries: 3 });
}
