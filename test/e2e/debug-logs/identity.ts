import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_INTEGRATION_CLIENT_ID, LOCAL_OPERATIONS_CLIENT_ID } from '#contract/oauth-clients';
import { INTEGRATION_SCOPES, OPERATIONS_SCOPES, SCOPES, USER_APP_SCOPES } from '#contract/scopes';
import { monthBefore } from '#domain/month';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { paymentSubmission } from '#devtools/submissions';
import { sharedDebugStack } from '../../support/debug-stack';
import { testDocumentClient } from '../../support/dynamodb';
import { expectProblem } from '../../support/expectations';
import { type HttpAnswer, getRaw, parsedAnswer, postTo, submit } from '../../support/http';
import { expectPublishedAnswer } from '../../support/openapi-answers';
import { npmRunReport } from '../../support/report-cli';

/**
 * The identity routes (decision 0020) over HTTP against a started local stack at DEBUG: every status of the contract,
 * and no identity in any log line of the stack or the report run, or in any execution's history.
 */
let stack: RunningLocalStack;
const documentClient = testDocumentClient();

beforeAll(async () => {
  stack = await sharedDebugStack();
});

afterAll(() => documentClient.destroy());

/** Values that cannot appear anywhere by chance: each test's own. */
const identityOf = () => {
  const tag = randomUUID()
    .replace(/[^a-f]/g, '')
    .slice(0, 8)
    .padEnd(8, 'x');
  return {
    surname: `Zed${tag}`,
    firstName: `Quin${tag}`,
    dateOfBirth: '1971-03-17',
    addressLine1: `17 ${tag} Road`,
    city: `Town${tag}`,
    region: 'NY',
    postalCode: '10017-2345',
    countryCode: 'US',
    ssn: '219-09-9999',
  };
};

const integration = (scope = INTEGRATION_SCOPES.join(' '), clientId = LOCAL_INTEGRATION_CLIENT_ID) =>
  stack.token({ sub: clientId, clientId, scope });
const operations = (scope = OPERATIONS_SCOPES.join(' ')) =>
  stack.token({ sub: LOCAL_OPERATIONS_CLIENT_ID, clientId: LOCAL_OPERATIONS_CLIENT_ID, scope });
const customerToken = (userId: string) => stack.token({ sub: userId, scope: USER_APP_SCOPES.join(' ') });

const put = (token: string | undefined, userId: string, body: unknown): Promise<HttpAnswer> =>
  postTo(stack.url, `/customers/${userId}/identity`, { token, body, method: 'PUT' });
const getOwn = async (token: string | undefined): Promise<HttpAnswer> =>
  parsedAnswer(await getRaw(stack.url, '/customers/me/identity', { token }));
const erase = (token: string | undefined, userId: string): Promise<HttpAnswer> =>
  postTo(stack.url, `/customers/${userId}/identity`, { token, method: 'DELETE', body: '', contentType: null });

const fieldsOf = (answer: HttpAnswer): string[] =>
  ((answer.body.errors ?? []) as { field: string }[]).map((error) => error.field);

const storedItem = async (userId: string) =>
  (
    await documentClient.send(
      new GetCommand({ TableName: stack.tableNames.identities, Key: { userId }, ConsistentRead: true }),
    )
  ).Item;

/** Every value of an identity as it could be written anywhere: as sent, normalised, upper-case for a bureau. */
const traces = (identity: ReturnType<typeof identityOf>): string[] => [
  identity.surname,
  identity.surname.toUpperCase(),
  identity.firstName,
  identity.firstName.toUpperCase(),
  identity.addressLine1,
  identity.addressLine1.toUpperCase(),
  identity.city,
  identity.city.toUpperCase(),
  identity.dateOfBirth,
  identity.dateOfBirth.replaceAll('-', ''),
  identity.ssn,
  identity.ssn.replaceAll('-', ''),
  '100172345',
];

