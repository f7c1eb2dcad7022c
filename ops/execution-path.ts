import type { ExecutionEvent } from '#ops/execution';

/** One state on an execution's path, with what it decided. */
export interface PathStep {
  state: string;
  /** Task, Choice, Pass, Map... */
  type: string;
  /** Times entered (more than one inside a Map, or when a loop comes back). */
  entered: number;
  /** From entered to exited (or to the failure that ended the execution), summed over entries. */
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

/**
 * The path through the states, from a Step Functions history: each state once, in the order first
 * entered, with its decision. A Choice's decision is the state entered next; a Task that failed and
 * went on was caught (`caught PaymentConflict -> Conflict`); a Task failed again after a failure was
 * retried. Inside a Map, iterations interleave: their states are summed, and their next states listed.
 */
export const executionPath = (events: readonly ExecutionEvent[]): PathStep[] => {
  type Tracked = PathStep & { next: Set<string>; caught: Map<string, Set<string>>; open: number[] };
  const steps = new Map<string, Tracked>();
  let currentTask: string | undefined;
  // The state that exited last, waiting to learn which state came next.
  let exited: { state: string; caughtError?: string } | undefined;
  const pendingFailure = new Map<string, string>();

  for (const event of events) {
    const name = typeof event.details.name === 'string' ? event.details.name : undefined;
    const entered = ENTERED.exec(event.type);
    if (entered && name) {
      if (exited) {
        const from = steps.get(exited.state)!;
        if (exited.caughtError) {
          const targets = from.caught.get(exited.caughtError) ?? new Set<string>();
          from.caught.set(exited.caughtError, targets.add(name));
        } else {
          from.next.add(name);
        }
        exited = undefined;
      }
      const fresh: Tracked = {
        state: name,
        type: entered[1]!,
        entered: 0,
        durationMs: 0,
        decision: '',
        retries: 0,
        next: new Set<string>(),
        caught: new Map<string, Set<string>>(),
        open: [],
      };
      const step = steps.get(name) ?? fresh;
      steps.set(name, step);
      step.entered += 1;
      step.open.push(event.timestamp.getTime());
      if (step.type === 'Task') currentTask = name;
      continue;
    }
    const exitedMatch = EXITED.exec(event.type);
    if (exitedMatch && name) {
      const step = steps.get(name);
      if (!step) continue;
      const since = step.open.shift();
      if (since !== undefined) step.durationMs += event.timestamp.getTime() - since;
      const failure = pendingFailure.get(name);
      pendingFailure.delete(name);
      exited = { state: name, ...(failure ? { caughtError: failure } : {}) };
      continue;
    }
    const task = currentTask ? steps.get(currentTask) : undefined;
    switch (event.type) {
      case 'LambdaFunctionFailed':
      case 'TaskFailed':
      case 'LambdaFunctionTimedOut':
      case 'TaskTimedOut':
        if (task) {
          task.error = String(event.details.error ?? event.type);
          if (typeof event.details.cause === 'string') task.cause = event.details.cause;
          pendingFailure.set(task.state, task.error);
        }
        break;
      case 'LambdaFunctionScheduled':
      case 'TaskScheduled':
        if (task && pendingFailure.has(task.state)) {
          task.retries += 1;
          pendingFailure.delete(task.state);
        }
        break;
      case 'ExecutionFailed':
      case 'ExecutionTimedOut':
      case 'ExecutionAborted': {
        // The states still open end here, with the execution's error.
        for (const step of steps.values()) {
          for (const since of step.open.splice(0)) step.durationMs += event.timestamp.getTime() - since;
          if (step.open.length === 0 && pendingFailure.has(step.state))
            step.decision = `failed: ${pendingFailure.get(step.state)}`;
        }
        break;
      }
      default:
        break;
    }
  }

  return [...steps.values()].map(({ next, caught, open: _open, ...step }) => {
    const parts: string[] = [];
    if (next.size > 0) parts.push(`-> ${[...next].join(', ')}`);
    for (const [error, targets] of caught) parts.push(`caught ${error} -> ${[...targets].join(', ')}`);
    if (step.retries > 0) parts.push(`retried ${step.retries}x`);
    const decision = [step.decision, ...parts].filter((part) => part !== '').join('; ');
    return { ...step, decision: decision || 'end' };
  });
};
