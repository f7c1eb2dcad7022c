/**
 * One execution as the ops command reads it, whichever source it came from (the Step Functions
 * API, locally or in AWS, or an Express execution's CloudWatch log events): the same fields, and
 * its history as events of one shape.
 */
export interface ExecutionEvent {
  id: number;
  timestamp: Date;
  /** A Step Functions history event type: TaskStateEntered, LambdaFunctionFailed, ... */
  type: string;
  /** The event's details: name, input, output, error, cause, resource... */
  details: Record<string, unknown>;
}

export type Workflow = 'submit' | 'report';

export interface ExecutionListing {
  executionArn: string;
  stateMachineArn: string;
  workflow?: Workflow;
  name: string;
  status: string;
  startDate: Date;
  stopDate?: Date;
  paymentId?: string;
  /** A batch's payment ids (POST /payments/batch). */
  paymentIds?: string[];
  requestId?: string;
  error?: string;
  /** A submission's HTTP answer (its execution SUCCEEDS also when it answers 400, 403 or 409). */
  httpStatus?: number;
}

export interface ExecutionDetail extends ExecutionListing {
  input: unknown;
  output?: unknown;
  cause?: string;
  events: ExecutionEvent[];
}

export interface ExecutionQuery {
  workflow?: Workflow;
  status?: string;
  since?: Date;
  paymentId?: string;
  /** Submissions whose HTTP answer passes this filter (`4xx`, `409`: see parseAnswerFilter). */
  answer?: string;
}

/** One run of a Distributed Map of an execution, with its child executions (newest first). */
export interface MapRun {
  mapRunArn: string;
  startDate: Date;
  stopDate?: Date;
  executions: ExecutionListing[];
}

/** Where the ops command finds executions: the local stack, or AWS. */
export interface ExecutionSource {
  /** Newest first. */
  executions(query: ExecutionQuery): Promise<ExecutionListing[]>;
  /** Throws ExecutionNotFoundError when there is none. */
  execution(executionArn: string): Promise<ExecutionDetail>;
  /** The Distributed Map runs of an execution and their child executions (ListMapRuns, ListExecutions by mapRunArn). */
  mapRuns(executionArn: string): Promise<MapRun[]>;
}

export class ExecutionNotFoundError extends Error {
  override readonly name = 'ExecutionNotFound';
}

/** Parses a JSON text leniently: execution inputs and outputs are JSON, but a log may cut them short. */
export const parseJson = (text: unknown): unknown => {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** The workflow a state machine ARN (or name) belongs to, by the names both stacks give them. */
export const workflowOf = (stateMachineArn: string): Workflow | undefined =>
  /SubmitPayment/.test(stateMachineArn) ? 'submit' : /MonthlyReport/.test(stateMachineArn) ? 'report' : undefined;
