import { randomUUID } from 'node:crypto';
import { type ExecutionStore, type ExecutionSummary, newestFirst } from '#local/step-functions/execution-store';
import { SfnError } from '#local/step-functions/api/errors';
import { type HistoryEvent, toHistoryEvents } from '#local/step-functions/api/history';
import { page } from '#local/step-functions/api/pagination';
import { allStates } from '#local/step-functions/asl';
import { type LocalWorkflow } from '#local/step-functions/workflow-runner';
import { EXECUTION_STATUSES, isExecutionStatus } from '#devtools/execution-status';
import { ANSWER_FILTER_HINT, parseAnswerFilter } from '#devtools/http-answer';
import { type ExecutionRecord } from '#local/step-functions/execution-store';

/** What the API serves: the stack's workflows and its execution records. */
export interface SfnBackend {
  workflows: readonly LocalWorkflow[];
  executions: ExecutionStore;
  /** Reported as each state machine's creationDate. */
  startedAt: Date;
}

export type Request = Record<string, unknown>;
export type Operation = (backend: SfnBackend, request: Request) => Promise<unknown>;

const STATE_MACHINE_ARN = /^arn:aws[\w-]*:states:[\w-]*:\d{12}:stateMachine:[^:\s]{1,80}$/;
const EXECUTION_ARN = /^arn:aws[\w-]*:states:[\w-]*:\d{12}:(execution|express):([^:\s]{1,80}):[^:\s]{1,80}(:[^:\s]+)?$/;
// AWS: 1-80 characters, none of whitespace, brackets, wildcards, these specials or control characters.
const INVALID_NAME_CHARACTER = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;
const isControlCharacter = (character: string): boolean => {
  const code = character.charCodeAt(0);
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
};
const MAX_INPUT_BYTES = 256 * 1024;

const epochSeconds = (iso: string): number => Date.parse(iso) / 1000;

/** The role AWS would name; locally nothing assumes it. */
const roleArn = (workflow: LocalWorkflow): string =>
  `arn:aws:iam::${workflow.stateMachineArn.split(':')[4]}:role/payments-tracker-local-${workflow.name}`;

const requiredString = (request: Request, field: string): string => {
  const value = request[field];
  if (typeof value !== 'string' || value === '') {
    throw new SfnError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
};

const workflowOf = (backend: SfnBackend, request: Request): LocalWorkflow => {
  const arn = requiredString(request, 'stateMachineArn');
  if (!STATE_MACHINE_ARN.test(arn))
    throw new SfnError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  const workflow = backend.workflows.find((candidate) => candidate.stateMachineArn === arn);
  if (!workflow) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  return workflow;
};

const executionOf = async (
  backend: SfnBackend,
  request: Request,
): Promise<{ record: ExecutionRecord; workflow?: LocalWorkflow }> => {
  const arn = requiredString(request, 'executionArn');
  if (!EXECUTION_ARN.test(arn))
    throw new SfnError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  const record = await backend.executions.get(arn);
  if (!record) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  return {
    record,
    workflow: backend.workflows.find((candidate) => candidate.stateMachineArn === record.stateMachineArn),
  };
};

const executionName = (request: Request): string => {
  if (request.name === undefined || request.name === null) return randomUUID();
  const name = request.name;
  if (
    typeof name !== 'string' ||
    name.length < 1 ||
    name.length > 80 ||
    INVALID_NAME_CHARACTER.test(name) ||
    [...name].some(isControlCharacter)
  ) {
    throw new SfnError('InvalidName', `Invalid Name: '${String(name)}'`);
  }
  return name;
};

const executionInput = (request: Request): unknown => {
  const text = request.input ?? '{}';
  if (typeof text !== 'string')
    throw new SfnError('InvalidExecutionInput', 'Invalid State Machine Execution Input: it must be a JSON text');
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES) {
    throw new SfnError(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: more than ${MAX_INPUT_BYTES} bytes`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SfnError(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: '${(error as Error).message}'`,
      400,
      {
        cause: error,
      },
    );
  }
};

const listItem = (summary: ExecutionSummary): Record<string, unknown> => ({
  executionArn: summary.executionArn,
  stateMachineArn: summary.stateMachineArn,
  name: summary.name,
  status: summary.status,
  startDate: epochSeconds(summary.startDate),
  ...(summary.stopDate ? { stopDate: epochSeconds(summary.stopDate) } : {}),
});

const describe = (record: ExecutionRecord): Record<string, unknown> => ({
  executionArn: record.executionArn,
  stateMachineArn: record.stateMachineArn,
  name: record.name,
  status: record.status,
  startDate: epochSeconds(record.startDate),
  ...(record.stopDate ? { stopDate: epochSeconds(record.stopDate) } : {}),
  input: JSON.stringify(record.input ?? null),
  inputDetails: { included: true },
  ...(record.status === 'SUCCEEDED'
    ? { output: JSON.stringify(record.output ?? null), outputDetails: { included: true } }
    : {}),
  ...(record.error !== undefined ? { error: record.error } : {}),
  ...(record.cause !== undefined ? { cause: record.cause } : {}),
});

