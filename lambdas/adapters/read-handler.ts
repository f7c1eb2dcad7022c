import type { Context } from 'aws-lambda';
import { type HttpResponse, problemResponse } from '#contract/http-mapping';
import type { ReadRequestEvent } from '#contract/read-api';
import { SCOPES, parseScopeClaim } from '#contract/scopes';
import { MissingScopeError } from '#domain/errors';
import { requireScope } from '#domain/read-access';
import { isTransientAwsError } from '#adapters/transient-errors';
import type { Observability } from '#adapters/workflow-handler';
import { canonicalUserId } from '#domain/user-id';

export interface ReadCall {
  requestId: string;
  sub: string | undefined;
  /** The token's `client_id`: which app made the call (kept on what a call writes). */
  clientId: string | undefined;
  /** The token's scopes (the route's own is already checked): those that widen what the caller may do. */
  scopes: readonly string[];
  /** The body of a POST, as sent. */
  body: string | null;
  params: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  /** Request headers, names in lower case (HTTP names are case-insensitive; API Gateway passes the client's spelling). */
  headers: Record<string, string | undefined>;
}

const lowerCaseNames = (
  headers: Record<string, string | undefined> | null | undefined,
): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));

/**
 * Wraps a read endpoint: its scope (read, unless said otherwise) is checked before any read, a transient store failure
 * answers 503 (safe to retry), anything else 500; the caller comes from the authorizer's claims.
 */
export const readHandler =
  <Answer extends { statusCode: number } = HttpResponse>(
    { logger }: Observability,
    read: (call: ReadCall) => Promise<Answer | HttpResponse>,
    scope: string = SCOPES.read,
  ) =>
  async (event: ReadRequestEvent, context: Context): Promise<Answer | HttpResponse> => {
    logger.addContext(context);
    const requestId = event.requestContext.requestId;
    const claims = event.requestContext.authorizer?.claims ?? {};
    try {
      const scopes = parseScopeClaim(claims.scope);
      requireScope(scopes, scope);
      return await read({
        scopes,
        requestId,
        // The form user ids are stored in, so an upper-case sub reads its own payments and reports.
        sub: claims.sub === undefined ? undefined : canonicalUserId(claims.sub),
        clientId: claims.client_id,
        body: event.body ?? null,
        params: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
        headers: lowerCaseNames(event.headers),
      });
    } catch (error) {
      if (error instanceof MissingScopeError) return problemResponse('MissingScope', requestId, error.message);
      if (isTransientAwsError(error)) {
        logger.warn('Store unavailable', { requestId });
        return problemResponse('DependencyUnavailable', requestId, 'The store did not answer. Retry the request.');
      }
      logger.error('Read failed', error as Error);
      return problemResponse('InternalError', requestId, 'The request failed. Retrying is safe.');
    }
  };
