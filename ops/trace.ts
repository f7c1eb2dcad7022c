import type { PaymentRecord } from '#domain/payment-record';
import type { MonthlyReport } from '#domain/report';
import { type ExecutionDetail, type ExecutionSource, ExecutionNotFoundError } from '#ops/execution';
import { type PathStep, executionPath } from '#ops/execution-path';

/** One submission of a payment: who sent it, what the API answered, and the path it took. */
export interface SubmissionAttempt {
  executionArn: string;
  requestId: string;
  /** The payment's position in its batch (POST /payments/batch: one Map iteration of the batch's execution). */
  batchIndex?: number;
  startDate: Date;
  /** The execution's status (a submission's execution SUCCEEDS also when it answers 4xx). */
  status: string;
  /** Token `sub` and `client_id` of the caller. */
  user?: string;
  clientId?: string;
  httpStatus?: number;
  /** `created`, `replayed`, or the problem type of a refusal (`invalid-payment`, `not-payment-owner`...). */
  outcome: string;
  steps: PathStep[];
}

export interface ReportInclusion {
  userId: string;
  month: string;
  /** The commitment the payment counts towards, and its streak that month. */
  commitment: string;
  streak: number;
  /** Cited as reversed by the bank (decisions/0019): in the report, but counted for nothing. */
  reversed?: boolean;
}

export interface PaymentTrace {
  paymentId: string;
  /** Oldest first. */
  attempts: SubmissionAttempt[];
  stored?: PaymentRecord;
  reports: ReportInclusion[];
}

/** Where a trace reads the stored payment and the user's reports (DynamoDB, locally or in AWS). */
export interface PaymentData {
  payment(id: string): Promise<PaymentRecord | undefined>;
  report(userId: string, month: string): Promise<MonthlyReport | undefined>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The HTTP answer a submit-payment execution gave (its output is the answer), in a word. */
export const submissionOutcome = (execution: ExecutionDetail): { httpStatus?: number; outcome: string } => {
  const output = isObject(execution.output) ? execution.output : undefined;
  if (execution.status !== 'SUCCEEDED' || !output || typeof output.statusCode !== 'number') {
    return {
      outcome: execution.error
        ? `${execution.status.toLowerCase()}: ${execution.error}`
        : execution.status.toLowerCase(),
    };
  }
  const statusCode = output.statusCode;
  const headers = isObject(output.headers) ? output.headers : {};
  const body = isObject(output.body) ? output.body : {};
  if (statusCode === 201) return { httpStatus: statusCode, outcome: 'created' };
  if (statusCode === 200)
    return { httpStatus: statusCode, outcome: headers['Idempotent-Replayed'] === 'true' ? 'replayed' : 'ok' };
  const problem =
    typeof body.type === 'string' ? body.type.slice(body.type.lastIndexOf('/') + 1) : String(body.title ?? 'refused');
  return { httpStatus: statusCode, outcome: problem };
};

export const toAttempt = (execution: ExecutionDetail): SubmissionAttempt => {
  const caller = isObject(execution.input) && isObject(execution.input.caller) ? execution.input.caller : {};
  return {
    executionArn: execution.executionArn,
    requestId: execution.requestId ?? execution.name,
    startDate: execution.startDate,
    status: execution.status,
    ...(typeof caller.sub === 'string' ? { user: caller.sub } : {}),
    ...(typeof caller.clientId === 'string' ? { clientId: caller.clientId } : {}),
    ...submissionOutcome(execution),
    steps: executionPath(execution.events),
  };
};

interface BatchResult {
  index: number;
  id?: string;
  status: number;
  problem?: { type?: unknown };
}

const batchResultsOf = (execution: ExecutionDetail): BatchResult[] => {
  const output = isObject(execution.output) ? execution.output : undefined;
  const body = output && isObject(output.body) ? output.body : undefined;
  return body && Array.isArray(body.results) ? (body.results as BatchResult[]) : [];
};

/**
 * A batch's execution as the attempts of one payment: one per position the payment held in it (two, when the batch
 * held it twice), each with that payment's own status and outcome; its path is the batch's, every payment's states
 * summed. A batch refused as a whole (not JSON, too large) is one attempt with the batch's answer.
 */
const batchAttempts = (execution: ExecutionDetail, paymentId: string): SubmissionAttempt[] => {
  const whole = toAttempt(execution);
  const results = batchResultsOf(execution).filter((result) => result.id === paymentId);
  if (results.length === 0) return [whole];
  return results.map((result) => ({
    ...whole,
    requestId: `${whole.requestId}/${result.index}`,
    batchIndex: result.index,
    httpStatus: result.status,
    outcome:
      result.status === 201
        ? 'created'
        : result.status === 200
          ? 'replayed'
          : typeof result.problem?.type === 'string'
            ? result.problem.type.slice(result.problem.type.lastIndexOf('/') + 1)
            : 'refused',
  }));
};

/** The reports that count the payment: its user's report of its month, when it lists the payment. */
const reportsIncluding = async (stored: PaymentRecord, data: PaymentData): Promise<ReportInclusion[]> => {
  const month = stored.timestamp.slice(0, 7);
  const report = await data.report(stored.userId, month);
  const cites = (payments: readonly { id: string }[] | undefined): boolean =>
    (payments ?? []).some((payment) => payment.id === stored.id);
  const commitment = report?.commitments.find(
    (candidate) => cites(candidate.payments) || cites(candidate.reversedPayments),
  );
  if (!commitment) return [];
  const inclusion = { userId: stored.userId, month, commitment: commitment.payee, streak: commitment.streak };
  return [cites(commitment.reversedPayments) ? { ...inclusion, reversed: true } : inclusion];
};

/** Everything known about one payment: every submission attempt, the stored item, the reports. */
export const tracePayment = async (
  paymentId: string,
  source: ExecutionSource,
  data: PaymentData,
  since?: Date,
): Promise<PaymentTrace> => {
  const listed = await source.executions({ workflow: 'submit', paymentId, ...(since ? { since } : {}) });
  const details = await Promise.all(listed.map((listing) => source.execution(listing.executionArn)));
  const attempts = details
    .flatMap((detail) => (detail.paymentIds ? batchAttempts(detail, paymentId) : [toAttempt(detail)]))
    .sort((a, b) => a.startDate.getTime() - b.startDate.getTime());
  const stored = await data.payment(paymentId);
  if (attempts.length === 0 && !stored) throw new ExecutionNotFoundError(`Nothing known about payment ${paymentId}`);
  return {
    paymentId,
    attempts,
    ...(stored ? { stored } : {}),
    reports: stored ? await reportsIncluding(stored, data) : [],
  };
};
