import { randomUUID } from 'node:crypto';
import { expectPublishedAnswer } from '../../support/openapi-answers';
import {
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { PaymentSubmission } from '#client/payments-api';
import { MAX_BODY_BYTES } from '#contract/workflow-io';
import { SCOPES } from '#contract/scopes';
import { LOCAL_INTEGRATION_CLIENT_ID } from '#contract/oauth-clients';
import { testDocumentClient } from '../../support/dynamodb';
import { expectNothingWritten as expectNothingWrittenIn, expectProblem } from '../../support/expectations';
import { type HttpAnswer, postPayment, storedPayment, submit } from '../../support/http';
import { idempotencyRecord } from '../../support/idempotency';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { sfnClient } from '../../support/sfn';
import { paymentBody, paymentSubmission } from '#devtools/submissions';
import { sharedApiStack } from '../../support/api-stack';

/**
 * POST /payments over HTTP against the started local stack (gateway + ASL + handlers +
 * DynamoDB Local), with real RS256 tokens from the stack's own issuer key.
 */
const documentClient = testDocumentClient();
let stack: RunningLocalStack;
let sfn: SFNClient;

beforeAll(async () => {
  stack = await sharedApiStack();
  sfn = sfnClient(stack.sfnUrl);
});

afterAll(async () => {
  sfn?.destroy();
});

const SUBMIT = 'arn:aws:states:local:000000000000:stateMachine:SubmitPayment';

/** The submission execution a gateway answer came from (named after its request id), if one ran. */
const executionOf = async (answer: HttpAnswer): Promise<string | undefined> => {
  const name = answer.headers.get('x-request-id');
  const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: SUBMIT, maxResults: 1000 }));
  return executions?.find((execution) => execution.name === name)?.executionArn;
};

/** Every value in a history event, with JSON text (inputs, outputs, parameters) opened up. */
const containsText = (value: unknown, text: string): boolean => {
  if (typeof value === 'string') {
    if (value === text) return true;
    try {
      const parsed: unknown = JSON.parse(value);
      return typeof parsed === 'object' && parsed !== null && containsText(parsed, text);
    } catch {
      return false;
    }
  }
  if (typeof value === 'object' && value !== null)
    return Object.values(value).some((inner) => containsText(inner, text));
  return false;
};

const eventName = (event: HistoryEvent, history: HistoryEvent[]): string => {
  const entered = event.stateEnteredEventDetails?.name;
  if (entered) return `${event.type}:${entered}`;
  // Lambda events name no state: the state entered last before them owns them.
  const owner = history.filter((other) => (other.id ?? 0) < (event.id ?? 0) && other.stateEnteredEventDetails).at(-1);
  return `${event.type}:${owner?.stateEnteredEventDetails?.name ?? ''}`;
};

/** Sent raw, for what the typed client cannot send: a body that is not JSON, or not as given, or of another type. */
const post = (options: Parameters<typeof postPayment>[1]): Promise<HttpAnswer> => postPayment(stack.url, options);
/** A well-formed submission through the typed client. */
const send = (token: string | undefined, body: PaymentSubmission): Promise<HttpAnswer> =>
  submit(stack.url, token, body);
const stored = (id: unknown) => storedPayment(documentClient, stack.tableNames.payments, id as string);

const idempotencyRecordOf = (id: unknown) =>
  idempotencyRecord(documentClient, stack.tableNames.idempotency, id as string);
const expectNothingWritten = (paymentId: unknown): Promise<void> =>
  expectNothingWrittenIn(documentClient, stack.tableNames, paymentId);

