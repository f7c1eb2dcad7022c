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

/**
 * POST /payments/batch: at most this many bytes in all (and each payment at most MAX_BODY_BYTES). The body reaches the
 * execution input escaped once as a JSON string, where API Gateway's `$util.escapeJavaScript` writes a non-ASCII
 * character as `\uXXXX` (up to 3 bytes of input per byte of body): 64 KiB stays under Step Functions' 256 KiB limit
 * on an execution's input and on every state's payload, and is the most WAF inspects of an API Gateway body
 * (docs/decisions/0013-batch-submission.md).
 */
export const MAX_BATCH_BODY_BYTES = 64 * 1024;

/** What ReadBatch hands each payment of a batch: the single workflow's input, with the payment's own request id. */
export interface BatchItemInput {
  requestId: string;
  body: string;
}

/** ReadBatch's answer: each payment's text with its request id, and each payment's id as written, if it has one. */
export interface BatchRead {
  items: BatchItemInput[];
  ids: Array<string | null>;
}
