/**
 * Which AWS SDK failures a retry may fix. Those become `DependencyUnavailable` (retried by the
 * state machine, then 503); anything else is a bug or a refusal and must not be retried blindly.
 */
const TRANSIENT_ERROR_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'TransactionConflictException',
]);

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

/** Reasons a transaction is cancelled that a retry may fix (a condition that failed is not one). */
const TRANSIENT_CANCELLATION_CODES = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);

interface MaybeAwsError {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
  cause?: unknown;
  errors?: unknown;
  CancellationReasons?: Array<{ Code?: string }>;
}

export const isTransientAwsError = (error: unknown, depth = 0): boolean => {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const e = error as MaybeAwsError;
  if (typeof e.name === 'string' && TRANSIENT_ERROR_NAMES.has(e.name)) return true;
  if (e.CancellationReasons?.some((reason) => TRANSIENT_CANCELLATION_CODES.has(reason.Code ?? ''))) return true;
  if (typeof e.code === 'string' && TRANSIENT_NETWORK_CODES.has(e.code)) return true;
  if (e.$retryable !== undefined) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) return true;
  // An SDK error with no HTTP status never got an answer (refused, reset, timed out): the SDK
  // sometimes hides the network error's code behind a generic wrapper, so this is the sure sign.
  if (e.$metadata !== undefined && status === undefined) return true;
  // Node wraps connection failures (AggregateError of ECONNREFUSED on IPv4 and IPv6).
  if (Array.isArray(e.errors) && e.errors.some((inner) => isTransientAwsError(inner, depth + 1))) return true;
  return isTransientAwsError(e.cause, depth + 1);
};
