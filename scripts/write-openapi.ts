/**
 * `npm run docs:openapi`: writes docs/openapi.yaml from the OpenAPI document the code builds
 * (itself built from the one payment JSON Schema). A unit test fails when the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { OPENAPI_FILE, renderOpenApiYaml } from '#contract/openapi-file';

writeFileSync(OPENAPI_FILE, renderOpenApiYaml());
console.error(`Wrote ${OPENAPI_FILE}`);
