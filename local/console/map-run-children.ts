import type { ExecutionSummary } from '#local/step-functions/execution-store';
import { type ExecutionTrace, type StateRun, statusOf } from '#local/console/execution-trace';

/**
 * A Distributed Map's iterations run as child executions, each with its own history: the parent's
 * history holds only the map run. Its iteration is drawn from the children instead: one run per
 * child, failed where the child did not succeed (caught when the map tolerated it).
 */
export interface DistributedMapOf {
  mapState: string;
  /** The state that stands for one iteration (one child execution) in the definition drawn. */
  iterationState: string;
}

/** A child's item index, from its name (`<parent name>-<index>`). */
const itemIndex = (name: string): number | undefined => {
  const index = /-(\d+)$/.exec(name)?.[1];
  return index === undefined ? undefined : Number(index);
};

const childRun = (child: ExecutionSummary, tolerated: boolean): StateRun => {
  const enteredAt = Date.parse(child.startDate);
  const exitedAt = child.stopDate === undefined ? undefined : Date.parse(child.stopDate);
  const iteration = itemIndex(child.name);
  const failed = child.status !== 'SUCCEEDED' && child.status !== 'RUNNING';
  return {
    ...(iteration === undefined ? {} : { iteration }),
    enteredAt,
    ...(exitedAt === undefined ? {} : { exitedAt, durationMs: exitedAt - enteredAt }),
    input: undefined,
    output: { childExecution: child.executionArn, status: child.status },
    failures: failed
      ? [
          {
            error: child.error ?? child.status,
            cause: `Child execution ${child.executionArn} ended ${child.status}`,
            at: exitedAt ?? enteredAt,
            outcome: tolerated ? 'caught' : 'failed',
          },
        ]
      : [],
  };
};

/** The trace with the map's iteration state run once per child (in item order); unchanged when it has none. */
export const withChildExecutions = (
  trace: ExecutionTrace,
  map: DistributedMapOf,
  children: readonly ExecutionSummary[],
): ExecutionTrace => {
  if (children.length === 0) return trace;
  // The map ended without failing: any child that failed was within its tolerated failures.
  const tolerated = trace.states[map.mapState]?.status !== 'failed';
  const runs = children
    .map((child) => childRun(child, tolerated))
    .sort((a, b) => (a.iteration ?? 0) - (b.iteration ?? 0) || a.enteredAt - b.enteredAt);
  return { ...trace, states: { ...trace.states, [map.iterationState]: { status: statusOf(runs), retries: 0, runs } } };
};