describe('PUT /customers/{userId}/identity', () => {
  test('201 stored, then 200 replaced by the same integration; the answer masks the SSN; 200 on GET by the customer', async () => {
    const userId = randomUUID();
    const identity = identityOf();
    const created = await put(await integration(), userId, identity);
    expect(created.status).toBe(201);
    expectPublishedAnswer('PUT /customers/{userId}/identity', 201, created.body);
    expect(created.body).toMatchObject({ userId, identity: { surname: identity.surname, ssnLastFour: '9999' } });
    expect(JSON.stringify(created.body)).not.toContain('219099999');

    const replaced = await put(await integration(), userId, { ...identity, city: 'Albany' });
    expect(replaced.status).toBe(200);
    expectPublishedAnswer('PUT /customers/{userId}/identity', 200, replaced.body);

    const own = await getOwn(await customerToken(userId));
    expect(own.status).toBe(200);
    expectPublishedAnswer('GET /customers/me/identity', 200, own.body);
    expect(own.body.identity).toEqual({
      ...identity,
      city: 'Albany',
      postalCode: '100172345',
      ssn: undefined,
      ssnLastFour: '9999',
    });
    // No digit of the SSN but its last four: in the identity, whose other values hold no "219" (its random tags are
    // letters); the whole body's id and timestamp may hold one by chance ("…:16.219Z" failed a CI run).
    expect(JSON.stringify(own.body.identity)).not.toContain('219');
    for (const whole of ['219-09-9999', '219099999']) expect(JSON.stringify(own.body)).not.toContain(whole);
  });

  test('400 naming each refused field (never its value), and nothing stored', async () => {
    const userId = randomUUID();
    const refused = await put(await integration(), userId, {
      ...identityOf(),
      dateOfBirth: '2015-01-01',
      postalCode: 'SW1A 2AA',
      nickname: 'Q',
    });
    expectProblem(refused, 400, 'invalid-identity');
    expect(fieldsOf(refused).sort()).toEqual(['dateOfBirth', 'nickname', 'postalCode']);
    expect(JSON.stringify(refused.body)).not.toContain('SW1A');
    expect(await storedItem(userId)).toBeUndefined();

    expectProblem(await put(await integration(), 'not-a-uuid', identityOf()), 400, 'invalid-parameter');
    expectProblem(await put(await integration(), userId, '{"surname": '), 400, 'invalid-json');
  });

  test("401 without a valid token; 403 without customers-write, without the on-behalf scope, or for another integration's customer", async () => {
    const userId = randomUUID();
    expectProblem(await put(undefined, userId, identityOf()), 401, 'unauthorized');
    expectProblem(await put(`${await integration()}x`, userId, identityOf()), 401, 'unauthorized');
    // A customer's own app, and an integration that only submits payments: no customers-write.
    expectProblem(await put(await customerToken(userId), userId, identityOf()), 403, 'missing-scope');
    expectProblem(await put(await integration(SCOPES.submitOnBehalf), userId, identityOf()), 403, 'missing-scope');
    // customers-write alone may write only for the token's own subject: not for a customer.
    expectProblem(await put(await integration(SCOPES.customersWrite), userId, identityOf()), 403, 'forbidden');
    expect(await storedItem(userId)).toBeUndefined();

    // The first integration to write an identity keeps it: another client (signed by the same provider) may not replace it.
    expect((await put(await integration(), userId, identityOf())).status).toBe(201);
    const other = await stack.token({
      sub: LOCAL_OPERATIONS_CLIENT_ID,
      clientId: LOCAL_OPERATIONS_CLIENT_ID,
      scope: INTEGRATION_SCOPES.join(' '),
    });
    expectProblem(await put(other, userId, identityOf()), 403, 'forbidden');
  });
});

describe('GET /customers/me/identity', () => {
  test("401 without a token; 403 for a token that is not a customer's own; 404 for a customer with none", async () => {
    expectProblem(await getOwn(undefined), 401, 'unauthorized');
    expectProblem(await getOwn(await operations()), 403, 'forbidden');
    expectProblem(await getOwn(await integration(`${SCOPES.read} ${SCOPES.customersWrite}`)), 403, 'forbidden');
    expectProblem(await getOwn(await stack.token({ sub: randomUUID(), scope: SCOPES.write })), 403, 'missing-scope');
    expectProblem(await getOwn(await customerToken(randomUUID())), 404, 'not-found');
  });

  test("a customer cannot read another's: no route names a customer to read, and /me is always the caller", async () => {
    const owner = randomUUID();
    expect((await put(await integration(), owner, identityOf())).status).toBe(201);
    const stranger = await customerToken(randomUUID());
    expectProblem(await getOwn(stranger), 404, 'not-found');
    const named = parsedAnswer(await getRaw(stack.url, `/customers/${owner}/identity`, { token: stranger }));
    expect(named.status).toBe(405);
    expect(JSON.stringify(named.body)).not.toContain('Zed');
  });
});