describe('POST /payments on the local stack', () => {
  test('201 Created: stored, with Location and the stored payment', async () => {
    const userId = randomUUID();
    const body = paymentSubmission({ userId, amount: 1500, currency: 'JPY', timestamp: '2026-10-05T18:30:00+09:00' });
    const answer = await send(await stack.token({ sub: userId }), body);

    expect(answer.status).toBe(201);
    expectPublishedAnswer('POST /payments', 201, answer.body);
    expect(answer.headers.get('location')).toBe(`/payments/${body.id}`);
    expect(answer.headers.get('idempotent-replayed')).toBeNull();
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.body).toMatchObject({
      id: body.id,
      userId,
      timestamp: '2026-10-05T09:30:00.000Z',
      currency: 'JPY',
      amount: '1500',
    });
    expect(await stored(body.id)).toMatchObject({
      id: body.id,
      userId,
      amount: '1500',
      amountMinor: 1500,
      currency: 'JPY',
    });
    // The record the "nothing written" checks below look for does exist after a success.
    expect(await idempotencyRecordOf(body.id)).toMatchObject({ status: 'COMPLETED' });
  });

  test('200 with Idempotent-Replayed: the same submission again returns the first answer', async () => {
    const userId = randomUUID();
    const body = paymentSubmission({ userId });
    const token = await stack.token({ sub: userId });
    const first = await send(token, body);
    const itemAfterFirst = await stored(body.id);
    const again = await send(token, body);

    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expectPublishedAnswer('POST /payments', 200, again.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await stored(body.id)).toEqual(itemAfterFirst);
  });

  test('a trusted integration may submit for any user', async () => {
    const body = paymentSubmission();
    const token = await stack.token({
      sub: LOCAL_INTEGRATION_CLIENT_ID,
      clientId: LOCAL_INTEGRATION_CLIENT_ID,
      scope: `${SCOPES.write} ${SCOPES.submitOnBehalf}`,
    });
    const answer = await send(token, body);
    expect(answer.status).toBe(201);
    expect(await stored(body.id)).toMatchObject({ userId: body.userId, clientId: LOCAL_INTEGRATION_CLIENT_ID });
  });

  test('409: the same payment id with different content changes nothing', async () => {
    const userId = randomUUID();
    const body = paymentSubmission({ userId });
    const token = await stack.token({ sub: userId });
    expect((await send(token, body)).status).toBe(201);
    const before = await stored(body.id);

    const conflict = await send(token, { ...body, amount: '10.00' });
    expectProblem(conflict, 409, 'payment-conflict');
    expect(await stored(body.id)).toEqual(before);
  });

  test('400: a body that breaks the schema names each field, and nothing is written', async () => {
    const userId = randomUUID();
    // Raw: a currency outside the contract's enum and a property it does not have.
    const body = paymentBody({ userId, amount: '9.999', currency: 'XYZ', colour: 'blue' });
    const answer = await post({ token: await stack.token({ sub: userId }), body });

    expectProblem(answer, 400, 'invalid-payment');
    const fields = (answer.body.errors as { field: string }[]).map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['currency', 'colour']));
    await expectNothingWritten(body.id);
  });

  test.each([
    ['a zero-width space inside', 'Net\u200bflix'],
    ['nothing visible (a Hangul filler)', '\u3164'],
  ])('400: a description with %s names description, and nothing is written', async (_what, description) => {
    const userId = randomUUID();
    const body = paymentSubmission({ userId, description });
    const answer = await send(await stack.token({ sub: userId }), body);

    expectProblem(answer, 400, 'invalid-payment');
    expect(answer.body.errors).toEqual([{ field: 'description', message: expect.any(String) }]);
    await expectNothingWritten(body.id);
  });

  test('201: 140 characters with whitespace around them are counted after trimming, and stored trimmed', async () => {
    const userId = randomUUID();
    const body = paymentSubmission({ userId, description: `  ${'R'.repeat(140)}  ` });
    const answer = await send(await stack.token({ sub: userId }), body);

    expect(answer.status).toBe(201);
    expect(await stored(body.id)).toMatchObject({ description: 'R'.repeat(140) });
  });

  test('400: a body that is not JSON', async () => {
    const userId = randomUUID();
    const id = randomUUID();
    const answer = await post({ token: await stack.token({ sub: userId }), body: `{"id": "${id}", ` });
    expectProblem(answer, 400, 'invalid-json');
    await expectNothingWritten(id);
  });

  test.each([
    ['no token', async () => undefined],
    ['a malformed token', async () => 'not-a-jwt'],
    ['an expired token', async (sub: string) => stack.token({ sub, expiresInSeconds: -60 })],
    ['a token of an unknown client', async (sub: string) => stack.token({ sub, clientId: 'someone-else' })],
  ])('401: %s, and nothing is written', async (_case, makeToken) => {
    const userId = randomUUID();
    const body = paymentSubmission({ userId });
    const answer = await send(await makeToken(userId), body);
    expectProblem(answer, 401, 'unauthorized');
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
    await expectNothingWritten(body.id);
  });

  test('403: a valid token of another user, and nothing is written', async () => {
    const body = paymentSubmission();
    const answer = await send(await stack.token({ sub: randomUUID() }), body);
    expectProblem(answer, 403, 'not-payment-owner');
    await expectNothingWritten(body.id);
  });

  test('403: a read-only token is refused before the body is read: no workflow runs', async () => {
    const userId = randomUUID();
    const body = paymentSubmission({ userId });
    // Not even JSON: were the body read, this would be a 400 from ValidatePayment.
    const answer = await post({ token: await stack.token({ sub: userId, scope: SCOPES.read }), body: '{"id": ' });
    expectProblem(answer, 403, 'missing-scope');
    expect(answer.body.detail).toContain(SCOPES.write);
    // executionOf finds accepted submissions (the history test below relies on it): here there is none.
    expect(await executionOf(answer)).toBeUndefined();
    await expectNothingWritten(body.id);
  });

  test(`413: a body over ${MAX_BODY_BYTES} bytes, and nothing is written; one of exactly ${MAX_BODY_BYTES} bytes is read`, async () => {
    const userId = randomUUID();
    const token = await stack.token({ sub: userId });
    const body = paymentSubmission({ userId });
    // Raw: the padding makes the body's size exact, which the typed client's serialisation would not keep.
    const exactly = (bytes: number): string => {
      const text = JSON.stringify(body);
      return `${text.slice(0, -1)}${' '.repeat(bytes - Buffer.byteLength(text))}}`;
    };
    expect(Buffer.byteLength(exactly(MAX_BODY_BYTES + 1))).toBe(MAX_BODY_BYTES + 1);

    const tooLarge = await post({ token, body: exactly(MAX_BODY_BYTES + 1) });
    expectProblem(tooLarge, 413, 'payload-too-large');
    expect(tooLarge.body.detail).toBe(`The body may be at most ${MAX_BODY_BYTES} bytes`);
    expect(await executionOf(tooLarge)).toBeUndefined();
    await expectNothingWritten(body.id);

    // Padding is JSON whitespace: at the limit exactly, the same payment is accepted.
    expect((await post({ token, body: exactly(MAX_BODY_BYTES) })).status).toBe(201);
  });

  test('400: a body with a leading UTF-8 byte order mark is not JSON (as API Gateway passes it on), and nothing is written', async () => {
    const userId = randomUUID();
    const body = paymentSubmission({ userId });
    const answer = await post({ token: await stack.token({ sub: userId }), body: `\uFEFF${JSON.stringify(body)}` });
    expectProblem(answer, 400, 'invalid-json');
    expect(answer.body.detail).toContain('byte order mark');
    await expectNothingWritten(body.id);
  });

  test("an accepted submission's history holds the raw body only in the execution's input and ValidatePayment's input", async () => {
    const userId = randomUUID();
    // Spaced out, so the raw text differs from any normalised form of the payment: sent raw, as this exact text.
    const raw = JSON.stringify(paymentSubmission({ userId }), null, 3);
    const answer = await post({ token: await stack.token({ sub: userId }), body: raw });
    expect(answer.status).toBe(201);
    const executionArn = (await executionOf(answer)) ?? '';
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, includeExecutionData: true }),
    );

    const holdingBody = events.filter((event) => containsText(event, raw)).map((event) => eventName(event, events));
    expect(holdingBody).toEqual([
      'ExecutionStarted:',
      'TaskStateEntered:ValidatePayment',
      'LambdaFunctionScheduled:ValidatePayment',
    ]);
    // The check can see the body where it is: the execution's input carries it.
    expect(JSON.parse(events[0]?.executionStartedEventDetails?.input ?? '{}').body).toBe(raw);
  });

  test.each([['text/plain'], ['application/x-www-form-urlencoded'], [null]])(
    '415: Content-Type %s, and nothing is written',
    async (contentType) => {
      const userId = randomUUID();
      const body = paymentSubmission({ userId });
      const answer = await post({ token: await stack.token({ sub: userId }), body, contentType });
      expectProblem(answer, 415, 'unsupported-media-type');
      await expectNothingWritten(body.id);
    },
  );

  test('serves the OpenAPI document, the docs page and the JWKS', async () => {
    const openApi = (await (await fetch(`${stack.url}/openapi.json`)).json()) as { openapi: string; paths: object };
    expect(openApi.openapi).toBe('3.1.0');
    expect(Object.keys(openApi.paths)).toContain('/payments');

    // Swagger UI renders the operations in the browser (test/e2e/chromium/docs-page.ts): here, the page and its renderer.
    const docs = await fetch(`${stack.url}/docs`);
    expect(docs.url).toBe(`${stack.url}/docs/`);
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(await docs.text()).toContain('<script src="/docs/swagger-ui-bundle.js"');
    const renderer = await fetch(`${stack.url}/docs/swagger-ui-bundle.js`);
    expect(renderer.headers.get('content-type')).toContain('text/javascript');

    const jwks = (await (await fetch(`${stack.url}/.well-known/jwks.json`)).json()) as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});
