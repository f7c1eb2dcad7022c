import { type HttpResponse, REQUEST_ID_HEADER, problemResponse } from '#contract/http-mapping';
import { JSON_CONTENT_TYPE } from '#contract/workflow-io';

/**
 * The read endpoints' request and answer, as API Gateway's Lambda proxy integration shapes them
 * (REST API, Cognito user pool authorizer): the local gateway builds the same event.
 */
export interface ReadRequestEvent {
  pathParameters: Record<string, string | undefined> | null;
  /** As sent (API Gateway keeps the client's spelling of each name); absent in older test events. */
  headers?: Record<string, string | undefined> | null;
  queryStringParameters: Record<string, string | undefined> | null;
  /** The request body as text (a POST of a function route); null or absent without one. */
  body?: string | null;
  requestContext: {
    requestId: string;
    authorizer?: { claims?: { sub?: string; scope?: string; client_id?: string } };
  };
}

/**
 * An answer whose body is written as it is produced (the report export): the status and headers
 * are final before the first chunk, so a failure after that can only cut the body short.
 */
export interface StreamedHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: AsyncIterable<string>;
}

export const isStreamed = (answer: HttpResponse | StreamedHttpResponse): answer is StreamedHttpResponse =>
  typeof answer.body !== 'string';

export const jsonAnswer = (statusCode: number, body: unknown, requestId: string): HttpResponse => ({
  statusCode,
  headers: { 'Content-Type': JSON_CONTENT_TYPE, [REQUEST_ID_HEADER]: requestId },
  body: JSON.stringify(body),
});

/**
 * Another user's resource answers exactly as a missing one does: a 403 would tell the caller
 * that the id exists.
 */
export const notFoundAnswer = (requestId: string, what: string): HttpResponse =>
  problemResponse('NotFound', requestId, `No ${what} of yours`);

/** 400 for a query parameter the endpoint cannot use (a malformed month, a foreign cursor). */
export const invalidParameterAnswer = (requestId: string, field: string, message: string): HttpResponse =>
  problemResponse('InvalidParameter', requestId, message, {}, [{ field, message }]);
