import { MONTHLY_REPORT_WORKFLOW, SUBMIT_PAYMENT_WORKFLOW } from '#contract/workflows';
import { type AslDefinition, allStates } from '#local/step-functions/asl';
import { traceExecution } from '#local/console/execution-trace';
import { type GraphLayout, type GraphNode, layoutGraph } from '#local/console/graph-layout';
import type { EventLog } from '#local/step-functions/interpreter';
import { FAKE_FUNCTION_ARN as FAKE_ARN, definitionWithFakeArns as realDefinition } from '../../../support/definitions';

/** A task that can fail into a handler, a choice, and two ends. */
const BRANCHING: AslDefinition = {
  StartAt: 'A',
  States: {
    A: { Type: 'Task', Resource: FAKE_ARN, Next: 'B', Catch: [{ ErrorEquals: ['Refused'], Next: 'H' }] },
    B: { Type: 'Choice', Choices: [{ Variable: '$.x', StringEquals: 'y', Next: 'C' }], Default: 'D' },
    C: { Type: 'Pass', End: true },
    D: { Type: 'Pass', Next: 'E' },
    E: { Type: 'Pass', End: true },
    H: { Type: 'Pass', End: true },
  },
};

const LOOP: AslDefinition = {
  StartAt: 'P',
  States: {
    P: { Type: 'Pass', Next: 'Q' },
    Q: { Type: 'Choice', Choices: [{ Variable: '$.more', BooleanEquals: true, Next: 'P' }], Default: 'S' },
    S: { Type: 'Succeed' },
  },
};

const MAP: AslDefinition = {
  StartAt: 'M',
  States: {
    M: {
      Type: 'Map',
      ItemProcessor: {
        StartAt: 'I1',
        States: { I1: { Type: 'Task', Resource: FAKE_ARN, Next: 'I2' }, I2: { Type: 'Pass', End: true } },
      },
      Next: 'Z',
    },
    Z: { Type: 'Succeed' },
  },
};

const node = (layout: GraphLayout, name: string): GraphNode => {
  const found = layout.nodes.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`No node ${name}`);
  return found;
};

const overlaps = (a: GraphNode, b: GraphNode): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const inside = (inner: GraphNode, outer: GraphNode): boolean =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;

// Event builders in the shape aws-local-stepfunctions logs them (see the workflow test for real logs).
let clock = 1_000;
const at = (): number => (clock += 5);
const state = (name: string, type: string, input: unknown, output?: unknown) => ({
  name,
  type,
  input,
  ...(output === undefined ? {} : { output }),
});
const entered = (name: string, input: unknown = {}, index?: number): EventLog =>
  ({
    type: 'StateEntered',
    timestamp: at(),
    state: state(name, 'Task', input),
    ...(index === undefined ? {} : { index }),
  }) as EventLog;
const exited = (name: string, input: unknown, output: unknown, index?: number): EventLog =>
  ({
    type: 'StateExited',
    timestamp: at(),
    state: state(name, 'Task', input, output),
    ...(index === undefined ? {} : { index }),
  }) as EventLog;
const failed = (name: string, input: unknown, error: string): EventLog =>
  ({
    type: 'StateFailed',
    timestamp: at(),
    state: state(name, 'Task', input),
    Error: error,
    Cause: `${error} happened`,
  }) as EventLog;
const caught = (name: string, input: unknown, next: string): EventLog =>
  ({
    type: 'StateCaught',
    timestamp: at(),
    state: state(name, 'Task', input),
    catch: { catcher: { ErrorEquals: ['Refused'], Next: next } },
  }) as EventLog;
const retried = (name: string, input: unknown): EventLog =>
  ({
    type: 'StateRetried',
    timestamp: at(),
    state: state(name, 'Task', input),
    retry: { retrier: { ErrorEquals: ['Lambda.ServiceException'] }, attempt: 1 },
  }) as EventLog;

