import { randomUUID } from 'node:crypto';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  type RecordedEvent,
  StateMachine,
} from '#local/step-functions/interpreter';
import type { ExecutionRecord, ExecutionStore } from '#local/step-functions/execution-store';
// A stop asked for through StopExecution: recorded as the ABORTED execution's error and cause.
import { type ConcurrencyLimit, concurrencyLimit } from '#devtools/concurrency-limit';
import type { StopReason } from '#local/step-functions/stop-requests';
import type { FunctionDefinition } from '#contract/functions';
import { type AslDefinition, type AslState, allStates, substituteDefinition } from '#local/step-functions/asl';
import { type CheckedDefinitions, checkedDefinitions } from '#local/step-functions/checked-definitions';
import { workflowDefinitionText } from '#contract/workflow-definition';
import type { WorkflowDefinition } from '#contract/workflows';
import {
  type LambdaHandler,
  type LocalFunction,
  bindLocalFunction,
  loadHandler,
  loadedOnFirstCall,
} from '#local/lambda/lambda-runtime';

export interface LocalWorkflowOptions {
  /** The contract's workflow: its name, type and ASL (its functions are the bound ones below). */
  workflow: Omit<WorkflowDefinition, 'functions'>;
  functions: readonly LocalFunction[];
  /** Tests set 0 so Retry does not wait; the running stack keeps the ASL's own backoff. */
  retryIntervalMs?: number;
  region?: string;
  accountId?: string;
  /** Where every execution is recorded (RUNNING when it starts, then its end); none when absent. */
  store?: ExecutionStore;
  /** Told of every execution's end, child executions of a Distributed Map included (the report benchmark counts their events). */
  onExecutionEnded?: (record: ExecutionRecord) => void;
  /** The definition itself instead of the workflow's file: a Distributed Map's item processor. */
  definition?: AslDefinition;
  /** Child executions of one map run running at once in this process (LOCAL_CHILD_EXECUTIONS_AT_ONCE by default). */
  maxConcurrentChildExecutions?: number;
  /** Definitions that passed the interpreter's check before (default: kept in node_modules/.cache). */
  checkedDefinitions?: CheckedDefinitions;
}

/** The interpreter's check of a definition: ARNs and JSONPaths included. */
const ASL_CHECKS = { checkArn: true, checkPaths: true };
const CHECKED_DEFINITIONS = checkedDefinitions(JSON.stringify(ASL_CHECKS));

/**
 * In AWS each of a Distributed Map's children runs its Lambdas in sandboxes of their own; locally
 * one process runs them all, and each running child holds a BuildReports batch (about 190 users'
 * previous and new 24-month reports, 25 to 35 MiB). On a 10K month 16 at once peaked at 502 MiB,
 * 8 at 393 and 6 at 327 (issue 20's bound: 400), and DynamoDB Local, CPU-bound on two cores, served
 * 6 no slower than 16 (decision 0022). The others wait their turn: the histories are the same, only when each
 * child starts differs (docs/performance.md has the figures).
 */
export const LOCAL_CHILD_EXECUTIONS_AT_ONCE = 6;

export type WorkflowWithHandlersOptions = Omit<LocalWorkflowOptions, 'workflow' | 'functions'> & {
  /** Wraps a function's real handler (fault injection, counting); each one is used as it is otherwise. */
  wrap?: (definition: FunctionDefinition, handler: LambdaHandler) => LambdaHandler;
  /** LOCAL_LAMBDA_TIMEOUT_SECONDS: caps the timeout each function's context reports. */
  functionTimeoutCapSeconds?: number;
  /**
   * Each function's module loaded at its first call, as Lambda does (the local stack: it starts sooner, and never
   * loads what nobody calls). Otherwise all at once, here: a test's settings are then read when it has set them.
   */
  loadOnFirstCall?: boolean;
};

/** An execution started and not awaited (StartExecution semantics). */
export interface StartedExecution {
  executionArn: string;
  startDate: string;
  /** Its record once it has ended (also when stopped). */
  done: Promise<ExecutionRecord>;
}

/** A Standard execution's longest life (one year): the bound of a child without a timeout of its own. */
const CHILD_EXECUTION_MAX_SECONDS = 31_536_000;

/** What a Distributed Map's runner Task receives for one item (see LocalWorkflow.withChildExecutions). */
interface ChildExecutionInput {
  parentExecutionArn: string;
  index: number;
  item: unknown;
}

/** The Task state that stands, in the definition run here, for one iteration of a Distributed Map (one child execution). */
const childRunnerState = (mapState: string): string => `${mapState}.ChildExecution`;