const listStateMachines: Operation = async (backend, request) => {
  const { items, nextToken } = page(backend.workflows, (workflow) => workflow.stateMachineArn, {
    scope: 'ListStateMachines',
    nextToken: request.nextToken,
    maxResults: request.maxResults,
  });
  return {
    stateMachines: items.map((workflow) => ({
      stateMachineArn: workflow.stateMachineArn,
      name: workflow.name,
      type: workflow.type,
      creationDate: backend.startedAt.getTime() / 1000,
    })),
    ...(nextToken ? { nextToken } : {}),
  };
};

const describeStateMachine: Operation = async (backend, request) => {
  const workflow = workflowOf(backend, request);
  return {
    stateMachineArn: workflow.stateMachineArn,
    name: workflow.name,
    status: 'ACTIVE',
    definition: JSON.stringify(workflow.definition, null, 2),
    roleArn: roleArn(workflow),
    type: workflow.type,
    creationDate: backend.startedAt.getTime() / 1000,
    tracingConfiguration: { enabled: false },
  };
};

const startExecution: Operation = async (backend, request) => {
  const workflow = workflowOf(backend, request);
  const name = executionName(request);
  const input = executionInput(request);
  if (workflow.type === 'STANDARD') {
    // A Standard execution's name is unique in its state machine; the same start again while it runs is idempotent, as in AWS.
    const executionArn = workflow.executionArn(name);
    // A running execution is compared from the workflow's memory, not from the store, whose
    // record may be between its memory and its file. A start of the same name may also begin
    // while the store's read waits: checked again after it, with nothing awaited between that
    // check and the start below.
    const sameRunning = (): { executionArn: string; startDate: number } | undefined => {
      const running = workflow.runningExecution(executionArn);
      if (!running) return undefined;
      if (JSON.stringify(running.input) !== JSON.stringify(input))
        throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
      return { executionArn, startDate: epochSeconds(running.startDate) };
    };
    const before = sameRunning();
    if (before) return before;
    const ended = await backend.executions.get(executionArn);
    const meanwhile = sameRunning();
    if (meanwhile) return meanwhile;
    // It ran before and has ended (or a stack before this one ran it): a name is never reused.
    if (ended) throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
  }
  const started = workflow.start(name, input);
  // Its end is recorded by the workflow; a failure of the run itself must not go unhandled.
  started.done.catch(() => undefined);
  return { executionArn: started.executionArn, startDate: epochSeconds(started.startDate) };
};

const startSyncExecution: Operation = async (backend, request) => {
  const workflow = workflowOf(backend, request);
  if (workflow.type !== 'EXPRESS') {
    throw new SfnError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
  }
  return describe(await workflow.run(executionName(request), executionInput(request)));
};

const describeExecution: Operation = async (backend, request) => describe((await executionOf(backend, request)).record);

/**
 * An execution's place in a listing (see `newestFirst`): its start and ARN, so that a token still
 * leads on when that execution has left the listing since (it stopped running, say).
 */
const executionPosition = (summary: ExecutionSummary): string =>
  JSON.stringify([summary.startDate, summary.executionArn]);
const comesAfterPosition = (summary: ExecutionSummary, position: string): boolean =>
  newestFirst(summary, { ...summary, ...positionOf(position) }) > 0;
const positionOf = (position: string): Pick<ExecutionSummary, 'startDate' | 'executionArn'> => {
  try {
    const [startDate, executionArn] = JSON.parse(position) as unknown[];
    if (typeof startDate === 'string' && typeof executionArn === 'string') return { startDate, executionArn };
  } catch {
    // Falls through to the error below.
  }
  throw new SfnError('InvalidToken', 'Invalid Token: the nextToken does not belong to this request');
};

// A Distributed Map's run: locally `<account>:mapRun:<state machine>/<label>:<parent execution name>`.
const MAP_RUN_ARN = /^(arn:aws[\w-]*:states:[\w-]*:\d{12}):mapRun:([^:\s/]{1,80})\/([^:\s]{1,80}):([^:\s]{1,80})$/;

/** A map run's parent execution and the state machine its child executions run as. */
const mapRunOf = (request: Request): { parentExecutionArn: string; stateMachineArn: string } => {
  const arn = requiredString(request, 'mapRunArn');
  const [, prefix, stateMachine, label, parentName] = MAP_RUN_ARN.exec(arn) ?? [];
  if (!prefix) throw new SfnError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  return {
    parentExecutionArn: `${prefix}:execution:${stateMachine}:${parentName}`,
    stateMachineArn: `${prefix}:stateMachine:${stateMachine}/${label}`,
  };
};

