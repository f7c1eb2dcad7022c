import { randomUUID } from 'node:crypto';
import { type EventLog, ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, StateMachine } from '#local/interpreter';
import type { ExecutionStore } from '#local/execution-store';
import type { FunctionDefinition } from '#contract/functions';
import { type AslDefinition, allStates, readDefinitionText, substituteDefinition } from '#local/asl';
import { type LambdaHandler, type LocalFunction, bindLocalFunction, loadHandler } from '#local/lambda-runtime';

export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const isExecutionStatus = (value: unknown): value is ExecutionStatus =>
  EXECUTION_STATUSES.some((status) => status === value);

/** One execution as the Step Functions API describes it, plus its per-state event log. */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  input: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  events: EventLog[];
}

export interface LocalWorkflowOptions {
  name: string;
  type: 'EXPRESS' | 'STANDARD';
  definitionFile: string;
  functions: readonly LocalFunction[];
  /** Tests set 0 so Retry does not wait; the running stack keeps the ASL's own backoff. */
  retryIntervalMs?: number;
  region?: string;
  accountId?: string;
  /** Where every execution is recorded (RUNNING when it starts, then its end); none when absent. */
  store?: ExecutionStore;
}

/** A workflow of the contract (SUBMIT_PAYMENT_WORKFLOW, MONTHLY_REPORT_WORKFLOW): its ASL and its functions. */
export interface WorkflowContract {
  name: string;
  type: 'EXPRESS' | 'STANDARD';
  definitionFile: string;
  functions: readonly FunctionDefinition[];
}

export type WorkflowWithHandlersOptions = Omit<LocalWorkflowOptions, 'name' | 'type' | 'definitionFile' | 'functions'> & {
  /** Wraps a function's real handler (fault injection, counting); each one is used as it is otherwise. */
  wrap?: (definition: FunctionDefinition, handler: LambdaHandler) => LambdaHandler;
};

/** An execution started and not awaited (StartExecution semantics). */
export interface StartedExecution {
  executionArn: string;
  startDate: string;
  /** Its record once it has ended (also when stopped). */
  done: Promise<ExecutionRecord>;
}

/** A stop asked for through StopExecution: recorded as the ABORTED execution's error and cause. */
interface StopReason {
  error?: string;
  cause?: string;
}

const localFunctionArn = (definition: FunctionDefinition, region: string, accountId: string): string =>
  `arn:aws:lambda:${region}:${accountId}:function:payments-tracker-local-${definition.name}`;

/**
 * A state machine run in process by aws-local-stepfunctions from the same ASL file CDK deploys.
 * Task states call the bound handler modules instead of Lambda.
 */
export class LocalWorkflow {
  readonly stateMachineArn: string;
  readonly definition: AslDefinition;
  private readonly stateMachine: StateMachine;
  private readonly taskHandlers: Record<string, (input: unknown) => Promise<never>>;
  private readonly retryIntervalOverrides: Record<string, number> | undefined;
  private readonly running = new Map<string, { abort: (reason: StopReason) => void; done: Promise<ExecutionRecord> }>();

