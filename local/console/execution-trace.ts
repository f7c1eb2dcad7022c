import type { AslDefinition, AslState } from '#local/step-functions/asl';
import type { RecordedEvent } from '#local/step-functions/interpreter';

/**
 * What one execution did in each state, read from its event log: the runs (one per entry, one
 * per Map iteration), their inputs, outputs and timing, the failures and what became of them
 * (retried, caught, or fatal), and the transitions taken between states.
 */
export type StateStatus = 'not-run' | 'running' | 'succeeded' | 'caught' | 'failed';

export interface StateFailure {
  error: string;
  cause: string;
  at: number;
  /** `failed` when neither a retrier nor a catcher took the error. */
  outcome: 'retried' | 'caught' | 'failed';
  /** The catcher's target, when caught. */
  next?: string;
}

export interface StateRun {
  /** The Map iteration (item index) the run belongs to; absent at the top level. */
  iteration?: number;
  enteredAt: number;
  exitedAt?: number;
  durationMs?: number;
  input: unknown;
  output?: unknown;
  failures: StateFailure[];
}

export interface StateTrace {
  status: StateStatus;
  retries: number;
  runs: StateRun[];
}

export interface ExecutionTrace {
  /** Only the states that ran; a state missing here was not entered. */
  states: Record<string, StateTrace>;
  /** `from -> to` for every transition observed, each once. */
  transitions: Array<{ from: string; to: string }>;
}

/** Every `States` block of a definition (the top level, each Map's processor, each Parallel branch), keyed by an id. */
export const statesBlocks = (definition: AslDefinition, id = ''): Array<[string, AslDefinition]> => [
  [id, definition],
  ...Object.entries(definition.States).flatMap(([name, state]) =>
    childBlocks(name, state).flatMap(([childId, child]) => statesBlocks(child, childId)),
  ),
];

/** The blocks nested directly in a state: a Map's item processor, a Parallel state's branches. */
export const childBlocks = (name: string, state: AslState): Array<[string, AslDefinition]> => {
  const processor = state.ItemProcessor ?? state.Iterator;
  if (processor) return [[name, processor]];
  return (state.Branches ?? []).map((branch, index) => [`${name}#${index}`, branch]);
};

const append = <T>(map: Map<string, T[]>, key: string, value: T): void => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export const statusOf = (runs: readonly StateRun[]): StateStatus => {
  const failures = runs.flatMap((run) => run.failures);
  if (failures.some((failure) => failure.outcome === 'failed')) return 'failed';
  if (runs.some((run) => run.exitedAt === undefined)) return 'running';
  if (failures.some((failure) => failure.outcome === 'caught')) return 'caught';
  return 'succeeded';
};

/** What the trace keeps while it reads the event log, in order. */
interface TraceState {
  /** The `States` block each state sits in: transitions are only drawn within one scope. */
  blockOf: Map<string, string>;
  runsByState: Map<string, StateRun[]>;
  // Runs entered and not yet exited, per state and iteration; Map iterations interleave.
  open: Map<string, StateRun[]>;
  // The state last entered in each scope (a block, in one Map iteration): a transition's source.
  lastEntered: Map<string, string>;
  transitions: Map<string, { from: string; to: string }>;
  retries: Map<string, number>;
}

type EventOf<T extends RecordedEvent['type']> = Extract<RecordedEvent, { type: T }>;

const openKey = (name: string, index: number | undefined): string => `${name}\u0000${index ?? ''}`;

/** The open run an event belongs to: the one with the same input (iterations of one index can overlap), else the oldest. */
const openRun = (trace: TraceState, name: string, index: number | undefined, input: unknown): StateRun | undefined => {
  const candidates = trace.open.get(openKey(name, index)) ?? [];
  return candidates.find((run) => sameValue(run.input, input)) ?? candidates[0];
};

