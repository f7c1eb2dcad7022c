import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  type HistoryEvent,
  type SFNClient,
  type StateMachineListItem,
  paginateGetExecutionHistory,
  paginateListExecutions,
  paginateListMapRuns,
  paginateListStateMachines,
} from '@aws-sdk/client-sfn';
import { httpAnswerOf } from '#devtools/http-answer';
import { submissionIds } from '#devtools/submission-ids';
import {
  type ExecutionDetail,
  type ExecutionEvent,
  type ExecutionListing,
  ExecutionNotFoundError,
  type ExecutionQuery,
  type ExecutionSource,
  type MapRun,
  type Workflow,
  parseJson,
  workflowOf,
} from '#ops/execution';

/** A history event of the API in the one shape the ops command reads (its `...EventDetails` as `details`). */
export const fromHistoryEvent = (event: HistoryEvent): ExecutionEvent => {
  const detailsKey = Object.keys(event).find((key) => key.endsWith('EventDetails'));
  return {
    id: event.id ?? 0,
    timestamp: event.timestamp ?? new Date(0),
    type: event.type ?? 'Unknown',
    details: detailsKey ? { ...(event[detailsKey as keyof HistoryEvent] as Record<string, unknown>) } : {},
  };
};

/** Every state machine of the account and region, in the order ListStateMachines gives them. */
const allStateMachines = async (client: SFNClient): Promise<StateMachineListItem[]> => {
  const machines: StateMachineListItem[] = [];
  for await (const page of paginateListStateMachines({ client }, {})) machines.push(...(page.stateMachines ?? []));
  return machines;
};

/** Each workflow's state machine ARN, found by the names both stacks give them. */
export const stateMachinesByWorkflow = async (client: SFNClient): Promise<Map<Workflow, string>> => {
  const found = new Map<Workflow, string>();
  for (const machine of await allStateMachines(client)) {
    const workflow = workflowOf(machine.name ?? '');
    if (workflow && machine.stateMachineArn && !found.has(workflow)) found.set(workflow, machine.stateMachineArn);
  }
  return found;
};

/** Every submission state machine (POST /payments's and POST /payments/batch's), by the names both stacks give them. */
export const submissionStateMachines = async (client: SFNClient): Promise<string[]> =>
  (await allStateMachines(client))
    .filter((machine) => workflowOf(machine.name ?? '') === 'submit' && machine.stateMachineArn)
    .map((machine) => machine.stateMachineArn ?? '');

const httpAnswerField = (httpStatus: number | undefined): { httpStatus?: number } =>
  httpStatus === undefined ? {} : { httpStatus };

/**
 * The Distributed Map runs of an execution, each with its child executions: AWS lists those under
 * the map run (ListExecutions by mapRunArn), never beside their parent; the local stack does the same.
 */
export const mapRunsOf = async (client: SFNClient, executionArn: string): Promise<MapRun[]> => {
  const runs: MapRun[] = [];
  for await (const page of paginateListMapRuns({ client }, { executionArn })) {
    for (const run of page.mapRuns ?? []) {
      const executions: ExecutionListing[] = [];
      for await (const children of paginateListExecutions({ client }, { mapRunArn: run.mapRunArn })) {
        executions.push(...(children.executions ?? []).map((item) => toListing(item, run.stateMachineArn ?? '')));
      }
      runs.push({
        mapRunArn: run.mapRunArn ?? '',
        startDate: run.startDate ?? new Date(0),
        ...(run.stopDate ? { stopDate: run.stopDate } : {}),
        executions,
      });
    }
  }
  return runs;
};

/** DescribeExecution and the whole GetExecutionHistory: what `execution` and `trace` show. */
export const describeWithHistory = async (client: SFNClient, executionArn: string): Promise<ExecutionDetail> => {
  let described;
  try {
    described = await client.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') {
      throw new ExecutionNotFoundError(`No execution ${executionArn}`, { cause: error });
    }
    throw error;
  }
  const events: ExecutionEvent[] = [];
  for await (const page of paginateGetExecutionHistory({ client, pageSize: 1000 }, { executionArn })) {
    events.push(...(page.events ?? []).map(fromHistoryEvent));
  }
  const input = parseJson(described.input);
  const stateMachineArn = described.stateMachineArn ?? '';
  const workflow = workflowOf(stateMachineArn);
  return {
    executionArn,
    stateMachineArn,
    ...(workflow ? { workflow } : {}),
    name: described.name ?? '',
    status: described.status ?? 'UNKNOWN',
    startDate: described.startDate ?? new Date(0),
    ...(described.stopDate ? { stopDate: described.stopDate } : {}),
    ...(workflow === 'submit' ? submissionIds(input) : {}),
    ...httpAnswerField(httpAnswerOf({ status: described.status ?? '', input, output: described.output })),
    ...(described.error ? { error: described.error } : {}),
    ...(described.cause ? { cause: described.cause } : {}),
    input,
    ...(described.output !== undefined ? { output: parseJson(described.output) } : {}),
    events,
  };
};