describe('graph layout', () => {
  test('puts each state one layer below the longest path that reaches it, the start alone on top', () => {
    const layout = layoutGraph(BRANCHING);
    const y = (name: string): number => node(layout, name).y;
    expect(y('A')).toBeLessThan(y('B'));
    expect(y('B')).toBe(y('H'));
    expect(y('C')).toBe(y('D'));
    expect(y('B')).toBeLessThan(y('C'));
    expect(y('D')).toBeLessThan(y('E'));
    expect(layout.nodes.every((n) => n.status === 'not-run')).toBe(true);
  });

  test('draws Next, Choice, Default and Catch edges, each labelled with what sends the execution there', () => {
    const edges = layoutGraph(BRANCHING).edges.map(({ from, to, kind, label }) => ({ from, to, kind, label }));
    expect(edges).toEqual(
      expect.arrayContaining([
        { from: 'A', to: 'B', kind: 'next', label: undefined },
        { from: 'A', to: 'H', kind: 'catch', label: 'Refused' },
        { from: 'B', to: 'C', kind: 'choice', label: '$.x StringEquals "y"' },
        { from: 'B', to: 'D', kind: 'default', label: undefined },
        { from: 'D', to: 'E', kind: 'next', label: undefined },
      ]),
    );
    expect(edges).toHaveLength(5);
  });

  test('takes an edge that skips layers around the states between, not through them', () => {
    const skipping: AslDefinition = {
      StartAt: 'S',
      States: {
        S: { Type: 'Choice', Choices: [{ Variable: '$.skip', BooleanEquals: true, Next: 'T' }], Default: 'X' },
        X: { Type: 'Pass', Next: 'Y' },
        Y: { Type: 'Pass', Next: 'T' },
        T: { Type: 'Succeed' },
      },
    };
    const layout = layoutGraph(skipping);
    const skip = layout.edges.find((edge) => edge.from === 'S' && edge.to === 'T');
    expect(skip?.points).toHaveLength(6);
    for (const [x, y] of skip?.points.slice(1, -1) ?? []) {
      for (const between of [node(layout, 'X'), node(layout, 'Y')]) {
        expect(x > between.x && x < between.x + between.width && y > between.y && y < between.y + between.height).toBe(
          false,
        );
      }
    }
  });

  test('routes a loop back up along the right-hand side instead of through the states', () => {
    const layout = layoutGraph(LOOP);
    const back = layout.edges.find((edge) => edge.from === 'Q' && edge.to === 'P');
    expect(back?.back).toBe(true);
    const rightmost = Math.max(...layout.nodes.map((n) => n.x + n.width));
    expect(back?.points.some(([x]) => x > rightmost)).toBe(true);
    expect(layout.width).toBeGreaterThan(rightmost);
    expect(node(layout, 'P').y).toBeLessThan(node(layout, 'Q').y);
  });

  test('draws a Map state as a box holding its item processor', () => {
    const layout = layoutGraph(MAP);
    const map = node(layout, 'M');
    expect(map.container).toBe(true);
    for (const name of ['I1', 'I2']) {
      expect(node(layout, name).parent).toBe('M');
      expect(inside(node(layout, name), map)).toBe(true);
    }
    expect(node(layout, 'I1').y).toBeLessThan(node(layout, 'I2').y);
    expect(node(layout, 'Z').y).toBeGreaterThanOrEqual(map.y + map.height);
  });

  test('an empty definition is an empty picture; a StartAt naming no state still draws every state', () => {
    expect(layoutGraph({ StartAt: 'Gone', States: {} })).toEqual({ width: 0, height: 0, nodes: [], edges: [] });
    const broken = layoutGraph({ ...BRANCHING, StartAt: 'Nowhere' });
    expect(broken.nodes.map((n) => n.name).sort()).toEqual(Object.keys(BRANCHING.States).sort());
    expect(Number.isFinite(broken.width) && Number.isFinite(broken.height)).toBe(true);
  });

  test.each([SUBMIT_PAYMENT_WORKFLOW.definitionFile, MONTHLY_REPORT_WORKFLOW.definitionFile])(
    '%s: every state placed once, inside the picture, no two boxes of one level overlapping, same picture every time',
    (file) => {
      const definition = realDefinition(file);
      const layout = layoutGraph(definition);
      expect(layout.nodes.map((n) => n.name).sort()).toEqual(
        allStates(definition)
          .map(([name]) => name)
          .sort(),
      );
      for (const n of layout.nodes) {
        expect(n.x).toBeGreaterThanOrEqual(0);
        expect(n.y).toBeGreaterThanOrEqual(0);
        expect(n.x + n.width).toBeLessThanOrEqual(layout.width);
        expect(n.y + n.height).toBeLessThanOrEqual(layout.height);
        if (n.parent) expect(inside(n, node(layout, n.parent))).toBe(true);
      }
      for (const a of layout.nodes) {
        for (const b of layout.nodes) {
          if (a !== b && a.parent === b.parent) expect(overlaps(a, b)).toBe(false);
        }
      }
      // No edge bends inside a state it does not connect.
      for (const edge of layout.edges) {
        for (const [x, y] of edge.points.slice(1, -1)) {
          const hit = layout.nodes.find(
            (n) => !n.container && x > n.x && x < n.x + n.width && y > n.y && y < n.y + n.height,
          );
          expect([edge.from, edge.to, hit?.name]).toEqual([edge.from, edge.to, undefined]);
        }
      }
      expect(layoutGraph(definition)).toEqual(layout);
    },
  );
});

