import { type HttpResponse, REQUEST_ID_HEADER, problemResponse } from '#contract/http-mapping';
import { JSON_CONTENT_TYPE } from '#contract/workflow-io';

/**
 * The read endpoints' request and answer, as API Gateway's Lambda proxy integration shapes them
 * (REST API, Cognito user pool authorizer): the local gateway builds the same event.
 */
export interface ReadRequestEvent {
  pathParameters: Record<string, string | undefined> | null;
  requestContext: {
    requestId: string;
    authorizer?: { claims?: { sub?: string; scope?: string; client_id?: string } };
  };
}

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
  problemResponse('notFound', requestId, `No ${what} of yours`);
