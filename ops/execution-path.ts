import type { ExecutionEvent } from '#ops/execution';

/** One state on an execution's path, with what it decided. */
export interface PathStep {
  state: string;
  /** Task, Choice, Pass, Map... */
  type: string;
  /** Times entered (more than one inside a Map, or when a loop comes back). */
  entered: number;
  /** From entered to exited (or to its failure, when it failed uncaught), summed over entries. */
  durationMs: number;
  /** What it decided: the next state(s), the error caught and where it went, the failure. */
  decision: string;
  retries: number;
  /** The last error the state raised (caught, retried or final). */
  error?: string;
  cause?: string;
}

const ENTERED = /^(\w+)StateEntered$/;
const EXITED = /^(\w+)StateExited$/;

type Tracked = PathStep & {
  next: Set<string>;
  caught: Map<string, Set<string>>;
  open: number[];
  /** When its last failure came, until retried or exited: an iteration failed uncaught never exits. */
  failedAt?: number;
};

/** What the walk through the history keeps between events. */
interface PathWalk {
  steps: Map<string, Tracked>;
  currentTask?: string;
  // The state that exited last, waiting to learn which state came next.
  exited?: { state: string; caughtError?: string };
  pendingFailure: Map<string, string>;
}

/** The state entered: the last exited state's decision (next, or where its caught error went), and one more entry. */
const onEntered = (walk: PathWalk, name: string, type: string, at: number): void => {
  if (walk.exited) {
    const from = walk.steps.get(walk.exited.state)!;
    if (walk.exited.caughtError) {
      const targets = from.caught.get(walk.exited.caughtError) ?? new Set<string>();
      from.caught.set(walk.exited.caughtError, targets.add(name));
    } else {
      from.next.add(name);
    }
    walk.exited = undefined;
  }
  const fresh: Tracked = {
    state: name,
    type,
    entered: 0,
    durationMs: 0,
    decision: '',
    retries: 0,
    next: new Set<string>(),
    caught: new Map<string, Set<string>>(),
    open: [],
  };
  const step = walk.steps.get(name) ?? fresh;
  walk.steps.set(name, step);
  step.entered += 1;
  step.open.push(at);
  if (step.type === 'Task') walk.currentTask = name;
};

const onExited = (walk: PathWalk, name: string, at: number): void => {
  const step = walk.steps.get(name);
  if (!step) return;
  const since = step.open.shift();
  if (since !== undefined) step.durationMs += at - since;
  step.failedAt = undefined;
  const failure = walk.pendingFailure.get(name);
  walk.pendingFailure.delete(name);
  walk.exited = { state: name, ...(failure ? { caughtError: failure } : {}) };
};

/** A task's failure, its retry (scheduled again after a failure), or the execution's end. */
const onOtherEvent = (walk: PathWalk, event: ExecutionEvent): void => {
  const task = walk.currentTask ? walk.steps.get(walk.currentTask) : undefined;
  switch (event.type) {
    case 'LambdaFunctionFailed':
    case 'TaskFailed':
    case 'LambdaFunctionTimedOut':
    case 'TaskTimedOut':
      if (task) {
        task.error = String(event.details.error ?? event.type);
        if (typeof event.details.cause === 'string') task.cause = event.details.cause;
        walk.pendingFailure.set(task.state, task.error);
        task.failedAt = event.timestamp.getTime();
      }
      break;
    case 'LambdaFunctionScheduled':
    case 'TaskScheduled':
      if (task && walk.pendingFailure.has(task.state)) {
        task.retries += 1;
        walk.pendingFailure.delete(task.state);
        task.failedAt = undefined;
      }
      break;
    case 'ExecutionSucceeded':
    case 'ExecutionFailed':
    case 'ExecutionTimedOut':
    case 'ExecutionAborted':
      onExecutionEnd(walk, event.timestamp.getTime());
      break;
    default:
      break;
  }
};

/**
 * The states still open end here, or at their failure if they failed since entered (a Map iteration failed uncaught,
 * whether or not the Map's Catch let the execution go on); a state failed and still open failed for good.
 */
const onExecutionEnd = (walk: PathWalk, at: number): void => {
  for (const step of walk.steps.values()) {
    const failure = walk.pendingFailure.get(step.state);
    if (step.open.length > 0 && failure !== undefined) step.decision = `failed: ${failure}`;
    for (const since of step.open.splice(0)) {
      step.durationMs += (step.failedAt !== undefined && step.failedAt >= since ? step.failedAt : at) - since;
    }
  }
};

const toPathStep = ({ next, caught, open: _open, failedAt: _failedAt, ...step }: Tracked): PathStep => {
  const parts: string[] = [];
  if (next.size > 0) parts.push(`-> ${[...next].join(', ')}`);
  for (const [error, targets] of caught) parts.push(`caught ${error} -> ${[...targets].join(', ')}`);
  if (step.retries > 0) parts.push(`retried ${step.retries}x`);
  const decision = [step.decision, ...parts].filter((part) => part !== '').join('; ');
  return { ...step, decision: decision || 'end' };
};

/**
 * The path through the states, from a Step Functions history: each state once, in the order first
 * entered, with its decision. A Choice's decision is the state entered next; a Task that failed and
 * went on was caught (`caught PaymentConflict -> Conflict`); a Task failed again after a failure was
 * retried. Inside a Map, iterations interleave: their states are summed, and their next states listed.
 */
export const executionPath = (events: readonly ExecutionEvent[]): PathStep[] => {
  const walk: PathWalk = { steps: new Map(), pendingFailure: new Map() };
  for (const event of events) {
    const name = typeof event.details.name === 'string' ? event.details.name : undefined;
    const entered = ENTERED.exec(event.type);
    if (entered && name) onEntered(walk, name, entered[1]!, event.timestamp.getTime());
    else if (EXITED.test(event.type) && name) onExited(walk, name, event.timestamp.getTime());
    else onOtherEvent(walk, event);
  }
  return [...walk.steps.values()].map(toPathStep);
};