const localFunctionArn = (definition: FunctionDefinition, region: string, accountId: string): string =>
  `arn:aws:lambda:${region}:${accountId}:function:payments-tracker-local-${definition.name}`;

/** What every record of one execution carries, from its start on. */
type ExecutionStart = Pick<
  ExecutionRecord,
  'executionArn' | 'stateMachineArn' | 'name' | 'startDate' | 'input' | 'parentExecutionArn'
>;

type InterpreterExecution = ReturnType<StateMachine['run']>;

/** How an execution that did not succeed ended, from the interpreter's error; an unexpected error is rethrown. */
const failedOutcome = (error: unknown, stopReason: StopReason): Pick<ExecutionRecord, 'status' | 'error' | 'cause'> => {
  if (error instanceof ExecutionTimeoutError)
    return { status: 'TIMED_OUT', error: 'States.Timeout', cause: error.message };
  if (error instanceof ExecutionAbortedError) return { status: 'ABORTED', ...stopReason };
  if (error instanceof ExecutionError && error.cause instanceof Error)
    return { status: 'FAILED', error: error.cause.name, cause: error.cause.message };
  throw error;
};

/** A map declaring any tolerance tolerates every failure locally (exact for the 100 % our ASL declares). */
const toleratesFailures = (state: AslState): boolean =>
  Number(state.ToleratedFailurePercentage ?? 0) > 0 || Number(state.ToleratedFailureCount ?? 0) > 0;

/**
 * Runs each map run's children at most `limit` at once. Per map run, as MaxConcurrency is in AWS:
 * one run's children never wait for another's.
 */
const mapRunSlots = (limit: number) => {
  const slotsByRun = new Map<string, { limit: ConcurrencyLimit; children: number }>();
  return async <T>(parentExecutionArn: string, task: () => Promise<T>): Promise<T> => {
    const run = slotsByRun.get(parentExecutionArn) ?? { limit: concurrencyLimit(limit), children: 0 };
    slotsByRun.set(parentExecutionArn, run);
    run.children += 1;
    try {
      return await run.limit(task);
    } finally {
      run.children -= 1;
      if (run.children === 0) slotsByRun.delete(parentExecutionArn);
    }
  };
};

/** What the runner Task answers for a child: its output, its failure as data when tolerated, else its error thrown. */
const childOutcome = (record: ExecutionRecord, tolerated: boolean): unknown => {
  if (record.status === 'SUCCEEDED') return record.output;
  if (tolerated)
    return { Error: record.error ?? 'States.TaskFailed', Cause: record.cause, ExecutionArn: record.executionArn };
  throw Object.assign(new Error(record.cause ?? record.status), { name: record.error ?? 'States.TaskFailed' });
};

