import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { MAX_BODY_BYTES } from '#contract/workflow-io';
import { PROBLEM_CONTENT_TYPE } from '#contract/problems';
import { testDocumentClient } from '../../support/dynamodb';
import { type BadBody, badBodies, isRealField } from '../../support/bad-bodies';
import { type HttpAnswer, postPayment, storedPayment } from '../../support/http';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { sharedApiStack } from '../../support/api-stack';

/**
 * A few hundred generated bad requests against one running local stack: whatever is wrong (the
 * body, its content type, its size), the answer is a 4xx problem naming what it can, never a
 * 5xx, and nothing is stored under the body's payment id.
 */
const documentClient = testDocumentClient();
let stack: RunningLocalStack;
let token: string;

beforeAll(async () => {
  stack = await sharedApiStack();
  token = await stack.token({ sub: randomUUID() });
});

interface BadRequest {
  body: BadBody;
  /** Null: no Content-Type header at all. */
  contentType: string | null;
  /** Spaces appended to push the body over the limit. */
  oversize: boolean;
}

const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'application/json; charset=iso-8859-1',
  'application/jsonx',
  'multipart/form-data; boundary=x',
];

const badRequests: fc.Arbitrary<BadRequest> = fc.record({
  body: badBodies,
  contentType: fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 8 },
    fc.constantFrom(...WRONG_CONTENT_TYPES, null),
  ),
  oversize: fc.integer({ min: 0, max: 15 }).map((n) => n === 0),
});

const expectedStatus = (request: BadRequest, text: string): number => {
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) return 413;
  if (request.contentType !== 'application/json') return 415;
  return 400;
};

/** Why this answer breaks the contract, or undefined when it keeps it. */
const breach = (request: BadRequest, text: string, answer: HttpAnswer): string | undefined => {
  const status = expectedStatus(request, text);
  if (answer.status !== status) return `status ${answer.status}, expected ${status}: ${JSON.stringify(answer.body)}`;
  if (!answer.headers.get('content-type')?.includes(PROBLEM_CONTENT_TYPE))
    return `content type ${answer.headers.get('content-type')}`;
  if (answer.body.status !== status) return `problem status ${String(answer.body.status)}`;
  if (status !== 400) return undefined;
  const type = String(answer.body.type);
  if (request.body.notJson) return type.endsWith('/invalid-json') ? undefined : `type ${type}, expected invalid-json`;
  if (!type.endsWith('/invalid-payment')) return `type ${type}, expected invalid-payment`;
  const named = ((answer.body.errors ?? []) as { field: string }[]).map((error) => error.field);
  const unreal = named.filter((field) => !isRealField(request.body, field));
  if (unreal.length > 0) return `names fields the body does not have: ${JSON.stringify(unreal)}`;
  const unnamed = request.body.mustName.filter((field) => !named.includes(field));
  return unnamed.length > 0 ? `does not name ${JSON.stringify(unnamed)} (named ${JSON.stringify(named)})` : undefined;
};

test('generated bad requests: every answer a 4xx problem naming the field, none a 5xx, nothing stored', async () => {
  await fc.assert(
    fc.asyncProperty(badRequests, async (request) => {
      const text = request.oversize ? request.body.text + ' '.repeat(MAX_BODY_BYTES) : request.body.text;
      const answer = await postPayment(stack.url, { token, body: text, contentType: request.contentType });
      const why = breach(request, text, answer);
      if (why) throw new Error(`${why}\nbody: ${text.slice(0, 500)}`);
      expect(await storedPayment(documentClient, stack.tableNames.payments, request.body.id)).toBeUndefined();
    }),
    // 100 over HTTP; the schema's cases run 4,000 times in process (test/unit/domain/validate-payment-properties).
    { numRuns: 100 },
  );
});
