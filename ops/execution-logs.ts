import { type CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { carriesPayment, submissionIds } from '#devtools/submission-ids';
import { answerMatches, httpAnswerOf } from '#devtools/http-answer';
import {
  type ExecutionDetail,
  type ExecutionEvent,
  type ExecutionListing,
  ExecutionNotFoundError,
  type ExecutionQuery,
  parseJson,
  workflowOf,
} from '#ops/execution';

/**
 * Express executions in AWS exist only as their log events (the state machine logs at level ALL
 * with execution data): one JSON event per history event, with `id`, `type`, `details`,
 * `previous_event_id`, `event_timestamp` (epoch ms, a string) and `execution_arn`. These are the
 * Logs Insights queries the ops command runs on that log group, and the parser of their events.
 */
export interface ExecutionLogEvent {
  executionArn: string;
  event: ExecutionEvent;
}

const END_TYPES: Record<string, string> = {
  ExecutionSucceeded: 'SUCCEEDED',
  ExecutionFailed: 'FAILED',
  ExecutionAborted: 'ABORTED',
  ExecutionTimedOut: 'TIMED_OUT',
};
const LIFECYCLE_TYPES = ['ExecutionStarted', ...Object.keys(END_TYPES)];
const MAX_ROWS = 10_000;

/** An Insights string literal; ids and ARNs never need quoting, so anything that would is refused. */
const literal = (value: string): string => {
  if (!/^[\w:.\-/]+$/.test(value)) throw new Error(`Not an id or ARN: ${JSON.stringify(value)}`);
  return `"${value}"`;
};

const typeList = (types: readonly string[]): string => `[${types.map((type) => `"${type}"`).join(', ')}]`;

/** Start and end events of all executions in the window: one row each, newest first. */
export const lifecycleQuery = (): string =>
  [
    'fields @timestamp, @message',
    `| filter type in ${typeList(LIFECYCLE_TYPES)}`,
    '| sort @timestamp desc',
    `| limit ${MAX_ROWS}`,
  ].join('\n');

/**
 * The start events of one payment's submissions (its id is in the request body, in the start
 * event's input). Their ends are fetched by ARN next: one query for both would share its row limit
 * with every other execution's end and lose an older payment's start on a busy log group.
 */
export const paymentStartsQuery = (paymentId: string): string =>
  [
    'fields @timestamp, @message',
    `| filter type = "ExecutionStarted" and details.input like ${literal(paymentId)}`,
    '| sort @timestamp desc',
    `| limit ${MAX_ROWS}`,
  ].join('\n');

/** The end events of the given executions. */
export const executionEndsQuery = (executionArns: readonly string[]): string =>
  [
    'fields @timestamp, @message',
    `| filter type in ${typeList(Object.keys(END_TYPES))} and execution_arn in [${executionArns.map(literal).join(', ')}]`,
    `| limit ${MAX_ROWS}`,
  ].join('\n');

/** ARNs per end-events query, to keep each query string short. */
const ARNS_PER_QUERY = 100;

/** Every event of one execution, in order. */
export const executionEventsQuery = (executionArn: string): string =>
  [
    'fields @timestamp, @message',
    `| filter execution_arn = ${literal(executionArn)}`,
    '| sort @timestamp asc',
    `| limit ${MAX_ROWS}`,
  ].join('\n');

/** One log event's message; undefined for a line that is not a Step Functions execution event. */
export const parseExecutionLogEvent = (message: string): ExecutionLogEvent | undefined => {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(message) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof parsed.execution_arn !== 'string' || typeof parsed.type !== 'string') return undefined;
  const details =
    typeof parsed.details === 'object' && parsed.details !== null ? (parsed.details as Record<string, unknown>) : {};
  return {
    executionArn: parsed.execution_arn,
    event: {
      id: Number(parsed.id ?? 0),
      timestamp: new Date(Number(parsed.event_timestamp ?? 0)),
      type: parsed.type,
      details,
    },
  };
};

const stateMachineArnOf = (executionArn: string): string => {
  // arn:aws:states:<region>:<account>:express:<state machine>:<name>:<id>
  const parts = executionArn.split(':');
  return [...parts.slice(0, 5), 'stateMachine', parts[6] ?? ''].join(':');
};

/** Start and end events grouped into executions, newest first; an execution with no end event is RUNNING. */
export const executionsFromLifecycle = (events: readonly ExecutionLogEvent[]): ExecutionListing[] => {
  const byArn = new Map<string, { start?: ExecutionEvent; end?: ExecutionEvent }>();
  for (const { executionArn, event } of events) {
    const entry = byArn.get(executionArn) ?? {};
    if (event.type === 'ExecutionStarted') entry.start = event;
    else entry.end = event;
    byArn.set(executionArn, entry);
  }
  return [...byArn.entries()]
    .flatMap(([executionArn, { start, end }]) => {
      // An end without its start is an execution older than the query's window (or another payment's).
      if (!start) return [];
      const stateMachineArn = stateMachineArnOf(executionArn);
      const workflow = workflowOf(stateMachineArn);
      const status = end ? (END_TYPES[end.type] ?? 'UNKNOWN') : 'RUNNING';
      const input = parseJson(start.details.input);
      const httpStatus = httpAnswerOf({ status, input, output: parseJson(end?.details.output) });
      const listing: ExecutionListing = {
        executionArn,
        stateMachineArn,
        ...(workflow ? { workflow } : {}),
        name: executionArn.split(':')[7] ?? executionArn,
        status,
        startDate: start.timestamp,
        ...(end ? { stopDate: end.timestamp } : {}),
        ...submissionIds(input),
        ...(typeof end?.details.error === 'string' ? { error: end.details.error } : {}),
        ...(httpStatus === undefined ? {} : { httpStatus }),
      };
      return [listing];
    })
    .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
};

