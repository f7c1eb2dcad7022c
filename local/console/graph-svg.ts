import type { GraphEdge, GraphLayout, GraphNode } from '#local/console/graph-layout';
import { htmlText } from '#local/console/console-text';

/**
 * The layout as inline SVG: no script, styled by console.css through classes only (the page's
 * CSP allows no inline style). Each state links to its details (`#state-<n>`), which CSS shows
 * with :target, so a click needs no JavaScript.
 */
const round = (value: number): string => String(Math.round(value * 10) / 10);

const edgePath = (edge: GraphEdge): string => {
  const [first, ...rest] = edge.points;
  if (!first) return '';
  const segments = rest.map(([x, y], index) => {
    const [px, py] = edge.points[index] as [number, number];
    // Between layers a forward edge bends as a vertical S-curve; straight down through a layer, or along a loop's lane.
    if (edge.back || px === x) return `L${round(x)},${round(y)}`;
    const middle = (py + y) / 2;
    return `C${round(px)},${round(middle)} ${round(x)},${round(middle)} ${round(x)},${round(y)}`;
  });
  return `M${round(first[0])},${round(first[1])} ${segments.join(' ')}`;
};

const edgeTitle = (edge: GraphEdge): string => {
  const what = { next: 'Next', default: 'Default', choice: 'Choice', catch: 'Catch' }[edge.kind];
  return `${edge.from} → ${edge.to} (${what}${edge.label ? `: ${edge.label}` : ''})${edge.taken ? ', taken' : ''}`;
};

const renderEdge = (edge: GraphEdge): string =>
  `<path class="edge edge-${edge.kind}${edge.taken ? ' taken' : ''}" d="${edgePath(edge)}" marker-end="url(#${edge.taken ? 'arrow-taken' : 'arrow'})"><title>${htmlText(edgeTitle(edge))}</title></path>`;

const nodeTitle = (node: GraphNode): string =>
  [
    `${node.name} (${node.type})`,
    node.status === 'not-run' ? 'not run' : node.status,
    node.runs > 1 ? `${node.runs} runs` : '',
    node.retries > 0 ? `${node.retries} retries` : '',
  ]
    .filter(Boolean)
    .join(', ');

const renderNode = (node: GraphNode, anchor: string): string => {
  const classes = ['node', `status-${node.status}`, node.container ? 'container' : ''].filter(Boolean).join(' ');
  const labelY = node.container ? node.y + 17 : node.y + node.height / 2 + 4.5;
  const labelX = node.container ? node.x + 10 : node.x + node.width / 2;
  const badges = [node.retries > 0 ? `↻${node.retries}` : '', node.runs > 1 ? `×${node.runs}` : ''].filter(Boolean);
  const badge = badges.length
    ? `<text class="badge" x="${round(node.x + node.width - 6)}" y="${round(node.y + 12)}">${htmlText(badges.join(' '))}</text>`
    : '';
  return (
    `<a href="#${anchor}" class="${classes}" data-state="${htmlText(node.name)}" data-status="${node.status}"><title>${htmlText(nodeTitle(node))}</title>` +
    `<rect x="${round(node.x)}" y="${round(node.y)}" width="${round(node.width)}" height="${round(node.height)}" rx="6"/>` +
    `<text class="${node.container ? 'label container-label' : 'label'}" x="${round(labelX)}" y="${round(labelY)}">${htmlText(node.name)}</text>${badge}</a>`
  );
};

/** `anchorOf` names each state's details section (the states in the layout's order). */
export const renderGraphSvg = (layout: GraphLayout, anchorOf: (name: string) => string): string => {
  // Containers first, so their nested states are drawn over them; edges over the boxes they connect.
  const containers = layout.nodes.filter((node) => node.container);
  const states = layout.nodes.filter((node) => !node.container);
  return `<svg class="graph" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="State machine graph" width="${round(layout.width)}" height="${round(layout.height)}" viewBox="0 0 ${round(layout.width)} ${round(layout.height)}">
<defs>
<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path class="arrow" d="M0,0 L10,5 L0,10 z"/></marker>
<marker id="arrow-taken" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path class="arrow taken" d="M0,0 L10,5 L0,10 z"/></marker>
</defs>
${containers.map((node) => renderNode(node, anchorOf(node.name))).join('\n')}
${layout.edges
  .filter((edge) => !edge.taken)
  .map(renderEdge)
  .join('\n')}
${layout.edges
  .filter((edge) => edge.taken)
  .map(renderEdge)
  .join('\n')}
${states.map((node) => renderNode(node, anchorOf(node.name))).join('\n')}
</svg>`;
};
