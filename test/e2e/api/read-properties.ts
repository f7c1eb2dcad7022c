import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { PROBLEM_CONTENT_TYPE } from '#contract/problems';
import { ROUTES } from '#contract/routes';
import { SCOPES } from '#contract/scopes';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { outputFromNow, sharedApiStack } from '../../support/api-stack';

/**
 * Generated paths and query strings against every read route of one running local stack: whatever
 * the path parameter or the query (too long, not UTF-8 when decoded, control characters, repeated
 * names, the wrong shape), the answer is a 2xx or a 4xx problem, never a 5xx, and nothing is
 * logged at ERROR (which would count toward the alarms and could page on-call at will).
 */
let stack: RunningLocalStack;
/** What the shared stack printed since this module's tests began (its neighbours' requests are theirs to check). */
let printed: () => string;
let token: string;

beforeAll(async () => {
  stack = await sharedApiStack();
  printed = outputFromNow(stack);
  // Every read scope, so each request reaches its handler's parameter checks (and its store, where allowed).
  token = await stack.token({ sub: randomUUID(), scope: `${SCOPES.read} ${SCOPES.reportsAdmin}` });
});

/** Text a client could put in a URL: long runs, escapes (some malformed), non-ASCII, controls. */
const segmentText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    'a'.repeat(3000),
    '%E0%A4%A',
    '%00',
    '%FF%FE',
    '..',
    '%2F',
    ' ',
    '2026-13',
    '2026-1',
    '999999-10',
    randomUUID().toUpperCase(),
    `${randomUUID()}x`,
  ),
  fc.integer({ min: 1, max: 5000 }).map((n) => 'x'.repeat(n)),
  fc.uuid(),
  fc
    .date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
    .map((date) => date.toISOString().slice(0, 7)),
);

/** Keeps what URLs can carry as is, escapes the rest (a malformed escape stays malformed on purpose). */
const inUrl = (text: string): string =>
  text.replace(/[^A-Za-z0-9\-._~%]/gu, (char) => encodeURIComponent(char).replace(/%25/g, '%'));

const QUERY_NAMES = ['month', 'limit', 'cursor', 'format', 'unknown', ''];

const queryString = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), fc.string({ maxLength: 10 })), segmentText), {
    maxLength: 4,
  })
  .map((pairs) =>
    pairs.length === 0 ? '' : `?${pairs.map(([name, value]) => `${inUrl(name)}=${inUrl(value)}`).join('&')}`,
  );

const READ_PATHS = ROUTES.filter((route) => route.serve.kind === 'function').map((route) => route.path);

const readPath = fc
  .record({ route: fc.constantFrom(...READ_PATHS), segment: segmentText, query: queryString })
  .map(({ route, segment, query }) => `${route.replace(/\{[^}]+\}/, () => inUrl(segment))}${query}`);

describe('read routes under generated paths and query strings', () => {
  test('never a 5xx, always a problem when refused, and no ERROR log', async () => {
    const answered: Array<{ path: string; status: number }> = [];
    await fc.assert(
      fc.asyncProperty(readPath, async (path) => {
        const response = await fetch(`${stack.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
        await response.text();
        answered.push({ path, status: response.status });
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
      }),
      // 100 over HTTP (a run reaches the handlers through the gateway); the schema's own cases run by the thousand in
      // process (test/unit/domain/*-properties). Each run draws new paths, so CI runs widen the search over time.
      { numRuns: 100 },
    );
    // The generator reaches the handlers, not only the gateway's 404 for unknown paths.
    expect(answered.some((answer) => answer.status === 400)).toBe(true);
    expect(answered.some((answer) => answer.status === 404)).toBe(true);
    expect(printed()).not.toMatch(/"level":\s*"ERROR"/);
    // 100 requests through the handlers: seconds alone, more beside another file on a loaded machine.
  }, 180_000);
});
