import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildOpenApiDocument } from '#contract/openapi';
import { OPENAPI_FILE, renderOpenApiYaml } from '#devtools/openapi-file';
import { PAYMENT_SCHEMA } from '#domain/payment-schema';
import { PROBLEMS } from '#contract/problems';

describe('OpenAPI contract', () => {
  it('docs/openapi.yaml is a valid OpenAPI 3.1 document', () => {
    // The validator is ESM-only; its CLI validates the committed file against the 3.1 schemas.
    const cli = path.resolve('node_modules/.bin/validate-api');
    const result = spawnSync(cli, [OPENAPI_FILE], { encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({ valid: true });
  });

  it('docs/openapi.yaml is up to date (run `npm run docs:openapi`)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApiYaml());
  });

  it('takes the request schema from the one payment JSON Schema', () => {
    const document = buildOpenApiDocument() as { components: { schemas: Record<string, Record<string, unknown>> } };
    const { $id: _id, $schema: _schema, ...expected } = PAYMENT_SCHEMA as Record<string, unknown>;
    expect(document.components.schemas.PaymentSubmission).toEqual(expected);
  });

  it('documents every status the gateway and the workflow answer with', () => {
    const document = buildOpenApiDocument() as {
      paths: Record<string, { post: { responses: Record<string, unknown> } }>;
    };
    const documented = Object.keys(document.paths['/payments']!.post.responses);
    const submissionStatuses = ['200', '201', '400', '401', '403', '409', '413', '415', '429', '500', '503'];
    expect(documented.sort()).toEqual(submissionStatuses.sort());
    for (const problem of Object.values(PROBLEMS)) {
      if (problem.status === 404 || problem.status === 405) continue; // other routes, not POST /payments
      expect(documented).toContain(String(problem.status));
    }
  });
});
