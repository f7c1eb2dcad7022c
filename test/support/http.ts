import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { paymentKey } from '#adapters/payment-repository';

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

/** POST a JSON body (or any text) to one of the API's paths. */
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