  constructor(private readonly options: LocalWorkflowOptions) {
    const region = options.region ?? 'local';
    const accountId = options.accountId ?? '000000000000';
    this.stateMachineArn = `arn:aws:states:${region}:${accountId}:stateMachine:${options.name}`;
    const arnByPlaceholder = Object.fromEntries(
      options.functions.map((fn) => [fn.definition.arnPlaceholder, localFunctionArn(fn.definition, region, accountId)]),
    );
    this.definition = JSON.parse(
      substituteDefinition(readDefinitionText(options.definitionFile), arnByPlaceholder),
    ) as AslDefinition;

    const functionByArn = new Map(
      options.functions.map((fn) => [localFunctionArn(fn.definition, region, accountId), fn] as const),
    );
    const taskStates = allStates(this.definition).filter(([, state]) => state.Type === 'Task');
    this.taskHandlers = Object.fromEntries(
      taskStates.map(([stateName, state]) => {
        const fn = functionByArn.get(state.Resource ?? '');
        if (!fn) throw new Error(`Task state ${stateName} has no local function for ${state.Resource}`);
        return [stateName, (input: unknown) => fn.invoke(input) as Promise<never>];
      }),
    );
    this.retryIntervalOverrides =
      options.retryIntervalMs === undefined
        ? undefined
        : Object.fromEntries(
            allStates(this.definition)
              .filter(([, state]) => Array.isArray(state.Retry))
              .map(([stateName]) => [stateName, options.retryIntervalMs as number]),
          );
    this.stateMachine = new StateMachine(this.definition as never, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
  }

  get name(): string {
    return this.options.name;
  }

  get type(): 'EXPRESS' | 'STANDARD' {
    return this.options.type;
  }

  /** Runs one execution to its end (StartSyncExecution semantics) and returns its record. */
  run(name: string, input: unknown): Promise<ExecutionRecord> {
    return this.start(name, input).done;
  }

  /** Starts one execution and returns at once; `done` settles with its record. */
  start(name: string, input: unknown): StartedExecution {
    const started = new Date();
    const executionArn = this.executionArn(name);
    const execution = this.stateMachine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: this.taskHandlers as never,
        ...(this.retryIntervalOverrides ? { retryIntervalOverrides: this.retryIntervalOverrides } : {}),
      },
      context: {
        Execution: { Id: executionArn, Name: name, StartTime: started.toISOString(), Input: input },
        StateMachine: { Id: this.stateMachineArn, Name: this.options.name },
      } as never,
    });
    const events: EventLog[] = [];
    const collecting = (async () => {
      for await (const event of execution.eventLogs) events.push(event);
    })();
    const base = { executionArn, stateMachineArn: this.stateMachineArn, name, startDate: started.toISOString(), input };
    this.record({ ...base, status: 'RUNNING', events });
    let stopReason: StopReason = {};
    const abort = (reason: StopReason): void => {
      stopReason = reason;
      execution.abort();
    };

    const finish = async (): Promise<ExecutionRecord> => {
      let record: ExecutionRecord;
      try {
        const output = await execution.result;
        record = { ...base, status: 'SUCCEEDED', output, events };
      } catch (error) {
        if (error instanceof ExecutionTimeoutError) {
          record = { ...base, status: 'TIMED_OUT', error: 'States.Timeout', cause: error.message, events };
        } else if (error instanceof ExecutionAbortedError) {
          record = { ...base, status: 'ABORTED', ...stopReason, events };
        } else if (error instanceof ExecutionError && error.cause instanceof Error) {
          record = { ...base, status: 'FAILED', error: error.cause.name, cause: error.cause.message, events };
        } else {
          throw error;
        }
      } finally {
        this.running.delete(executionArn);
      }
      await collecting;
      const ended = { ...record, stopDate: new Date().toISOString() };
      this.record(ended);
      return ended;
    };
    const done = finish();
    this.running.set(executionArn, { abort, done });
    return { executionArn, startDate: base.startDate, done };
  }

  /**
   * A new execution's ARN: a Standard one is its name's (unique per state machine, as in AWS);
   * an Express one adds a unique id, as AWS does, since Express names may repeat.
   */
  executionArn(name: string): string {
    return this.options.type === 'EXPRESS'
      ? `${this.stateMachineArn.replace(':stateMachine:', ':express:')}:${name}:${randomUUID()}`
      : `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  isRunning(executionArn: string): boolean {
    return this.running.has(executionArn);
  }

  /** Aborts a running execution (StopExecution); its ABORTED record, or undefined when it is not running here. */
  stop(executionArn: string, reason: StopReason = {}): Promise<ExecutionRecord> | undefined {
    const running = this.running.get(executionArn);
    if (!running) return undefined;
    running.abort(reason);
    return running.done;
  }

  private record(record: ExecutionRecord): void {
    // The store has it in memory at once; a failed disk write is reported by its flush, not here.
    this.options.store?.save(record).catch(() => undefined);
  }
}

/** A contract workflow run locally with each function's real handler. */
export const workflowWithHandlers = (workflow: WorkflowContract, { wrap, ...options }: WorkflowWithHandlersOptions = {}): LocalWorkflow =>
  new LocalWorkflow({
    name: workflow.name,
    type: workflow.type,
    definitionFile: workflow.definitionFile,
    functions: workflow.functions.map((definition) => {
      const handler = loadHandler(definition);
      return bindLocalFunction(definition, wrap ? wrap(definition, handler) : handler);
    }),
    ...options,
  });