/** Each Distributed Map run of an execution, from its MapRunStarted and MapRunSucceeded/Failed events (as AWS's ListMapRuns). */
const listMapRuns: Operation = async (backend, request) => {
  const { record } = await executionOf(backend, request);
  const runs = new Map<string, { startDate: number; stopDate?: number }>();
  for (const event of record.events) {
    if (!('mapRunArn' in event)) continue;
    const run = runs.get(event.mapRunArn) ?? { startDate: event.timestamp / 1000 };
    if (event.type !== 'MapRunStarted') run.stopDate = event.timestamp / 1000;
    runs.set(event.mapRunArn, run);
  }
  const { items, nextToken } = page([...runs], ([mapRunArn]) => mapRunArn, {
    scope: `ListMapRuns:${record.executionArn}`,
    nextToken: request.nextToken,
    maxResults: request.maxResults,
  });
  return {
    mapRuns: items.map(([mapRunArn, run]) => ({
      executionArn: record.executionArn,
      mapRunArn,
      stateMachineArn: mapRunOf({ mapRunArn }).stateMachineArn,
      ...run,
    })),
    ...(nextToken ? { nextToken } : {}),
  };
};

const listExecutions: Operation = async (backend, request) => {
  // As in AWS: a map run's child executions are listed by its mapRunArn, never with the state machine's.
  const mapRun = request.mapRunArn === undefined ? undefined : mapRunOf(request);
  const workflow = mapRun ? { stateMachineArn: mapRun.stateMachineArn } : workflowOf(backend, request);
  const status = request.statusFilter;
  if (status !== undefined && !isExecutionStatus(status)) {
    throw new SfnError(
      'ValidationException',
      `1 validation error detected: Value '${String(status)}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${EXECUTION_STATUSES.join(', ')}]`,
    );
  }
  const summaries = await backend.executions.list({
    stateMachineArn: workflow.stateMachineArn,
    ...(status ? { status } : {}),
    ...(mapRun ? { parentExecutionArn: mapRun.parentExecutionArn } : {}),
  });
  const { items, nextToken } = page(summaries, executionPosition, {
    comesAfter: comesAfterPosition,
    scope: `ListExecutions:${workflow.stateMachineArn}:${String(status ?? '')}`,
    nextToken: request.nextToken,
    maxResults: request.maxResults,
  });
  return { executions: items.map(listItem), ...(nextToken ? { nextToken } : {}) };
};

// A report run's history has hundreds of thousands of events and is read a page at a time: the
// last few finished histories are kept mapped, so each page does not read and map it all again.
const HISTORIES_KEPT = 4;
const mappedHistories = new WeakMap<SfnBackend, Map<string, HistoryEvent[]>>();

const historyOf = async (
  backend: SfnBackend,
  request: Request,
  includeExecutionData: boolean,
): Promise<{ arn: string; events: HistoryEvent[] }> => {
  const kept = mappedHistories.get(backend) ?? new Map<string, HistoryEvent[]>();
  mappedHistories.set(backend, kept);
  const key = `${String(request.executionArn)}|${includeExecutionData}`;
  const cached = kept.get(key);
  if (cached) return { arn: String(request.executionArn), events: cached };
  const { record, workflow } = await executionOf(backend, request);
  const taskResources = new Map(
    workflow
      ? allStates(workflow.definition).flatMap(([name, state]) =>
          state.Resource ? [[name, state.Resource] as const] : [],
        )
      : [],
  );
  const events = toHistoryEvents(record, {
    includeExecutionData,
    taskResources,
    roleArn: workflow ? roleArn(workflow) : '',
  });
  if (record.status !== 'RUNNING') {
    kept.set(key, events);
    for (const oldest of kept.keys()) {
      if (kept.size <= HISTORIES_KEPT) break;
      kept.delete(oldest);
    }
  }
  return { arn: record.executionArn, events };
};

const getExecutionHistory: Operation = async (backend, request) => {
  const { arn, events: inOrder } = await historyOf(backend, request, request.includeExecutionData !== false);
  const reverse = request.reverseOrder === true;
  const events = reverse ? [...inOrder].reverse() : inOrder;
  const { items, nextToken } = page(events, (event) => String(event.id), {
    scope: `GetExecutionHistory:${arn}:${reverse}`,
    nextToken: request.nextToken,
    maxResults: request.maxResults,
    // Ids are 1..n in order: the position of an id is known.
    indexOfKey: (key) => (reverse ? events.length - Number(key) : Number(key) - 1),
  });
  return { events: items, ...(nextToken ? { nextToken } : {}) };
};

