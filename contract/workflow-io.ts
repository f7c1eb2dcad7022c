/**
 * The submit-payment workflow's input and output, and the HTTP mappings around it. The
 * deployed API's VTL templates and the local gateway both follow these shapes.
 */
export interface Caller {
  /** Token `sub`: a user id, or a client id for client-credentials tokens. */
  sub: string;
  /** Token `client_id`: which app sent the request. */
  clientId: string;
  /** Token `scope` claim, space-separated. */
  scope: string;
}

export interface SubmissionInput {
  /** API Gateway request id; the execution name and the logs' correlation id. */
  requestId: string;
  /** When the API received the request (UTC RFC 3339, ms). */
  receivedAt: string;
  /** The request body, as received: ValidatePayment parses it, so exact numbers survive. */
  body: string;
  caller: Caller;
}

export interface SubmissionOutput {
  statusCode: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export const JSON_CONTENT_TYPE = 'application/json';
/**
 * A payment is well under 1 KiB; anything past this is refused (413) before the workflow starts.
 * Every byte admitted is paid for again in the execution's logged history (logging at ALL with
 * data), so the limit is a few payments' worth, not API Gateway's 10 MB.
 */
export const MAX_BODY_BYTES = 4 * 1024;
