import type { AslDefinition, AslState } from '#local/step-functions/asl';
import { type ExecutionTrace, type StateStatus, childBlocks } from '#local/console/execution-trace';

/**
 * A state machine drawn as a layered graph: each state in the layer after the longest forward
 * path that reaches it, layers top to bottom, a Map or Parallel state as a box holding its own
 * graph. Deterministic (same definition, same picture) and dependency-free; coordinates in px.
 */
export type EdgeKind = 'next' | 'choice' | 'default' | 'catch';

export interface GraphNode {
  name: string;
  type: string;
  /** The Map or Parallel state whose box holds this one. */
  parent?: string;
  /** A Map or Parallel state, drawn as a box around its nested states. */
  container: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
  status: StateStatus;
  retries: number;
  runs: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** What sends the execution along it: the errors of a Catch, the condition of a Choice rule. */
  label?: string;
  taken: boolean;
  /** Goes up, to an earlier layer (a loop); routed along the right edge. */
  back: boolean;
  points: Array<[number, number]>;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export const NODE_HEIGHT = 36;
const CHAR_WIDTH = 7.5;
const MIN_NODE_WIDTH = 110;
const H_GAP = 28;
const V_GAP = 46;
const PADDING = 16;
const CONTAINER_HEADER = 26;
const BACK_EDGE_LANE = 18;
const WAYPOINT_WIDTH = 6;

interface Transition {
  to: string;
  kind: EdgeKind;
  label?: string;
}

const choiceLabel = (rule: Record<string, unknown>): string | undefined => {
  const variable = rule.Variable;
  const test = Object.entries(rule).find(([key]) => !['Variable', 'Next', 'Comment'].includes(key));
  if (typeof variable !== 'string' || !test) return undefined;
  return `${variable} ${test[0]} ${JSON.stringify(test[1])}`;
};

/** Where a state can go next, in the order the ASL lists it. */
export const transitionsOf = (state: AslState): Transition[] => {
  const choices = Array.isArray(state.Choices) ? (state.Choices as Array<Record<string, unknown>>) : [];
  const catchers = Array.isArray(state.Catch) ? (state.Catch as Array<{ ErrorEquals: string[]; Next: string }>) : [];
  return [
    ...choices.map((rule): Transition => ({ to: String(rule.Next), kind: 'choice', label: choiceLabel(rule) })),
    ...(typeof state.Default === 'string' ? [{ to: state.Default, kind: 'default' as const }] : []),
    ...(typeof state.Next === 'string' ? [{ to: state.Next, kind: 'next' as const }] : []),
    ...catchers.map((catcher): Transition => ({
      to: catcher.Next,
      kind: 'catch',
      label: catcher.ErrorEquals.join(', '),
    })),
  ];
};

const textWidth = (text: string): number => Math.max(MIN_NODE_WIDTH, Math.ceil(text.length * CHAR_WIDTH) + 2 * PADDING);

/** Depth-first from StartAt (then any state not reached): discovery order and the edges that close a loop. */
const depthFirst = (names: readonly string[], start: string, successors: (name: string) => string[]) => {
  const order: string[] = [];
  const backEdges = new Set<string>();
  const postOrder: string[] = [];
  const onStack = new Set<string>();
  const seen = new Set<string>();
  const visit = (name: string): void => {
    seen.add(name);
    onStack.add(name);
    order.push(name);
    for (const next of successors(name)) {
      if (onStack.has(next)) backEdges.add(`${name}\u0000${next}`);
      else if (!seen.has(next)) visit(next);
    }
    onStack.delete(name);
    postOrder.push(name);
  };
  // A StartAt naming no state (a broken definition) is skipped: every state is still drawn.
  for (const name of names.includes(start) ? [start, ...names] : names) if (!seen.has(name)) visit(name);
  return { order, backEdges, topological: postOrder.reverse() };
};

const childrenWidth = (children: readonly GraphLayout[]): number =>
  children.reduce((sum, child) => sum + child.width, 0) + H_GAP * Math.max(0, children.length - 1);

/** A block's states, their transitions within the block, and the depth-first facts the layout builds on. */
interface BlockGraph {
  states: Array<[string, AslState]>;
  names: string[];
  transitions: Map<string, Transition[]>;
  order: string[];
  backEdges: Set<string>;
  topological: string[];
  isBack: (from: string, to: string) => boolean;
}

const blockGraph = (block: AslDefinition): BlockGraph => {
  const states = Object.entries(block.States);
  const names = states.map(([name]) => name);
  const inBlock = new Set(names);
  const transitions = new Map(
    states.map(([name, state]) => [name, transitionsOf(state).filter((t) => inBlock.has(t.to))]),
  );
  const { order, backEdges, topological } = depthFirst(names, block.StartAt, (name) =>
    (transitions.get(name) ?? []).map((t) => t.to),
  );
  const isBack = (from: string, to: string): boolean => backEdges.has(`${from}\u0000${to}`);
  return { states, names, transitions, order, backEdges, topological, isBack };
};

/** Longest forward path from the start: a state sits below everything that leads to it. */
const layersOf = (graph: BlockGraph): Map<string, number> => {
  const layerOf = new Map<string, number>(graph.names.map((name) => [name, 0]));
  for (const name of graph.topological) {
    for (const { to } of graph.transitions.get(name) ?? []) {
      if (!graph.isBack(name, to)) layerOf.set(to, Math.max(layerOf.get(to) ?? 0, (layerOf.get(name) ?? 0) + 1));
    }
  }
  return layerOf;
};

/**
 * A forward edge across several layers passes a waypoint in each layer between: ordered and
 * spaced like a narrow state, it makes the edge go around the states of those layers, not through them.
 * Adds the waypoints' layers to `layerOf`.
 */
const addWaypoints = (graph: BlockGraph, layerOf: Map<string, number>) => {
  const waypointsOf = new Map<string, string[]>();
  const predecessors = new Map<string, string[]>();
  const addPredecessor = (to: string, from: string): void => {
    predecessors.set(to, [...(predecessors.get(to) ?? []), from]);
  };
  for (const name of graph.names) {
    for (const { to } of graph.transitions.get(name) ?? []) {
      const key = `${name}\u0000${to}`;
      if (graph.isBack(name, to) || waypointsOf.has(key)) continue;
      const from = layerOf.get(name) ?? 0;
      const waypoints = Array.from({ length: Math.max(0, (layerOf.get(to) ?? 0) - from - 1) }, (_, index) => {
        const waypoint = `\u0001${key}\u0000${index}`;
        layerOf.set(waypoint, from + 1 + index);
        return waypoint;
      });
      waypointsOf.set(key, waypoints);
      const chain = [name, ...waypoints, to];
      chain.slice(1).forEach((node, index) => addPredecessor(node, chain[index] as string));
    }
  }
  return { waypointsOf, predecessors };
};

/** Each state's own size; a container's from the graphs it holds, laid out first. */
const sizeStates = (graph: BlockGraph, trace: ExecutionTrace | undefined) => {
  const nested = new Map<string, GraphLayout[]>();
  const size = new Map<string, { width: number; height: number }>();
  for (const [name, state] of graph.states) {
    const children = childBlocks(name, state).map(([, child]) => layoutBlock(child, trace, name));
    nested.set(name, children);
    if (children.length === 0) {
      size.set(name, { width: textWidth(name), height: NODE_HEIGHT });
    } else {
      // The nested graphs bring their own padding.
      const height = Math.max(...children.map((child) => child.height)) + CONTAINER_HEADER;
      size.set(name, { width: Math.max(childrenWidth(children), textWidth(name)), height });
    }
  }
  return { nested, size };
};

/** Order within a layer: discovery order, then by the mean position of the predecessors (fewer crossings). */
const orderLayers = (
  nodesInOrder: readonly string[],
  layerOf: ReadonlyMap<string, number>,
  predecessors: ReadonlyMap<string, string[]>,
): string[][] => {
  const layerCount = Math.max(...layerOf.values()) + 1;
  const layers: string[][] = Array.from({ length: layerCount }, () => []);
  for (const name of nodesInOrder) layers[layerOf.get(name) ?? 0]?.push(name);
  const positionInLayer = new Map<string, number>();
  for (const layer of layers) {
    const barycenter = (name: string): number => {
      const placed = (predecessors.get(name) ?? []).filter((from) => positionInLayer.has(from));
      if (placed.length === 0) return Number.POSITIVE_INFINITY;
      return placed.reduce((sum, from) => sum + (positionInLayer.get(from) ?? 0), 0) / placed.length;
    };
    const keyed = layer.map((name, index) => ({ name, index, key: barycenter(name) }));
    keyed.sort((a, b) => a.key - b.key || a.index - b.index);
    layer.splice(0, layer.length, ...keyed.map(({ name }) => name));
    layer.forEach((name, index) => positionInLayer.set(name, index / Math.max(1, layer.length - 1)));
  }
  return layers;
};

interface Placement {
  nodes: GraphNode[];
  box: Map<string, GraphNode>;
  waypointAt: Map<string, { x: number; top: number; bottom: number }>;
  height: number;
}

/** What a placed state shows besides its box: its type, its container, and what the execution did there. */
const nodeDetails = (
  name: string,
  state: AslState | undefined,
  parent: string | undefined,
  container: boolean,
  trace: ExecutionTrace | undefined,
) => {
  const stateTrace = trace?.states[name];
  return {
    name,
    type: state?.Type ?? '',
    ...(parent === undefined ? {} : { parent }),
    container,
    status: stateTrace?.status ?? 'not-run',
    retries: stateTrace?.retries ?? 0,
    runs: stateTrace?.runs.length ?? 0,
  };
};

/** Layers top to bottom, each centred; a waypoint keeps a narrow slot the height of its layer. */
const placeLayers = (
  layers: readonly string[][],
  contentWidth: number,
  layerWidth: (layer: readonly string[]) => number,
  size: ReadonlyMap<string, { width: number; height: number }>,
  details: (name: string) => Omit<GraphNode, 'x' | 'y' | 'width' | 'height'>,
): Placement => {
  const placement: Placement = { nodes: [], box: new Map(), waypointAt: new Map(), height: 0 };
  let y = PADDING;
  for (const layer of layers) {
    const layerHeight = Math.max(0, ...layer.map((name) => size.get(name)?.height ?? 0));
    let x = PADDING + (contentWidth - layerWidth(layer)) / 2;
    for (const name of layer) {
      const nodeSize = size.get(name);
      if (!nodeSize) {
        placement.waypointAt.set(name, { x: x + WAYPOINT_WIDTH / 2, top: y, bottom: y + layerHeight });
        x += WAYPOINT_WIDTH + H_GAP;
        continue;
      }
      const { width, height } = nodeSize;
      // Keys in the order the console's JSON has always shown them.
      const { status, retries, runs, ...identity } = details(name);
      const node: GraphNode = {
        ...identity,
        x,
        y: y + (layerHeight - height) / 2,
        width,
        height,
        status,
        retries,
        runs,
      };
      placement.nodes.push(node);
      placement.box.set(name, node);
      x += width + H_GAP;
    }
    y += layerHeight + V_GAP;
  }
  placement.height = y - V_GAP + PADDING;
  return placement;
};

/**
 * Out of the source's bottom and into the target's top through the gaps between layers,
 * which hold no states; up the lane to the right of everything.
 */
const backEdgePoints = (source: GraphNode, target: GraphNode, lane: number, laneX: number): Array<[number, number]> => {
  const below = source.y + source.height + 8 + 3 * lane;
  const above = target.y - 8 - 3 * lane;
  return [
    [source.x + source.width / 2, source.y + source.height],
    [source.x + source.width / 2, below],
    [laneX, below],
    [laneX, above],
    [target.x + target.width / 2, above],
    [target.x + target.width / 2, target.y],
  ];
};

/** Straight down from the source, through each waypoint's slot, into the target. */
const forwardEdgePoints = (
  source: GraphNode,
  target: GraphNode,
  waypoints: readonly string[],
  waypointAt: Placement['waypointAt'],
): Array<[number, number]> => [
  [source.x + source.width / 2, source.y + source.height],
  ...waypoints.flatMap((waypoint): Array<[number, number]> => {
    const at = waypointAt.get(waypoint);
    return at
      ? [
          [at.x, at.top],
          [at.x, at.bottom],
        ]
      : [];
  }),
  [target.x + target.width / 2, target.y],
];

const routeEdges = (
  graph: BlockGraph,
  placement: Placement,
  waypointsOf: ReadonlyMap<string, string[]>,
  contentWidth: number,
  trace: ExecutionTrace | undefined,
): GraphEdge[] => {
  const taken = new Set((trace?.transitions ?? []).map(({ from, to }) => `${from}\u0000${to}`));
  const edges: GraphEdge[] = [];
  let lane = 0;
  for (const name of graph.names) {
    const source = placement.box.get(name)!;
    for (const transition of graph.transitions.get(name) ?? []) {
      const target = placement.box.get(transition.to)!;
      const key = `${name}\u0000${transition.to}`;
      const back = graph.isBack(name, transition.to);
      if (back) lane += 1;
      const points = back
        ? backEdgePoints(source, target, lane, PADDING + contentWidth + BACK_EDGE_LANE * lane)
        : forwardEdgePoints(source, target, waypointsOf.get(key) ?? [], placement.waypointAt);
      edges.push({
        from: name,
        to: transition.to,
        kind: transition.kind,
        ...(transition.label === undefined ? {} : { label: transition.label }),
        taken: taken.has(key),
        back,
        points,
      });
    }
  }
  return edges;
};

/** Nested graphs, moved into their container's box (side by side for Parallel branches). */
const placeNested = (nested: ReadonlyMap<string, GraphLayout[]>, placement: Placement, edges: GraphEdge[]): void => {
  for (const [name, children] of nested) {
    const container = placement.box.get(name)!;
    let offsetX = container.x + (container.width - childrenWidth(children)) / 2;
    for (const child of children) {
      const offsetY = container.y + CONTAINER_HEADER;
      placement.nodes.push(...child.nodes.map((node) => ({ ...node, x: node.x + offsetX, y: node.y + offsetY })));
      edges.push(
        ...child.edges.map((edge) => ({
          ...edge,
          points: edge.points.map(([px, py]): [number, number] => [px + offsetX, py + offsetY]),
        })),
      );
      offsetX += child.width + H_GAP;
    }
  }
};

const layoutBlock = (
  block: AslDefinition,
  trace: ExecutionTrace | undefined,
  parent: string | undefined,
): GraphLayout => {
  // An execution whose workflow the stack no longer runs has no definition to draw.
  if (Object.keys(block.States).length === 0) return { width: 0, height: 0, nodes: [], edges: [] };
  const graph = blockGraph(block);
  const layerOf = layersOf(graph);
  const { waypointsOf, predecessors } = addWaypoints(graph, layerOf);
  const { nested, size } = sizeStates(graph, trace);
  const layers = orderLayers([...graph.order, ...[...waypointsOf.values()].flat()], layerOf, predecessors);

  const widthOf = (name: string): number => size.get(name)?.width ?? WAYPOINT_WIDTH;
  const layerWidth = (layer: readonly string[]): number =>
    layer.reduce((sum, name) => sum + widthOf(name), 0) + H_GAP * Math.max(0, layer.length - 1);
  const { backEdges } = graph;
  const contentWidth = Math.max(...layers.map(layerWidth));
  const width = contentWidth + 2 * PADDING + (backEdges.size > 0 ? BACK_EDGE_LANE * (backEdges.size + 1) : 0);

  const stateOf = new Map(graph.states);
  const placement = placeLayers(layers, contentWidth, layerWidth, size, (name) =>
    nodeDetails(name, stateOf.get(name), parent, (nested.get(name) ?? []).length > 0, trace),
  );
  const edges = routeEdges(graph, placement, waypointsOf, contentWidth, trace);
  placeNested(nested, placement, edges);
  return { width, height: placement.height, nodes: placement.nodes, edges };
};

/** The whole state machine; with an execution's trace, each state's status and the transitions taken. */
export const layoutGraph = (definition: AslDefinition, trace?: ExecutionTrace): GraphLayout =>
  layoutBlock(definition, trace, undefined);
