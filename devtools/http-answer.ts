import { toHttpResponse } from '#contract/http-mapping';

/**
 * The HTTP answer a submission's execution gave. Its execution SUCCEEDS also when it answers
 * 400, 403 or 409 (the output is the answer); one that failed outright answered what the gateway
 * maps its end to (500, 503). Operations list and filter executions by it (`--answer 4xx`).
 */
interface Execution {
  status: string;
  input: unknown;
  output?: unknown;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const parsed = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
};

/** Only a submission (its input is a request: a body and a caller) has an answer; a running one has none yet. */
export const httpAnswerOf = (execution: Execution): number | undefined => {
  const input = parsed(execution.input);
  if (!isObject(input) || typeof input.body !== 'string' || !isObject(input.caller)) return undefined;
  if (execution.status === 'RUNNING') return undefined;
  if (execution.status !== 'SUCCEEDED') return toHttpResponse({ status: execution.status }, '').statusCode;
  const output = parsed(execution.output);
  return isObject(output) && typeof output.statusCode === 'number' ? output.statusCode : undefined;
};

/** `4xx` (a class), or `409` (one status); normalized (`4XX` -> `4xx`). Undefined when it is neither. */
export const parseAnswerFilter = (text: string): string | undefined => {
  const normalized = text.trim().toLowerCase();
  return /^[1-5](xx|\d\d)$/.test(normalized) ? normalized : undefined;
};

export const ANSWER_FILTER_HINT = 'an HTTP status (409) or class (4xx)';

/** Whether an answer passes a filter of parseAnswerFilter's form; an execution with no answer never does. */
export const answerMatches = (filter: string, answer: number | undefined): boolean =>
  answer !== undefined &&
  (filter.endsWith('xx') ? Math.floor(answer / 100) === Number(filter[0]) : answer === Number(filter));
