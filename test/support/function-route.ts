import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { ReadRequestEvent } from '#contract/read-api';

export type FunctionRouteHandler = (event: ReadRequestEvent, context: Context) => Promise<unknown>;

export interface TokenClaims {
  sub: string;
  scope: string;
  client_id: string;
}

/**
 * A function route's call as API Gateway hands it over, with the token's claims, made at `at` (the handler's clock is
 * faked for the call, so what it dates, and the lateArrivals month it files under, is `at`'s).
 */
export const callAt = async (
  handler: FunctionRouteHandler,
  claims: TokenClaims,
  request: { body?: object; id?: string },
  at: string,
): Promise<{ status: number; headers: Record<string, string>; body: Record<string, unknown> }> => {
  const event: ReadRequestEvent = {
    pathParameters: request.id ? { id: request.id } : null,
    queryStringParameters: null,
    headers: { 'Content-Type': 'application/json' },
    body: request.body ? JSON.stringify(request.body) : null,
    requestContext: { requestId: randomUUID(), authorizer: { claims } },
  };
  jest.useFakeTimers({ now: new Date(at), doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'queueMicrotask'] });
  try {
    const answer = (await handler(event, {} as Context)) as {
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    };
    return {
      status: answer.statusCode,
      headers: answer.headers,
      body: JSON.parse(answer.body) as Record<string, unknown>,
    };
  } finally {
    jest.useRealTimers();
  }
};
