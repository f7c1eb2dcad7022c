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

/** A batch body's payment ids (`{"payments": [{"id": ...}, ...]}`), each once, in order; none for any other body. */
export const batchPaymentIdsOfBody = (body: string): string[] | undefined => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || !Array.isArray(parsed.payments)) return undefined;
  const ids = parsed.payments.flatMap((item: unknown) =>
    isObject(item) && typeof item.id === 'string' && item.id !== '' ? [item.id] : [],
  );
  return [...new Set(ids)];
};

export interface SubmissionIds {
  /** A single submission's payment id. */
  paymentId?: string;
  /** A batch's payment ids (POST /payments/batch): each payment is one Map iteration of the batch's execution. */
  paymentIds?: string[];
  requestId?: string;
}

export const submissionIds = (input: unknown): SubmissionIds => {
  if (!isObject(input)) return {};
  const body = typeof input.body === 'string' ? input.body : undefined;
  const paymentIds = body === undefined ? undefined : batchPaymentIdsOfBody(body);
  const paymentId = body === undefined || paymentIds ? undefined : paymentIdOfBody(body);
  const requestId = typeof input.requestId === 'string' ? input.requestId : undefined;
  return {
    ...(paymentId ? { paymentId } : {}),
    ...(paymentIds ? { paymentIds } : {}),
    ...(requestId ? { requestId } : {}),
  };
};

/** Whether an execution's ids name the payment: a single submission of it, or a batch holding it. */
export const carriesPayment = (ids: SubmissionIds, paymentId: string): boolean =>
  ids.paymentId === paymentId || (ids.paymentIds?.includes(paymentId) ?? false);

/** The payment ids an execution carries: the key the local stack's execution store indexes it by (FindExecutions' paymentId). */
export const paymentIdsOf = (ids: SubmissionIds): string[] => [
  ...(ids.paymentId ? [ids.paymentId] : []),
  ...(ids.paymentIds ?? []),
];