/** The Distributed Map state as the interpreter runs it: inline, its processor the one Task that runs a child. */
const inlineRunnerMap = (state: AslState, runnerState: string, resource: string, timeoutSeconds: number): AslState => {
  const {
    Label: _label,
    ToleratedFailurePercentage: _percentage,
    ToleratedFailureCount: _count,
    ItemSelector,
    ...inline
  } = state;
  return {
    ...inline,
    // The child's own input, with what the runner needs to name it and link it to this execution.
    ItemSelector: {
      'parentExecutionArn.$': '$$.Execution.Id',
      'index.$': '$$.Map.Item.Index',
      ...(ItemSelector === undefined ? { 'item.$': '$$.Map.Item.Value' } : { item: ItemSelector }),
    },
    ItemProcessor: {
      ProcessorConfig: { Mode: 'INLINE' },
      StartAt: runnerState,
      // A child runs as long as its own definition lets it: the interpreter's 60 s default for a
      // Task would cut off any shard that takes longer.
      States: { [runnerState]: { Type: 'Task', Resource: resource, TimeoutSeconds: timeoutSeconds, End: true } },
    },
  };
};

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
  private readonly running = new Map<
    string,
    {
      abort: (reason: StopReason) => void;
      done: Promise<ExecutionRecord>;
      input: unknown;
      startDate: string;
      parentExecutionArn?: string;
    }
  >();
  /** Each Distributed Map state of the definition, with the child workflow its items run as. */
  private readonly distributedMaps = new Map<string, LocalWorkflow>();
  /** The Task states that run a Distributed Map's children: the interpreter's, not AWS's. */
  private readonly childRunnerStates: ReadonlySet<string>;

  constructor(private readonly options: LocalWorkflowOptions) {
    const region = options.region ?? 'local';
    const accountId = options.accountId ?? '000000000000';
    this.stateMachineArn = `arn:aws:states:${region}:${accountId}:stateMachine:${options.workflow.name}`;
    const arnByPlaceholder = Object.fromEntries(
      options.functions.map((fn) => [fn.definition.arnPlaceholder, localFunctionArn(fn.definition, region, accountId)]),
    );
    const substituted =
      options.definition ??
      (JSON.parse(substituteDefinition(workflowDefinitionText(options.workflow), arnByPlaceholder)) as AslDefinition);
    const { definition, childRunners } = this.withChildExecutions(substituted);
    this.definition = definition;
    this.childRunnerStates = new Set(childRunners.keys());

    const functionByArn = new Map(
      options.functions.map((fn) => [localFunctionArn(fn.definition, region, accountId), fn] as const),
    );
    const taskStates = allStates(this.definition).filter(
      ([name, state]) => state.Type === 'Task' && !childRunners.has(name),
    );
    this.taskHandlers = {
      ...Object.fromEntries(
        taskStates.map(([stateName, state]) => {
          const fn = functionByArn.get(state.Resource ?? '');
          if (!fn) throw new Error(`Task state ${stateName} has no local function for ${state.Resource}`);
          return [stateName, (input: unknown) => fn.invoke(input) as Promise<never>];
        }),
      ),
      ...Object.fromEntries(
        [...childRunners].map(([stateName, run]) => [stateName, run as (input: unknown) => Promise<never>]),
      ),
    };
    this.retryIntervalOverrides =
      options.retryIntervalMs === undefined
        ? undefined
        : Object.fromEntries(
            allStates(this.definition)
              .filter(([, state]) => Array.isArray(state.Retry))
              .map(([stateName]) => [stateName, options.retryIntervalMs as number]),
          );
    const verdict = (options.checkedDefinitions ?? CHECKED_DEFINITIONS).verdictOf(this.definition);
    this.stateMachine = new StateMachine(this.definition as never, {
      validationOptions: verdict.passedBefore ? { noValidate: true } : ASL_CHECKS,
    });
    if (!verdict.passedBefore) verdict.remember();
  }

  get name(): string {
    return this.options.workflow.name;
  }

  get type(): 'EXPRESS' | 'STANDARD' {
    return this.options.workflow.type;
  }

  /** Each Distributed Map: its state, the state standing for one iteration in `definition`, and the workflow of its children. */
  get distributedMapChildren(): Array<{ mapState: string; iterationState: string; workflow: LocalWorkflow }> {
    return [...this.distributedMaps].map(([mapState, workflow]) => ({
      mapState,
      iterationState: childRunnerState(mapState),
      workflow,
    }));
  }

  /** Runs one execution to its end (StartSyncExecution semantics) and returns its record. */
  run(name: string, input: unknown): Promise<ExecutionRecord> {
    return this.start(name, input).done;
  }

  /**
   * The definition the interpreter runs. A Distributed Map, which the interpreter would run inline
   * with every iteration in the parent's log, runs each item as a child execution instead, as AWS
   * does: its item processor becomes a child LocalWorkflow (recorded as its own execution, with its
   * own history), and the map's processor here a single Task state that starts that child and answers
   * its output. The map's ItemsPath, ItemSelector, MaxConcurrency and ResultPath stay the
   * interpreter's. Failed children are tolerated when the map declares a tolerance (locally every
   * failure is then tolerated: exact for 100 %, which is what our ASL declares).
   */
  private withChildExecutions(definition: AslDefinition): {
    definition: AslDefinition;
    childRunners: Map<string, (input: unknown) => Promise<unknown>>;
  } {
    const childRunners = new Map<string, (input: unknown) => Promise<unknown>>();
    const transform = (machine: AslDefinition): AslDefinition => ({
      ...machine,
      States: Object.fromEntries(
        Object.entries(machine.States).map(([name, state]) => {
          const processor = state.ItemProcessor as
            (AslDefinition & { ProcessorConfig?: { Mode?: string; ExecutionType?: string } }) | undefined;
          if (state.Type !== 'Map' || processor?.ProcessorConfig?.Mode !== 'DISTRIBUTED') {
            return [name, processor ? { ...state, ItemProcessor: transform(processor) } : state];
          }
          const { ProcessorConfig, ...childDefinition } = processor;
          const child = this.childWorkflow(name, state, ProcessorConfig.ExecutionType, childDefinition);
          const runnerState = childRunnerState(name);
          childRunners.set(runnerState, this.childRunner(child, toleratesFailures(state)));
          const timeoutSeconds = Number(
            childDefinition.TimeoutSeconds ?? definition.TimeoutSeconds ?? CHILD_EXECUTION_MAX_SECONDS,
          );
          const resource = `${this.stateMachineArn}:${runnerState}`;
          return [name, inlineRunnerMap(state, runnerState, resource, timeoutSeconds)];
        }),
      ),
    });
    return { definition: transform(definition), childRunners };
  }

  /** The workflow a Distributed Map's items run as, named after the map's label (its state name without one). */
  private childWorkflow(
    mapState: string,
    state: AslState,
    executionType: string | undefined,
    childDefinition: AslDefinition,
  ): LocalWorkflow {
    const label = typeof state.Label === 'string' ? state.Label : mapState;
    const child = new LocalWorkflow({
      ...this.options,
      workflow: {
        ...this.options.workflow,
        name: `${this.options.workflow.name}/${label}`,
        type: executionType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
      },
      definition: childDefinition,
    });
    this.distributedMaps.set(mapState, child);
    return child;
  }

  /** The runner Task's handler: starts one item's child execution when its map run has a slot, and answers its outcome. */
  private childRunner(child: LocalWorkflow, tolerated: boolean): (input: unknown) => Promise<unknown> {
    const slots = mapRunSlots(this.options.maxConcurrentChildExecutions ?? LOCAL_CHILD_EXECUTIONS_AT_ONCE);
    return async (input) => {
      const { parentExecutionArn, index, item } = input as ChildExecutionInput;
      const parentName = parentExecutionArn.slice(parentExecutionArn.lastIndexOf(':') + 1);
      const record = await slots(parentExecutionArn, () => {
        // A child still waiting for its turn when the parent was stopped never starts.
        if (!this.running.has(parentExecutionArn))
          throw Object.assign(new Error('The parent execution was stopped'), { name: 'States.Runtime' });
        return child.start(`${parentName}-${index}`.slice(-80), item, parentExecutionArn).done;
      });
      return childOutcome(record, tolerated);
    };
  }

  /**
   * Keeps an interpreter event in the execution's log, as AWS would record it: a Distributed
   * Map's iterations (and the Task that runs each child) are not the parent's events; its map run
   * starting and ending are.
   */
  private recordEvent(events: RecordedEvent[], event: RecordedEvent, executionArn: string): void {
    if (
      'parentState' in event &&
      event.type.startsWith('MapIteration') &&
      this.distributedMaps.has(event.parentState.name)
    )
      return;
    if ('state' in event && this.childRunnerStates.has(event.state.name)) return;
    const mapState =
      'state' in event && event.state.type === 'Map' && this.distributedMaps.has(event.state.name)
        ? event.state.name
        : undefined;
    const mapRun = (type: 'MapRunStarted' | 'MapRunSucceeded' | 'MapRunFailed'): RecordedEvent => ({
      type,
      timestamp: event.timestamp,
      parentState: { name: mapState!, type: 'Map' },
      mapRunArn: `${this.distributedMaps.get(mapState!)!.stateMachineArn.replace(':stateMachine:', ':mapRun:')}:${executionArn.slice(executionArn.lastIndexOf(':') + 1)}`,
    });
    if (mapState && (event.type === 'StateExited' || event.type === 'StateFailed'))
      events.push(mapRun(event.type === 'StateExited' ? 'MapRunSucceeded' : 'MapRunFailed'));
    events.push(event);
    if (mapState && event.type === 'StateEntered') events.push(mapRun('MapRunStarted'));
  }

  /** Starts one execution and returns at once; `done` settles with its record. */
  start(name: string, input: unknown, parentExecutionArn?: string): StartedExecution {
    const started = new Date();
    const executionArn = this.executionArn(name);
    const execution = this.runInterpreter(name, input, executionArn, started);
    const events: RecordedEvent[] = [];
    const collecting = (async () => {
      for await (const event of execution.eventLogs) this.recordEvent(events, event, executionArn);
    })();
    const base: ExecutionStart = {
      executionArn,
      stateMachineArn: this.stateMachineArn,
      name,
      startDate: started.toISOString(),
      input,
      ...(parentExecutionArn ? { parentExecutionArn } : {}),
    };
    this.record({ ...base, status: 'RUNNING', events });
    let stopReason: StopReason = {};
    const abort = (reason: StopReason): void => {
      stopReason = reason;
      execution.abort();
    };
    const done = this.finish(execution, base, events, collecting, () => stopReason);
    this.running.set(executionArn, {
      abort,
      done,
      input,
      startDate: base.startDate,
      ...(parentExecutionArn ? { parentExecutionArn } : {}),
    });
    return { executionArn, startDate: base.startDate, done };
  }

  /** The interpreter's run of one execution, with its context as AWS gives it. */
  private runInterpreter(name: string, input: unknown, executionArn: string, started: Date): InterpreterExecution {
    return this.stateMachine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: this.taskHandlers as never,
        ...(this.retryIntervalOverrides ? { retryIntervalOverrides: this.retryIntervalOverrides } : {}),
      },
      context: {
        Execution: { Id: executionArn, Name: name, StartTime: started.toISOString(), Input: input },
        StateMachine: { Id: this.stateMachineArn, Name: this.options.workflow.name },
      } as never,
    });
  }

  /** Waits for an execution's end and its last events, records it ended and tells onExecutionEnded. */
  private async finish(
    execution: InterpreterExecution,
    base: ExecutionStart,
    events: RecordedEvent[],
    collecting: Promise<void>,
    stopReason: () => StopReason,
  ): Promise<ExecutionRecord> {
    let record: ExecutionRecord;
    try {
      const output = await execution.result;
      record = { ...base, status: 'SUCCEEDED', output, events };
    } catch (error) {
      record = { ...base, ...failedOutcome(error, stopReason()), events };
    } finally {
      this.running.delete(base.executionArn);
    }
    await collecting;
    const ended = { ...record, stopDate: new Date().toISOString() };
    this.record(ended);
    this.options.onExecutionEnded?.(ended);
    return ended;
  }

  /**
   * As `start`, once the store holds the execution as RUNNING on disk: another process (the stack's
   * API, a run's StartReportRun asking about it) finds it from its first step on, even if this
   * process is killed the next instant. A Standard execution's ARN is known before it starts.
   */
  async startRecorded(name: string, input: unknown): Promise<StartedExecution> {
    await this.options.store?.save({
      executionArn: this.executionArn(name),
      stateMachineArn: this.stateMachineArn,
      name,
      status: 'RUNNING',
      startDate: new Date().toISOString(),
      input,
      events: [],
    });
    return this.start(name, input);
  }

  /**
   * A new execution's ARN: a Standard one is its name's (unique per state machine, as in AWS);
   * an Express one adds a unique id, as AWS does, since Express names may repeat.
   */
  executionArn(name: string): string {
    return this.options.workflow.type === 'EXPRESS'
      ? `${this.stateMachineArn.replace(':stateMachine:', ':express:')}:${name}:${randomUUID()}`
      : `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  isRunning(executionArn: string): boolean {
    return this.running.has(executionArn);
  }

  /** A running execution's input and start, from memory: what StartExecution compares an idempotent start with. */
  runningExecution(executionArn: string): { input: unknown; startDate: string } | undefined {
    const running = this.running.get(executionArn);
    return running ? { input: running.input, startDate: running.startDate } : undefined;
  }

  /** Aborts a running execution (StopExecution); its ABORTED record, or undefined when it is not running here. */
  stop(executionArn: string, reason: StopReason = {}): Promise<ExecutionRecord> | undefined {
    const running = this.running.get(executionArn);
    if (!running) return undefined;
    running.abort(reason);
    // As in AWS, stopping an execution stops the child executions its Distributed Maps started.
    for (const child of this.distributedMaps.values()) child.stopChildrenOf(executionArn, reason);
    return running.done;
  }

  private stopChildrenOf(parentExecutionArn: string, reason: StopReason): void {
    for (const [executionArn, running] of this.running) {
      if (running.parentExecutionArn === parentExecutionArn) void this.stop(executionArn, reason);
    }
  }

  private record(record: ExecutionRecord): void {
    // The store has it in memory at once; a failed disk write is reported by its flush, not here.
    this.options.store?.save(record).catch(() => undefined);
  }
}

/** A contract workflow run locally with each function's real handler. */
export const workflowWithHandlers = (
  workflow: WorkflowDefinition,
  { wrap, functionTimeoutCapSeconds, loadOnFirstCall, ...options }: WorkflowWithHandlersOptions = {},
): LocalWorkflow =>
  new LocalWorkflow({
    workflow,
    functions: workflow.functions.map((definition) => {
      const handler = loadOnFirstCall ? loadedOnFirstCall(definition) : loadHandler(definition);
      return bindLocalFunction(definition, wrap ? wrap(definition, handler) : handler, {
        timeoutCapSeconds: functionTimeoutCapSeconds,
      });
    }),
    ...options,
  });
