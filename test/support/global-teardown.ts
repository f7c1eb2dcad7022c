/** Stops the run's DynamoDB Local (global-setup.ts); in memory, so nothing is left behind. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.dynamoDbLocal?.stop();
  globalThis.dynamoDbLocal = undefined;
}