describe('execution trace', () => {
  test('a caught failure: the state is marked caught, the catch edge taken, the skipped states not run', () => {
    const input = { body: 'x' };
    const events = [
      { type: 'ExecutionStarted', timestamp: at(), input } as EventLog,
      entered('A', input),
      failed('A', input, 'Refused'),
      caught('A', input, 'H'),
      exited('A', input, { error: 'Refused' }),
      entered('H', { error: 'Refused' }),
      exited('H', { error: 'Refused' }, { statusCode: 400 }),
      { type: 'ExecutionSucceeded', timestamp: at(), output: { statusCode: 400 } } as EventLog,
    ];
    const trace = traceExecution(BRANCHING, events);
    expect(trace.states.A?.status).toBe('caught');
    expect(trace.states.A?.runs[0]?.failures).toEqual([
      expect.objectContaining({ error: 'Refused', outcome: 'caught', next: 'H' }),
    ]);
    expect(trace.states.H?.status).toBe('succeeded');
    expect(trace.states.H?.runs[0]).toEqual(
      expect.objectContaining({ input: { error: 'Refused' }, output: { statusCode: 400 } }),
    );
    expect(trace.states.H?.runs[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(trace.states.B).toBeUndefined();
    expect(trace.transitions).toEqual([{ from: 'A', to: 'H' }]);

    const layout = layoutGraph(BRANCHING, trace);
    expect(node(layout, 'A').status).toBe('caught');
    expect(node(layout, 'B').status).toBe('not-run');
    expect(layout.edges.filter((edge) => edge.taken).map(({ from, to, kind }) => ({ from, to, kind }))).toEqual([
      { from: 'A', to: 'H', kind: 'catch' },
    ]);
  });

  test('a retried failure counts as a retry, and the state succeeds', () => {
    const input = { n: 1 };
    const events = [
      entered('A', input),
      failed('A', input, 'Lambda.ServiceException'),
      retried('A', input),
      exited('A', input, { n: 2 }),
      entered('B', { n: 2 }),
    ];
    const trace = traceExecution(BRANCHING, events);
    expect(trace.states.A).toEqual(expect.objectContaining({ status: 'succeeded', retries: 1 }));
    expect(trace.states.A?.runs[0]?.failures[0]?.outcome).toBe('retried');
    expect(trace.states.A?.runs[0]?.output).toEqual({ n: 2 });
    expect(trace.states.B?.status).toBe('running');
    expect(layoutGraph(BRANCHING, trace).nodes.find((n) => n.name === 'A')?.retries).toBe(1);
  });

  test('an uncaught failure marks the state failed', () => {
    const events = [
      entered('A', {}),
      failed('A', {}, 'Boom'),
      { type: 'ExecutionFailed', timestamp: at(), Error: 'Boom', Cause: '' } as EventLog,
    ];
    const trace = traceExecution(BRANCHING, events);
    expect(trace.states.A?.status).toBe('failed');
    expect(trace.states.A?.runs[0]?.failures[0]).toEqual(expect.objectContaining({ error: 'Boom', outcome: 'failed' }));
  });

  test('interleaved Map iterations: one run per item, each with its own output, transitions inside each item', () => {
    const iterationStarted = (index: number): EventLog =>
      ({ type: 'MapIterationStarted', timestamp: at(), parentState: state('M', 'Map', {}), index }) as EventLog;
    const events = [
      entered('M', { items: [1, 2] }),
      iterationStarted(0),
      iterationStarted(1),
      entered('I1', { item: 1 }, 0),
      entered('I1', { item: 2 }, 1),
      exited('I1', { item: 2 }, { done: 2 }, 1),
      exited('I1', { item: 1 }, { done: 1 }, 0),
      entered('I2', { done: 1 }, 0),
      entered('I2', { done: 2 }, 1),
      exited('I2', { done: 1 }, { done: 1 }, 0),
      exited('I2', { done: 2 }, { done: 2 }, 1),
      exited('M', { items: [1, 2] }, [{ done: 1 }, { done: 2 }]),
      entered('Z', []),
      exited('Z', [], []),
    ];
    const trace = traceExecution(MAP, events);
    expect(trace.states.I1?.runs.map((run) => [run.iteration, run.output])).toEqual([
      [0, { done: 1 }],
      [1, { done: 2 }],
    ]);
    expect(trace.transitions).toEqual(
      expect.arrayContaining([
        { from: 'I1', to: 'I2' },
        { from: 'M', to: 'Z' },
      ]),
    );
    const layout = layoutGraph(MAP, trace);
    expect(node(layout, 'I1').runs).toBe(2);
    expect(layout.edges.every((edge) => edge.taken)).toBe(true);
  });
});