const toListing = (item: ExecutionListItem, stateMachineArn: string): ExecutionListing => {
  const workflow = workflowOf(item.stateMachineArn ?? stateMachineArn);
  return {
    executionArn: item.executionArn ?? '',
    stateMachineArn: item.stateMachineArn ?? stateMachineArn,
    ...(workflow ? { workflow } : {}),
    name: item.name ?? '',
    status: item.status ?? 'UNKNOWN',
    startDate: item.startDate ?? new Date(0),
    ...(item.stopDate ? { stopDate: item.stopDate } : {}),
  };
};

/** ListExecutions of one state machine, newest first, back to `since` (the API lists newest first). */
export const listExecutions = async (
  client: SFNClient,
  stateMachineArn: string,
  query: Pick<ExecutionQuery, 'status' | 'since'>,
): Promise<ExecutionListing[]> => {
  const listed: ExecutionListing[] = [];
  const request = { stateMachineArn, ...(query.status ? { statusFilter: query.status as never } : {}) };
  for await (const page of paginateListExecutions({ client, pageSize: 1000 }, request)) {
    for (const item of page.executions ?? []) {
      const listing = toListing(item, stateMachineArn);
      // Returning ends the paginator: no page past `since` is fetched.
      if (query.since && listing.startDate < query.since) return listed;
      listed.push(listing);
    }
  }
  return listed;
};

/**
 * The local stack: everything through its Step Functions API, and submissions by payment id
 * through its one extension, FindExecutions (docs/operations.md).
 */
export class LocalStackSource implements ExecutionSource {
  constructor(
    private readonly client: SFNClient,
    private readonly endpoint: string,
  ) {}

  async executions(query: ExecutionQuery): Promise<ExecutionListing[]> {
    // A workflow may be more than one state machine (submissions: SubmitPayment and SubmitPaymentBatch): filtered here.
    const listed: ExecutionListing[] = [];
    let nextToken: string | undefined;
    do {
      const page = (await this.findExecutions({
        ...(query.status ? { statusFilter: query.status } : {}),
        ...(query.paymentId ? { paymentId: query.paymentId } : {}),
        ...(query.since ? { since: query.since.getTime() / 1000 } : {}),
        ...(query.answer ? { answer: query.answer } : {}),
        maxResults: 1000,
        ...(nextToken ? { nextToken } : {}),
      })) as { executions: Array<Record<string, unknown>>; nextToken?: string };
      for (const item of page.executions) {
        const workflow = workflowOf(String(item.stateMachineArn));
        if (query.workflow && workflow !== query.workflow) continue;
        listed.push({
          executionArn: String(item.executionArn),
          stateMachineArn: String(item.stateMachineArn),
          ...(workflow ? { workflow } : {}),
          name: String(item.name),
          status: String(item.status),
          startDate: new Date(Number(item.startDate) * 1000),
          ...(item.stopDate !== undefined ? { stopDate: new Date(Number(item.stopDate) * 1000) } : {}),
          ...(typeof item.paymentId === 'string' ? { paymentId: item.paymentId } : {}),
          ...(Array.isArray(item.paymentIds) ? { paymentIds: item.paymentIds.map(String) } : {}),
          ...(typeof item.requestId === 'string' ? { requestId: item.requestId } : {}),
          ...(typeof item.error === 'string' ? { error: item.error } : {}),
          ...(typeof item.httpStatus === 'number' ? { httpStatus: item.httpStatus } : {}),
        });
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return listed;
  }

  execution(executionArn: string): Promise<ExecutionDetail> {
    return describeWithHistory(this.client, executionArn);
  }

  mapRuns(executionArn: string): Promise<MapRun[]> {
    return mapRunsOf(this.client, executionArn);
  }

  private async findExecutions(request: Record<string, unknown>): Promise<unknown> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'PaymentsTrackerLocal.FindExecutions' },
      body: JSON.stringify(request),
    });
    const body = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${String(body.__type)}: ${String(body.message)} (${this.endpoint})`);
    return body;
  }
}
