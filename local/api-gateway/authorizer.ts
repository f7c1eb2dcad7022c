import type { IncomingMessage } from 'node:http';
import { type HttpResponse, problemResponse } from '#contract/http-mapping';
import type { Route } from '#contract/routes';
import { parseScopeClaim } from '#contract/scopes';
import type { Caller } from '#contract/workflow-io';
import type { RateLimiter } from '#local/api-gateway/rate-limiter';

/**
 * The local stand-in for the Cognito authorizer and the throttles in front of every route: the verified caller, or
 * the answer API Gateway would give instead (401, 429, 403), before any body is read or any integration runs.
 */
export interface AuthorizerOptions {
  /** Verifies a bearer token; throws with a `reason` when it is not acceptable. */
  verifyToken: (token: string) => Promise<Caller>;
  /** Throttles each client (by the verified token's client id); none when absent. */
  rateLimiter?: RateLimiter;
  /** Throttles each user (by the verified token's `sub`), so one user cannot spend a whole client's budget; none when absent. */
  userRateLimiter?: RateLimiter;
  log: (entry: Record<string, unknown>) => void;
}

/** Admits a request to a route: the caller when admitted, else the answer that refuses it. */
export type Admit = (request: IncomingMessage, requestId: string, route: Route) => Promise<Caller | HttpResponse>;

export const isAnswer = (value: Caller | HttpResponse): value is HttpResponse => 'statusCode' in value;

const bearerToken = (header: string | undefined): string | undefined => {
  const match = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/.exec(header ?? '');
  return match?.[1];
};

/** Takes `count` requests' worth from the caller's shares; the 429 to answer when either is spent. */
const throttleCaller = (
  options: AuthorizerOptions,
  request: IncomingMessage,
  requestId: string,
  caller: Caller,
  count: number,
): HttpResponse | undefined => {
  const throttledBy = (limiter: RateLimiter | undefined, key: string, who: string): HttpResponse | undefined => {
    const retryAfterSeconds = limiter?.take(key, count) ?? 0;
    if (retryAfterSeconds === 0) return undefined;
    request.resume();
    options.log({ requestId, message: 'Throttled', by: who, clientId: caller.clientId, requests: count });
    return problemResponse(
      'Throttled',
      requestId,
      `Too many requests from this ${who}; retry after ${retryAfterSeconds} s`,
      {
        'Retry-After': String(retryAfterSeconds),
      },
    );
  };
  // The user's own share first: a user over it spends nothing of the client's budget, which the client's other users
  // need (in AWS: the web ACL's per-token rule, then the stage throttle).
  return (
    throttledBy(options.userRateLimiter, caller.sub, 'user') ??
    throttledBy(options.rateLimiter, caller.clientId, 'client')
  );
};

/**
 * Charges an admitted request's further items (a batch of n payments is n requests' worth: the one admitted, then
 * n - 1 here, once the body says n), so that batching multiplies nobody's share; the 429 to answer when it would.
 */
export type ChargeItems = (
  request: IncomingMessage,
  requestId: string,
  caller: Caller,
  items: number,
) => HttpResponse | undefined;

export const itemCharger =
  (options: AuthorizerOptions): ChargeItems =>
  (request, requestId, caller, items) =>
    items > 1 ? throttleCaller(options, request, requestId, caller, items - 1) : undefined;

export const authorizer = (options: AuthorizerOptions): Admit => {
  /** The Cognito authorizer's part: the verified caller, or the 401 to answer. */
  const authenticate = async (request: IncomingMessage, requestId: string): Promise<Caller | HttpResponse> => {
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      request.resume();
      return problemResponse('Unauthorized', requestId, 'Send an access token: Authorization: Bearer <token>');
    }
    try {
      return await options.verifyToken(token);
    } catch (error) {
      request.resume();
      const reason = (error as { reason?: string }).reason ?? 'invalid';
      return problemResponse('Unauthorized', requestId, `The access token was rejected: ${reason}`, {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
    }
  };

  // After the token (an unauthenticated flood must not spend a real client's budget), before the body is read or any
  // workflow runs (a throttled request costs nothing downstream): one request's worth here, a batch's other items
  // once its body is read (chargeItems).
  const throttle = (request: IncomingMessage, requestId: string, caller: Caller): HttpResponse | undefined =>
    throttleCaller(options, request, requestId, caller, 1);

  // The method's authorization scopes, checked as API Gateway's authorizer does (any one of them admits): before
  // the body is read and before any integration runs, so a read-only token leaves no execution behind.
  const authorize = (
    request: IncomingMessage,
    requestId: string,
    caller: Caller,
    route: Route,
  ): HttpResponse | undefined => {
    const granted = parseScopeClaim(caller.scope);
    if (route.scopes.some((scope) => granted.includes(scope))) return undefined;
    request.resume();
    return problemResponse('MissingScope', requestId, `The token needs the scope ${route.scopes.join(' or ')}`);
  };

  return async (request, requestId, route) => {
    const caller = await authenticate(request, requestId);
    if (isAnswer(caller)) return caller;
    return throttle(request, requestId, caller) ?? authorize(request, requestId, caller, route) ?? caller;
  };
};
