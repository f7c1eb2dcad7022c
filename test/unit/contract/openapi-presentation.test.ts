import { buildOpenApiDocument } from '#contract/openapi';
import { EXPORT_CONTENT_TYPES } from '#contract/export-negotiation';
import type { MonthlyReport } from '#domain/report';
import { formatReports } from '#domain/report-export';
import { commitmentFixture } from '../../support/commitments';
import { contractViolations, jsonLinesViolations } from '../../support/openapi-answers';

/**
 * How the document reads to tools outside the project: every operation under a declared tag (Swagger UI lists
 * untagged ones under "default"), and the JSON Lines export described so that a validator checking the body as it
 * comes (Prism's proxy: a non-JSON media type's body is its text) accepts a real export, while each line still has
 * the row schema.
 */
type Document = {
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, { operationId: string; tags?: string[] }>>;
};

const document = buildOpenApiDocument() as Document;
const EXPORT = 'GET /reports/{month}/export';

const report = (userId: string): MonthlyReport => ({
  userId,
  month: '2026-10',
  payments: 2,
  builtAt: '2026-11-01T02:10:00.000Z',
  aheadPayments: [],
  payeeRoutes: [],
  commitments: ['Netflix', 'Rent, flat 2'].map((payee, index) =>
    commitmentFixture('2026-10', index + 1, {
      commitmentId: `GBP#${payee.toLowerCase()}`,
      payee,
      clientIds: ['local-user-app'],
      payments: [
        {
          id: `p${index}`,
          timestamp: '2026-10-05T08:00:00.000Z',
          localDate: '2026-10-05',
          amount: '9.99',
          clientId: 'local-user-app',
          onBehalf: false,
        },
      ],
    }),
  ),
});

describe('the OpenAPI document as other tools read it', () => {
  test('every operation has exactly one tag, declared at the top, and ours are described', () => {
    const declared = document.tags.map((tag) => tag.name);
    expect(document.tags).toEqual([
      { name: 'payments', description: expect.any(String) },
      { name: 'reports', description: expect.any(String) },
      { name: 'commitments', description: expect.any(String) },
      { name: 'disputes', description: expect.any(String) },
      { name: 'customers', description: expect.any(String) },
    ]);
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    expect(operations.length).toBeGreaterThan(0);
    for (const { operationId, tags } of operations) {
      expect({ operationId, tags: tags?.length, declared: declared.includes(tags?.[0] ?? '') }).toEqual({
        operationId,
        tags: 1,
        declared: true,
      });
    }
  });

  test('a real JSON Lines export is valid as its text, and each line is an ExportRow', () => {
    const body = formatReports('jsonl', [
      report('0b5f5d1e-4a43-4d7e-9a3e-1b2c3d4e5f60'),
      report('1c6e6e2f-5b54-4e8f-8b4f-2c3d4e5f6071'),
    ]);
    expect(body.split('\n')).toHaveLength(5);
    expect(jsonLinesViolations(EXPORT, 200, body, EXPORT_CONTENT_TYPES.jsonl)).toEqual([]);
    // A month whose run found nobody: the empty body.
    expect(jsonLinesViolations(EXPORT, 200, '', EXPORT_CONTENT_TYPES.jsonl)).toEqual([]);
  });

  test('a line that is not an ExportRow is still caught', () => {
    const body = `${JSON.stringify({ userId: 'x' })}\n`;
    expect(jsonLinesViolations(EXPORT, 200, body, EXPORT_CONTENT_TYPES.jsonl)).not.toEqual([]);
    expect(contractViolations(EXPORT, 200, body, EXPORT_CONTENT_TYPES.jsonl)).toEqual([]);
  });
});
