/**
 * `npm run docs:types`: writes client/openapi-types.ts from docs/openapi.yaml with openapi-typescript, so the web app,
 * the e2e tests and the benchmarks call the HTTP API through types that follow the published contract.
 * `-- --check` writes nothing and exits 1 when the file differs from what it would write (the unit test runs it so:
 * openapi-typescript loads ES modules that jest's CommonJS runtime cannot).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { renderOpenApiTypes } from './openapi-types';
import { OPENAPI_TYPES_FILE } from '#devtools/openapi-file';
import { runCli } from '#devtools/cli-runner';

const USAGE = `Usage: npm run docs:types [-- --check] [-- --file <path>]
  writes ${OPENAPI_TYPES_FILE} (or --file) from docs/openapi.yaml (run npm run docs:openapi first when the routes changed);
  --check: write nothing, exit 1 when the file is stale`;

class StaleTypesError extends Error {
  override readonly name = 'StaleTypesError';
}

void runCli({
  usage: USAGE,
  main: async (args) => {
    // A bad option is a parseArgs error: runCli answers it as a usage error (exit 2).
    const { values } = parseArgs({
      args,
      options: { help: { type: 'boolean' }, check: { type: 'boolean' }, file: { type: 'string' } },
    });
    if (values.help) {
      console.log(USAGE);
      return;
    }
    const file = values.file ?? OPENAPI_TYPES_FILE;
    const types = await renderOpenApiTypes();
    if (values.check) {
      if (readFileSync(file, 'utf8') !== types) throw new StaleTypesError(`${file} is stale: run npm run docs:types`);
      console.error(`${file} is up to date`);
      return;
    }
    writeFileSync(file, types);
    console.error(`Wrote ${file}`);
  },
  describeFailure: (error) =>
    error instanceof StaleTypesError ? error.message : `Could not write the API's types: ${error.message}`,
});