const close = (trace: TraceState, name: string, index: number | undefined, run: StateRun): void => {
  const candidates = trace.open.get(openKey(name, index)) ?? [];
  const at = candidates.indexOf(run);
  if (at >= 0) candidates.splice(at, 1);
};

const onEntered = (trace: TraceState, event: EventOf<'StateEntered'>): void => {
  const { name, input } = event.state;
  const run: StateRun = { enteredAt: event.timestamp, input, failures: [] };
  if (event.index !== undefined) run.iteration = event.index;
  // Pushed, not copied: a report run enters one state once per user, thousands of times.
  append(trace.runsByState, name, run);
  append(trace.open, openKey(name, event.index), run);
  const scope = `${trace.blockOf.get(name) ?? ''}\u0000${event.index ?? ''}`;
  const previous = trace.lastEntered.get(scope);
  if (previous !== undefined) trace.transitions.set(`${previous}\u0000${name}`, { from: previous, to: name });
  trace.lastEntered.set(scope, name);
};

const onExited = (trace: TraceState, event: EventOf<'StateExited'>): void => {
  const run = openRun(trace, event.state.name, event.index, event.state.input);
  if (!run) return;
  run.exitedAt = event.timestamp;
  run.durationMs = event.timestamp - run.enteredAt;
  run.output = event.state.output;
  close(trace, event.state.name, event.index, run);
};

const onFailed = (trace: TraceState, event: EventOf<'StateFailed'>): void => {
  const run = openRun(trace, event.state.name, event.index, event.state.input);
  if (!run) return;
  const cause = typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause ?? '');
  run.failures.push({ error: event.Error, cause, at: event.timestamp, outcome: 'failed' });
  // A fatal failure ends the run here; a retried or caught one goes on (to StateExited, for a catch).
  run.exitedAt = event.timestamp;
  run.durationMs = event.timestamp - run.enteredAt;
};

/** A retry or a catch settles the run's last failure: it was not fatal after all. */
const onRetriedOrCaught = (trace: TraceState, event: EventOf<'StateRetried' | 'StateCaught'>): void => {
  const run = openRun(trace, event.state.name, event.index, event.state.input);
  const failure = run?.failures.at(-1);
  if (!run || !failure) return;
  if (event.type === 'StateRetried') {
    failure.outcome = 'retried';
    run.exitedAt = undefined;
    run.durationMs = undefined;
    trace.retries.set(event.state.name, (trace.retries.get(event.state.name) ?? 0) + 1);
  } else {
    failure.outcome = 'caught';
    failure.next = event.catch.catcher.Next;
  }
};

const onEvent = (trace: TraceState, event: RecordedEvent): void => {
  switch (event.type) {
    case 'MapIterationStarted':
      trace.lastEntered.delete(`${event.parentState.name}\u0000${event.index}`);
      break;
    case 'StateEntered':
      onEntered(trace, event);
      break;
    case 'StateExited':
      onExited(trace, event);
      break;
    case 'StateFailed':
      onFailed(trace, event);
      break;
    case 'StateRetried':
    case 'StateCaught':
      onRetriedOrCaught(trace, event);
      break;
    default:
      break;
  }
};

export const traceExecution = (definition: AslDefinition, events: readonly RecordedEvent[]): ExecutionTrace => {
  const blockOf = new Map<string, string>();
  for (const [blockId, block] of statesBlocks(definition)) {
    for (const name of Object.keys(block.States)) blockOf.set(name, blockId);
  }
  const trace: TraceState = {
    blockOf,
    runsByState: new Map(),
    open: new Map(),
    lastEntered: new Map(),
    transitions: new Map(),
    retries: new Map(),
  };
  for (const event of events) onEvent(trace, event);
  const states = Object.fromEntries(
    [...trace.runsByState].map(([name, runs]) => [
      name,
      { status: statusOf(runs), retries: trace.retries.get(name) ?? 0, runs },
    ]),
  );
  return { states, transitions: [...trace.transitions.values()] };
};
