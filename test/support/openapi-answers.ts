import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { buildOpenApiDocument } from '#contract/openapi';
import { JSON_CONTENT_TYPE } from '#contract/workflow-io';

/**
 * The answers' schemas are written once, in the published OpenAPI document; the tests that read a 2xx body check it
 * against the schema its route publishes for that status. So a TypeScript type, a handler or a workflow's terminal
 * state that drifts from the published contract fails a test.
 *
 * Checked strictly: an object schema that lists its properties admits no others here (the published document leaves
 * clients free to ignore fields added later; a field the code sends but the document does not describe is drift).
 */
type Schema = Record<string, unknown>;

const COMPONENTS_ID = 'https://payments-tracker.example/openapi/components';

/** Every `#/components/...` reference pointed at the components schema; every described object closed. */
const strict = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(strict);
  if (value === null || typeof value !== 'object') return value;
  const schema = Object.fromEntries(Object.entries(value).map(([key, child]) => [key, strict(child)])) as Schema;
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/components/')) {
    schema.$ref = `${COMPONENTS_ID}#/${schema.$ref.slice('#/components/'.length)}`;
  }
  if (schema.type === 'object' && schema.properties !== undefined && schema.additionalProperties === undefined) {
    schema.additionalProperties = false;
  }
  return schema;
};

type Operation = { responses: Record<string, { content?: Record<string, { schema: Schema }> }> };

type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

const document = buildOpenApiDocument() as Document;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addSchema({ $id: COMPONENTS_ID, schemas: strict(document.components.schemas) });

/** The published schema of a route's answer (`GET /payments/{id}`, 200). */
const answerSchema = (routeKey: string, status: number, contentType: string): Schema => {
  const [method = '', path = ''] = routeKey.split(' ');
  const schema =
    document.paths[path]?.[method.toLowerCase()]?.responses[String(status)]?.content?.[contentType]?.schema;
  if (!schema) throw new Error(`The OpenAPI document publishes no ${contentType} answer ${status} of ${routeKey}`);
  return schema;
};

/** The violations of a body against its route's published answer: none when it matches. */
export const contractViolations = (
  routeKey: string,
  status: number,
  body: unknown,
  contentType = JSON_CONTENT_TYPE,
): string[] => {
  const validate = ajv.compile(strict(answerSchema(routeKey, status, contentType)) as Schema);
  if (validate(body)) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '(body)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
  );
};

/**
 * The violations of a JSON Lines body: the text against the media type's schema, as a validator that does not parse
 * sequences checks it (Prism's proxy: the body is the string it is), then each line against the row schema the media
 * type names (`contentSchema.items`).
 */
export const jsonLinesViolations = (routeKey: string, status: number, body: string, contentType: string): string[] => {
  const asText = contractViolations(routeKey, status, body, contentType);
  const rows = (answerSchema(routeKey, status, contentType).contentSchema as Schema | undefined)?.items as
    Schema | undefined;
  if (!rows) return [...asText, '(media type) names no row schema in contentSchema.items'];
  const validateRow = ajv.compile(strict(rows) as Schema);
  const lines = body.split('\n');
  if (lines.pop() !== '') return [...asText, '(body) does not end with a line feed'];
  return [
    ...asText,
    ...lines.flatMap((line, index) =>
      validateRow(JSON.parse(line))
        ? []
        : (validateRow.errors ?? []).map((error) => `line ${index + 1}${error.instancePath} ${error.message ?? ''}`),
    ),
  ];
};

/** Fails unless the body is what the route publishes for that status. */
export const expectPublishedAnswer = (
  routeKey: string,
  status: number,
  body: unknown,
  contentType = JSON_CONTENT_TYPE,
): void => {
  const violations = contractViolations(routeKey, status, body, contentType);
  expect({ routeKey, status, violations }).toEqual({ routeKey, status, violations: [] });
};
