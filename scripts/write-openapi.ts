/**
 * `npm run docs:openapi`: writes docs/openapi.yaml from the OpenAPI document the code builds
 * (itself built from the one payment JSON Schema). A unit test fails when the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { OPENAPI_FILE, renderOpenApiYaml } from '#devtools/openapi-file';
import { runCli } from '#devtools/cli-runner';

const USAGE = `Usage: npm run docs:openapi
  writes ${OPENAPI_FILE} from the OpenAPI document the code builds`;

void runCli({
  usage: USAGE,
  main: async (args) => {
    if (parseArgs({ args, options: { help: { type: 'boolean' } } }).values.help) {
      console.log(USAGE);
      return;
    }
    writeFileSync(OPENAPI_FILE, renderOpenApiYaml());
    console.error(`Wrote ${OPENAPI_FILE}`);
  },
  describeFailure: (error) => `Could not write ${OPENAPI_FILE}: ${error.message}`,
});
