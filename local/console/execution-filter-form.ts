import type { ExecutionFilter } from '#local/step-functions/execution-store';
import { parseSince } from '#devtools/since';
import { EXECUTION_STATUSES } from '#devtools/execution-status';
import { ANSWER_FILTER_HINT, parseAnswerFilter } from '#devtools/http-answer';

/**
 * The console's filter, read from a query string (`?status=FAILED&answer=4xx&workflow=SubmitPayment&paymentId=…`).
 * An empty field means "any" (an HTML form sends every field); anything unusable is refused,
 * naming the field, rather than silently ignored.
 */

/** The filter's fields as the form holds them, to render it back. */
export interface ExecutionFilterForm {
  status: string;
  /** A submission's HTTP answer: `409`, or a class, `4xx`. */
  answer: string;
  workflow: string;
  paymentId: string;
  requestId: string;
  since: string;
}

export class InvalidQueryParameterError extends Error {
  override readonly name = 'InvalidQueryParameter';
  constructor(
    readonly field: keyof ExecutionFilterForm,
    message: string,
  ) {
    super(message);
  }
}

const MAX_ID_LENGTH = 200;

const idField = (field: 'paymentId' | 'requestId', value: string): string | undefined => {
  if (value === '') return undefined;
  // Ids are UUIDs, but a rejected submission may carry anything: search for what was sent, within reason.
  if (value.length > MAX_ID_LENGTH || /\p{Cc}/u.test(value)) {
    throw new InvalidQueryParameterError(
      field,
      `${field} must be at most ${MAX_ID_LENGTH} characters, without control characters`,
    );
  }
  return value;
};

export const readExecutionFilterForm = (parameters: URLSearchParams): ExecutionFilterForm => ({
  status: parameters.get('status') ?? '',
  answer: (parameters.get('answer') ?? '').trim(),
  workflow: parameters.get('workflow') ?? '',
  paymentId: (parameters.get('paymentId') ?? '').trim(),
  requestId: (parameters.get('requestId') ?? '').trim(),
  since: (parameters.get('since') ?? '').trim(),
});

/**
 * The store's filter for a query; `workflows` maps each workflow's name to its state machine ARN.
 * Throws InvalidQueryParameterError naming the first unusable field.
 */
export const toExecutionFilter = (
  query: ExecutionFilterForm,
  workflows: ReadonlyMap<string, string>,
  now: Date,
): ExecutionFilter => {
  const filter: ExecutionFilter = {};
  if (query.status !== '') {
    const status = EXECUTION_STATUSES.find((candidate) => candidate === query.status);
    if (!status)
      throw new InvalidQueryParameterError('status', `status must be one of ${EXECUTION_STATUSES.join(', ')}`);
    filter.status = status;
  }
  if (query.answer !== '') {
    const answer = parseAnswerFilter(query.answer);
    if (!answer) throw new InvalidQueryParameterError('answer', `answer must be ${ANSWER_FILTER_HINT}`);
    filter.answer = answer;
  }
  if (query.workflow !== '') {
    const stateMachineArn = workflows.get(query.workflow);
    if (!stateMachineArn)
      throw new InvalidQueryParameterError('workflow', `workflow must be one of ${[...workflows.keys()].join(', ')}`);
    filter.stateMachineArn = stateMachineArn;
  }
  const paymentId = idField('paymentId', query.paymentId);
  if (paymentId) filter.indexKey = paymentId;
  const requestId = idField('requestId', query.requestId);
  if (requestId) filter.requestId = requestId;
  if (query.since !== '') {
    const since = parseSince(query.since, now);
    if (!since)
      throw new InvalidQueryParameterError(
        'since',
        'since must be a duration such as 30m, 1h or 7d, or an ISO 8601 date-time',
      );
    filter.since = since;
  }
  return filter;
};
