import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { paymentKey } from '#adapters/payment-repository';
import { type PaymentSubmission, type PaymentsApi, paymentsApi } from '#client/payments-api';

/** The typed client (openapi-fetch over the generated types) as a client app holding `token` uses it. */
export const apiFor = (baseUrl: string, token?: string): PaymentsApi =>
  paymentsApi({ baseUrl, accessToken: () => token });

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON body (or the text, when it is not JSON). */
  body: Record<string, unknown>;
}

export interface PostOptions {
  token?: string;
  /** Sent as is (a string) or JSON-encoded (anything else). */
  body?: unknown;
  contentType?: string | null;
  headers?: Record<string, string>;
}

/**
 * A well-formed submission, sent once through the typed client (no retry: the test reads each answer). The body
 * must be a PaymentSubmission, so a test cannot send a malformed one by accident; postPayment sends those.
 */
export const submit = async (baseUrl: string, token: string, submission: PaymentSubmission): Promise<HttpAnswer> => {
  const { data, error, response } = await apiFor(baseUrl, token).POST('/payments', { body: submission });
  return { status: response.status, headers: response.headers, body: (data ?? error) as Record<string, unknown> };
};

/**
 * Raw HTTP POST to one of the API's paths, for what the typed client cannot send: malformed bodies, wrong content
 * types, odd headers, no token. A string body is sent as it is; anything else JSON-encoded.
 */
export const postTo = async (baseUrl: string, path: string, options: PostOptions): Promise<HttpAnswer> => {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.contentType !== null) headers['Content-Type'] = options.contentType ?? 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers,
    body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body ?? {}),
  });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: response.status, headers: response.headers, body };
};

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
