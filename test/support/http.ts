import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { paymentKey } from '#adapters/payment-repository';
import { type BatchResults, type PaymentSubmission, type PaymentsApi, paymentsApi } from '#client/payments-api';

/** The typed client (openapi-fetch over the generated types) as a client app holding `token` uses it. */
export const apiFor = (baseUrl: string, token?: string): PaymentsApi =>
  paymentsApi({ baseUrl, accessToken: () => token });

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body (or the text, when it is not JSON). */
  body: Record<string, unknown>;
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export interface PostOptions {
  token?: string;
  /** Sent as is (a string) or JSON-encoded (anything else). */
  body?: unknown;
  contentType?: string | null;
  headers?: Record<string, string>;
  /** POST unless said (PUT for a route that replaces a state). */
  method?: 'POST' | 'PUT' | 'DELETE';
}

/**
 * A well-formed submission, sent once through the typed client (no retry: the test reads each answer). The body
 * must be a PaymentSubmission, so a test cannot send a malformed one by accident; postPayment sends those. Any
 * token string is sent as it is (a forged or spoiled one too); none: no Authorization header.
 */
export const submit = async (
  baseUrl: string,
  token: string | undefined,
  submission: PaymentSubmission,
): Promise<HttpAnswer> => answerOf(await apiFor(baseUrl, token).POST('/payments', { body: submission }));

export interface BatchAnswer extends HttpAnswer {
  /** The typed results of a 200; undefined for a problem (read it in `body`). */
  data?: BatchResults;
}

/**
 * A batch of well-formed submissions, sent once through the typed client, as `submit` sends one; postBatch sends what
 * the contract does not allow (items that are not objects, a body that is not JSON).
 */
export const submitBatch = async (
  baseUrl: string,
  token: string | undefined,
  payments: PaymentSubmission[],
): Promise<BatchAnswer> => {
  const result = await apiFor(baseUrl, token).POST('/payments/batch', { body: { payments } });
  return { ...answerOf(result), data: result.data };
};

/**
 * A typed client's answer as the problem expectations read it: the status, the headers, and the body (the data, or
 * the problem). For a 2xx the typed `data` says more; this is for the status and problem checks.
 */
export const answerOf = (result: { data?: unknown; error?: unknown; response: Response }): HttpAnswer => ({
  status: result.response.status,
  headers: result.response.headers,
  body: (result.data ?? result.error ?? {}) as Record<string, unknown>,
});

interface RawRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  token?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request sent as it is given (no typed client in the way), its answer's body read as text. */
const sendRaw = async (baseUrl: string, path: string, request: RawRequest): Promise<RawAnswer> => {
  const headers: Record<string, string> = { ...request.headers };
  if (request.token) headers.Authorization = `Bearer ${request.token}`;
  const response = await fetch(`${baseUrl}${path}`, { method: request.method, headers, body: request.body });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

/**
 * Raw HTTP GET of a path, for what the typed client cannot send: a malformed escape, a missing required parameter,
 * a value outside its published enum. The body is left as text (an export is not JSON).
 */
export const getRaw = (
  baseUrl: string,
  path: string,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<RawAnswer> => sendRaw(baseUrl, path, { method: 'GET', ...options });

/**
 * Raw HTTP POST to one of the API's paths, for what the typed client cannot send: malformed bodies, wrong content
 * types, odd headers, no token. A string body is sent as it is; anything else JSON-encoded.
 */
export const postTo = async (baseUrl: string, path: string, options: PostOptions): Promise<HttpAnswer> => {
  const headers: Record<string, string> = { ...options.headers };
  if (options.contentType !== null) headers['Content-Type'] = options.contentType ?? 'application/json';
  const body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body ?? {});
  return parsedAnswer(
    await sendRaw(baseUrl, path, { method: options.method ?? 'POST', token: options.token, headers, body }),
  );
};

/** The parsed JSON body, or `{ text }` when it is not JSON. */
const parsedBody = (text: string): Record<string, unknown> => {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { text };
  }
};

/** A raw answer as the problem expectations read it. */
export const parsedAnswer = (answer: RawAnswer): HttpAnswer => ({
  status: answer.status,
  headers: answer.headers,
  body: parsedBody(answer.text),
});

export const postPayment = (baseUrl: string, options: PostOptions): Promise<HttpAnswer> =>
  postTo(baseUrl, '/payments', options);

/** POST /payments/batch; a string body is sent as it is (see batchBody). */
export const postBatch = (baseUrl: string, options: PostOptions): Promise<HttpAnswer> =>
  postTo(baseUrl, '/payments/batch', options);

/** The stored payment item, read the way any AWS SDK user would (strongly consistent). */
export const storedPayment = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  id: string,
): Promise<Record<string, unknown> | undefined> =>
  (await client.send(new GetCommand({ TableName: tableName, Key: paymentKey(id), ConsistentRead: true }))).Item;