/** One execution from all its events. */
export const executionFromEvents = (executionArn: string, events: readonly ExecutionEvent[]): ExecutionDetail => {
  const ordered = [...events].sort((a, b) => a.id - b.id);
  const start = ordered.find((event) => event.type === 'ExecutionStarted');
  if (!start)
    throw new ExecutionNotFoundError(`No ExecutionStarted event for ${executionArn} in the log group and time range`);
  const [listing] = executionsFromLifecycle(ordered.map((event) => ({ executionArn, event })));
  const end = ordered.find((event) => event.type in END_TYPES);
  return {
    ...listing!,
    ...(typeof end?.details.cause === 'string' ? { cause: end.details.cause } : {}),
    input: parseJson(start.details.input),
    ...(end?.type === 'ExecutionSucceeded' ? { output: parseJson(end.details.output) } : {}),
    events: ordered,
  };
};

export interface InsightsOptions {
  /** The submission workflows' log groups: POST /payments's and POST /payments/batch's (a batch holds many payments). */
  logGroupNames: readonly string[];
  since: Date;
  until?: Date;
  /** Between polls of the query's results (tests set 0). */
  pollMs?: number;
  /** Told when a listing was cut at the query's row limit. */
  warn?: (message: string) => void;
}

/** Runs one Logs Insights query to its end; returns each row's @message. */
export const runQuery = async (
  client: CloudWatchLogsClient,
  queryString: string,
  options: InsightsOptions,
): Promise<string[]> => {
  const { queryId } = await client.send(
    new StartQueryCommand({
      logGroupNames: [...options.logGroupNames],
      queryString,
      startTime: Math.floor(options.since.getTime() / 1000),
      endTime: Math.ceil((options.until ?? new Date()).getTime() / 1000),
      limit: MAX_ROWS,
    }),
  );
  for (;;) {
    const results = await client.send(new GetQueryResultsCommand({ queryId }));
    if (results.status === 'Complete') {
      return (results.results ?? []).flatMap((row) =>
        row.filter((field) => field.field === '@message').map((field) => field.value ?? ''),
      );
    }
    if (results.status !== 'Running' && results.status !== 'Scheduled') {
      throw new Error(`Logs Insights query ${queryId} ended ${results.status}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
};

/** Express executions from their log group: listed (optionally of one payment), or one with its history. */
export class ExecutionLogs {
  constructor(
    private readonly client: CloudWatchLogsClient,
    private readonly options: Omit<InsightsOptions, 'since'>,
  ) {}

  async executions(query: ExecutionQuery & { since: Date }): Promise<ExecutionListing[]> {
    const window = { ...this.options, since: query.since };
    let messages: string[];
    if (query.paymentId) {
      messages = await runQuery(this.client, paymentStartsQuery(query.paymentId), window);
      const arns = [...new Set(messages.flatMap((message) => parseExecutionLogEvent(message)?.executionArn ?? []))];
      for (let from = 0; from < arns.length; from += ARNS_PER_QUERY) {
        messages.push(
          ...(await runQuery(this.client, executionEndsQuery(arns.slice(from, from + ARNS_PER_QUERY)), window)),
        );
      }
    } else {
      messages = await runQuery(this.client, lifecycleQuery(), window);
      if (messages.length >= MAX_ROWS) {
        this.options.warn?.(
          `Logs Insights returned its limit of ${MAX_ROWS} rows: older executions in the window are missing; narrow it with --since`,
        );
      }
    }
    const listed = executionsFromLifecycle(messages.flatMap((message) => parseExecutionLogEvent(message) ?? []));
    return listed.filter(
      (listing) =>
        (!query.status || listing.status === query.status) &&
        (!query.answer || answerMatches(query.answer, listing.httpStatus)) &&
        (!query.paymentId || carriesPayment(listing, query.paymentId)),
    );
  }

  async execution(executionArn: string, since: Date): Promise<ExecutionDetail> {
    const messages = await runQuery(this.client, executionEventsQuery(executionArn), { ...this.options, since });
    const events = messages.flatMap((message) => {
      const parsed = parseExecutionLogEvent(message);
      return parsed && parsed.executionArn === executionArn ? [parsed.event] : [];
    });
    return executionFromEvents(executionArn, events);
  }
}