const stopExecution: Operation = async (backend, request) => {
  const { record, workflow } = await executionOf(backend, request);
  if (record.status !== 'RUNNING') return { stopDate: epochSeconds(record.stopDate ?? record.startDate) };
  if (workflow?.type === 'EXPRESS') {
    throw new SfnError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
  }
  const reason = {
    ...(typeof request.error === 'string' ? { error: request.error } : {}),
    ...(typeof request.cause === 'string' ? { cause: request.cause } : {}),
  };
  const stopped = workflow?.stop(record.executionArn, reason);
  if (stopped) {
    const ended = await stopped;
    return { stopDate: epochSeconds(ended.stopDate ?? new Date().toISOString()) };
  }
  // Run by another process (npm run report): it is asked to stop the run, and records it ABORTED.
  await backend.executions.requestStop(record.executionArn, reason);
  const ended = await endOf(backend, record.executionArn);
  return { stopDate: epochSeconds(ended.stopDate ?? new Date().toISOString()) };
};

// The other process looks for stop requests five times a second; this is its bound to answer.
const OTHER_PROCESS_STOP_MS = 30_000;

const endOf = async (backend: SfnBackend, executionArn: string): Promise<ExecutionRecord> => {
  const deadline = Date.now() + OTHER_PROCESS_STOP_MS;
  for (;;) {
    const record = await backend.executions.get(executionArn);
    if (record && record.status !== 'RUNNING') return record;
    if (Date.now() > deadline)
      throw new SfnError('ValidationException', 'The process running the execution did not stop it in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/**
 * Not in AWS's API: executions by payment id or request id (submissions, also rejected ones),
 * across both workflows, with the ids the index keeps. `npm run ops` uses it against the local
 * stack; against AWS it queries CloudWatch Logs Insights instead.
 */
const findExecutions: Operation = async (backend, request) => {
  const optional = (field: string): string | undefined => {
    const value = request[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw new SfnError('ValidationException', `${field} must be a string`);
    return value;
  };
  const status = optional('statusFilter');
  if (status !== undefined && !isExecutionStatus(status)) {
    throw new SfnError('ValidationException', `statusFilter must be one of ${EXECUTION_STATUSES.join(', ')}`);
  }
  const since = request.since;
  if (since !== undefined && (typeof since !== 'number' || !Number.isFinite(since))) {
    throw new SfnError('ValidationException', 'since must be epoch seconds');
  }
  const stateMachineArn = optional('stateMachineArn');
  if (stateMachineArn !== undefined) workflowOf(backend, request);
  const paymentId = optional('paymentId');
  const requestId = optional('requestId');
  const answerText = optional('answer');
  const answer = answerText === undefined ? undefined : parseAnswerFilter(answerText);
  if (answerText !== undefined && answer === undefined)
    throw new SfnError('ValidationException', `answer must be ${ANSWER_FILTER_HINT}`);
  const summaries = await backend.executions.list({
    ...(answer ? { answer } : {}),
    ...(stateMachineArn ? { stateMachineArn } : {}),
    ...(status ? { status } : {}),
    ...(paymentId ? { indexKey: paymentId } : {}),
    ...(requestId ? { requestId } : {}),
    ...(since !== undefined ? { since: new Date((since as number) * 1000) } : {}),
  });
  const { items, nextToken } = page(summaries, executionPosition, {
    comesAfter: comesAfterPosition,
    scope: `FindExecutions:${JSON.stringify([stateMachineArn, status, paymentId, requestId, since, answer])}`,
    nextToken: request.nextToken,
    maxResults: request.maxResults,
  });
  return {
    executions: items.map((summary) => ({
      ...listItem(summary),
      ...(summary.paymentId ? { paymentId: summary.paymentId } : {}),
      ...(summary.paymentIds ? { paymentIds: summary.paymentIds } : {}),
      ...(summary.requestId ? { requestId: summary.requestId } : {}),
      ...(summary.error ? { error: summary.error } : {}),
      ...(summary.httpStatus === undefined ? {} : { httpStatus: summary.httpStatus }),
    })),
    ...(nextToken ? { nextToken } : {}),
  };
};

/** Operations by X-Amz-Target. */
export const OPERATIONS: Readonly<Record<string, Operation>> = {
  'AWSStepFunctions.ListStateMachines': listStateMachines,
  'AWSStepFunctions.DescribeStateMachine': describeStateMachine,
  'AWSStepFunctions.StartExecution': startExecution,
  'AWSStepFunctions.StartSyncExecution': startSyncExecution,
  'AWSStepFunctions.DescribeExecution': describeExecution,
  'AWSStepFunctions.ListExecutions': listExecutions,
  'AWSStepFunctions.GetExecutionHistory': getExecutionHistory,
  'AWSStepFunctions.StopExecution': stopExecution,
  'AWSStepFunctions.ListMapRuns': listMapRuns,
  /** The local extension (see docs/operations.md). */
  'PaymentsTrackerLocal.FindExecutions': findExecutions,
};
