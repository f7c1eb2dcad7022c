/**
 * The ids a submit-payment execution's input carries, as operations and auditors search by
 * them: the request id (the execution name) and the payment id of the body. The body is read
 * leniently: a rejected submission's body may not be JSON and still name its payment.
 */
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const paymentIdOfBody = (body: string): string | undefined => {
  try {
    const parsed: unknown = JSON.parse(body);
    return isObject(parsed) && typeof parsed.id === 'string' && parsed.id !== '' ? parsed.id : undefined;
  } catch {
    return /"id"\s*:\s*"([^"\\]{1,100})"/.exec(body)?.[1];
  }
};

export const submissionIds = (input: unknown): { paymentId?: string; requestId?: string } => {
  if (!isObject(input)) return {};
  const paymentId = typeof input.body === 'string' ? paymentIdOfBody(input.body) : undefined;
  const requestId = typeof input.requestId === 'string' ? input.requestId : undefined;
  return { ...(paymentId ? { paymentId } : {}), ...(requestId ? { requestId } : {}) };
};