describe('DELETE /customers/{userId}/identity', () => {
  test('204 erased: the item keeps no personal data, GET answers 404, erasing again 204, a new PUT 409 until furnished', async () => {
    const userId = randomUUID();
    const identity = identityOf();
    expect((await put(await integration(), userId, identity)).status).toBe(201);

    const erased = await erase(await operations(), userId);
    expect(erased.status).toBe(204);
    expect(erased.headers.get('x-request-id')).toEqual(expect.any(String));
    const item = await storedItem(userId);
    expect(Object.keys(item ?? {}).sort()).toEqual(['erasedAt', 'erasedBy', 'state', 'userId']);
    expect(item?.state).toBe('erased');
    for (const trace of traces(identity)) expect(JSON.stringify(item)).not.toContain(trace);

    expectProblem(await getOwn(await customerToken(userId)), 404, 'not-found');
    expect((await erase(await operations(), userId)).status).toBe(204);
    expectProblem(await put(await integration(), userId, identity), 409, 'identity-conflict');
  });

  test('401 without a token; 403 without customers-erase (an integration, a customer); 404 for none; 400 for a bad id', async () => {
    const userId = randomUUID();
    expect((await put(await integration(), userId, identityOf())).status).toBe(201);
    expectProblem(await erase(undefined, userId), 401, 'unauthorized');
    expectProblem(await erase(await integration(), userId), 403, 'missing-scope');
    expectProblem(await erase(await customerToken(userId), userId), 403, 'missing-scope');
    expect((await storedItem(userId))?.state).toBe('active');
    expectProblem(await erase(await operations(), randomUUID()), 404, 'not-found');
    expectProblem(await erase(await operations(), 'nope'), 400, 'invalid-parameter');
  });
});

describe('an identity is never logged, nor in any execution history', () => {
  test("put, read, replace, refuse and erase, then a report run of the customer's month: no trace of it anywhere", async () => {
    const userId = randomUUID();
    const identity = identityOf();
    const month = monthBefore(new Date());
    const payment = paymentSubmission({ userId, timestamp: `${month}-05T09:30:00Z`, description: 'Rent' });
    expect((await submit(stack.url, await customerToken(userId), payment)).status).toBe(201);
    expect((await put(await integration(), userId, identity)).status).toBe(201);
    expect((await put(await integration(), userId, { ...identity, ssn: '666-12-3456' })).status).toBe(400);
    expect((await getOwn(await customerToken(userId))).status).toBe(200);
    const run = await npmRunReport(stack, month, 'DEBUG');
    expect(run.status).toBe(0);
    expect((await erase(await operations(), userId)).status).toBe(204);

    const output = `${stack.output()}\n${run.stdout}\n${run.stderr}`;
    // The log is not simply empty: the identity routes' requests are in it.
    expect(output).toContain('Identity written');
    expect(output).toContain('Identity erased');
    for (const trace of [...traces(identity), '666-12-3456', '666123456'])
      expect({ trace, found: output.includes(trace) }).toEqual({ trace, found: false });
    // Nor the customer's user id (their `sub`), though the routes' paths carry it.
    for (const trace of [userId, userId.toUpperCase()])
      expect({ trace, found: stack.output().includes(trace) }).toEqual({ trace, found: false });

    const listed = (await (await fetch(`${stack.url}/console/api/executions`)).json()) as {
      executions: Array<{ executionArn: string }>;
    };
    expect(listed.executions.length).toBeGreaterThan(0);
    for (const { executionArn } of listed.executions) {
      const record = await fetch(`${stack.url}/console/api/executions/${encodeURIComponent(executionArn)}`);
      const text = JSON.stringify(await record.json());
      for (const trace of traces(identity))
        expect({ executionArn, trace, found: text.includes(trace) }).toEqual({ executionArn, trace, found: false });
    }
  });
});
