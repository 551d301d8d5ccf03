// Network: who is in contact with whom (GET /api/network). Nodes are sized by activity, edges
// coloured by how the tie was made; brokers (members linking otherwise separate people) are
// ringed, isolated members drawn hollow and listed by name. Opted-out members are a count only.
import { getJson } from '../lib/api.js';
import { COLORS } from '../lib/charts.js';
import { h, replace } from '../lib/dom.js';
import { formatCount, formatPercent } from '../lib/format.js';
import { emptyState, note, runPage } from '../lib/page.js';
import { accountsText } from '../lib/people.js';
import { rangeWords } from '../lib/period.js';

// Past a few hundred nodes or a thousand lines a graph is neither readable nor quick to draw:
// the most active members and the strongest ties among them are drawn, and the page says so.
const MAX_NODES = 150;
const MAX_EDGES = 450;
const BROKERS_SHOWN = 5;
// brokerScore is betweenness scaled to the strongest broker (1): below half of that, a member
// is part of a cluster rather than a bridge between clusters.
const BROKER_MIN_SCORE = 0.5;
// Names on every node of a busy graph overlap into noise: at most this many carry a label, and
// only where a label does not cover another (tap any node for its name).
const LABELLED = 40;
// A few isolated members stand out in the graph; dozens would bury it: then only the list shows them.
const ISOLATED_DRAWN = 12;
// Force-directed layout reads best, but its cost grows quickly; larger graphs use rings.
const FORCE_LAYOUT_MAX = 120;
const RING_GAP = 70;
const NODE_SPACING = 45;

function pickBrokers(nodes) {
  return nodes
    .filter((n) => !n.isolated && n.brokerScore >= BROKER_MIN_SCORE)
    .sort((a, b) => b.brokerScore - a.brokerScore || b.activity - a.activity)
    .slice(0, BROKERS_SHOWN);
}

/** The strongest ties between drawn members, at most MAX_EDGES. */
function strongestEdges(nodes, edges) {
  const ids = new Set(nodes.map((n) => n.id));
  return edges
    .filter((e) => ids.has(e.source) && ids.has(e.target))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, MAX_EDGES);
}

/** Rings around the most active member, busier members nearer the centre: instant for any size. */
function ringPositions(nodes) {
  const positions = new Map();
  let placed = 0;
  for (let ring = 0; placed < nodes.length; ring++) {
    const capacity = ring === 0 ? 1 : Math.floor((2 * Math.PI * ring * RING_GAP) / NODE_SPACING);
    const members = nodes.slice(placed, placed + capacity);
    members.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / members.length + ring * 0.5;
      positions.set(n.id, { x: ring * RING_GAP * Math.cos(angle), y: ring * RING_GAP * Math.sin(angle) });
    });
    placed += members.length;
  }
  return positions;
}

/**
 * Keeps a name only where it covers no name kept before it: brokers first, then isolated
 * members, then the most active. Labels scale with the graph, so what overlaps at one zoom
 * overlaps at every zoom; a dropped name shows on tap.
 */
function declutterLabels(cy) {
  const kept = [];
  const order = cy
    .nodes()
    .filter((n) => n.data('label'))
    .sort(
      (a, b) =>
        Number(b.data('broker')) - Number(a.data('broker')) ||
        Number(b.data('isolated')) - Number(a.data('isolated')) ||
        b.data('activity') - a.data('activity'),
    );
  const PAD = 2;
  for (const node of order) {
    const box = node.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true });
    const clashes = kept.some((k) => box.x1 < k.x2 + PAD && k.x1 < box.x2 + PAD && box.y1 < k.y2 + PAD && k.y1 < box.y2 + PAD);
    if (clashes) node.data('label', '');
    else kept.push(box);
  }
}

function elements(nodes, edges, brokerIds) {
  const maxActivity = Math.max(1, ...nodes.map((n) => n.activity));
  const labelled = new Set(
    [...nodes]
      .sort((a, b) => b.activity - a.activity)
      .slice(0, LABELLED)
      .map((n) => n.id),
  );
  const maxWeight = Math.max(1, ...edges.map((e) => e.weight));
  const positions = nodes.length > FORCE_LAYOUT_MAX ? ringPositions(nodes) : null;
  return [
    ...nodes.map((n) => ({
      position: positions?.get(n.id) ?? { x: 0, y: 0 },
      data: {
        id: n.id,
        name: n.label,
        accounts: accountsText(n.accounts),
        activity: n.activity,
        size: 14 + 36 * Math.sqrt(n.activity / maxActivity),
        label: labelled.has(n.id) || brokerIds.has(n.id) || n.isolated ? n.label : '',
        isolated: n.isolated,
        broker: brokerIds.has(n.id),
      },
    })),
    ...edges.map((e, i) => ({
      data: { id: `e${i}`, source: e.source, target: e.target, kind: e.kind, width: 1 + 5 * Math.sqrt(e.weight / maxWeight) },
    })),
  ];
}

const STYLE = [
  {
    selector: 'node',
    style: {
      width: 'data(size)',
      height: 'data(size)',
      'background-color': '#475569',
      label: 'data(label)',
      'font-size': 14,
      color: '#1f2937',
      'text-valign': 'bottom',
      'text-margin-y': 2,
      'min-zoomed-font-size': 7,
    },
  },
  { selector: 'node[?isolated]', style: { 'background-color': '#ffffff', 'border-width': 2, 'border-style': 'dashed', 'border-color': '#9ca3af' } },
  { selector: 'node[?broker]', style: { 'background-color': '#7c3aed', 'border-width': 4, 'border-color': '#facc15', 'font-weight': 'bold', 'font-size': 16 } },
  { selector: 'edge', style: { width: 'data(width)', opacity: 0.7, 'curve-style': 'haystack' } },
  { selector: 'edge[kind = "concierge"]', style: { 'line-color': COLORS.concierge } },
  { selector: 'edge[kind = "direct"]', style: { 'line-color': COLORS.direct } },
];

function legend() {
  const swatch = (cls, text) => h('li', {}, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), text);
  return h(
    'ul',
    { class: 'legend' },
    swatch('concierge', 'tie made by the concierge'),
    swatch('direct', 'tie made directly'),
    swatch('broker', 'broker: links people who are not otherwise in contact'),
    swatch('isolated', 'isolated: no interaction in this period'),
    h('li', {}, 'Larger circle: more interactions.'),
  );
}

function sidePanel(data, brokers, isolated, withGraph) {
  return h(
    'aside',
    { class: 'side' },
    withGraph ? h('p', { class: 'selected', 'aria-live': 'polite' }, 'Tap a member in the graph to see who it is.') : null,
    h('h2', {}, 'Brokers'),
    h('p', { class: 'muted' }, 'Members who connect people who are not otherwise in contact.'),
    brokers.length === 0
      ? h('p', {}, 'Nobody links separate groups yet.')
      : h(
          'ol',
          { class: 'brokers' },
          brokers.map((b) => h('li', {}, b.label)),
        ),
    h('h2', {}, `Isolated members (${formatCount(isolated.length)})`),
    isolated.length === 0
      ? h('p', {}, 'Everyone interacted with someone.')
      : h(
          'ul',
          { class: 'isolated' },
          isolated.map((n) => h('li', {}, n.label)),
        ),
    h(
      'p',
      { class: 'opted-out' },
      'Members who opted out: ',
      h('strong', { 'data-opted-out': String(data.optedOutMembers) }, formatCount(data.optedOutMembers)),
      ' (not shown).',
    ),
    data.summary ? shape(data.summary) : null,
    data.probablySamePerson.length === 0
      ? null
      : h(
          'div',
          { class: 'same-person-list' },
          h('h2', {}, `Probably the same person (${formatCount(data.probablySamePerson.length)})`),
          h('p', { class: 'muted' }, 'Not linked yet, so drawn as two. The helpers page says more.'),
          h(
            'ul',
            {},
            data.probablySamePerson.map((p) => h('li', {}, `${p.a.name} and ${p.b.name} (${accountsText(p.b.accounts)})`)),
          ),
        ),
  );
}

/** The whole graph in four numbers, for those who track them over time. */
function shape(summary) {
  const item = (term, value, key) => [h('dt', {}, term), h('dd', { 'data-summary': key }, value)];
  return h(
    'dl',
    { class: 'facts shape' },
    item('Active members', formatCount(summary.activeMembers), 'activeMembers'),
    item('Density', formatPercent(summary.density), 'density'),
    item('Reciprocity', formatPercent(summary.reciprocity), 'reciprocity'),
    item('Clustering', formatPercent(summary.clustering), 'clustering'),
  );
}

// Cytoscape injects an inline <style> unless an element with this id exists; the CSP refuses
// inline styles, so the same rule comes from a stylesheet file instead.
function cytoscapeStylesheet() {
  const id = '__________cytoscape_stylesheet';
  if (document.getElementById(id)) return;
  document.head.prepend(h('link', { id, rel: 'stylesheet', href: new URL('../../cytoscape.css', import.meta.url).href }));
}

/** Says what the graph leaves out, if anything. */
function coverage(data, candidates, shown, ties) {
  const parts = [];
  if (shown.length < candidates.length) parts.push(`the ${formatCount(shown.length)} most active of ${formatCount(candidates.length)} members`);
  if (ties.length < data.edges.length) parts.push(`the ${formatCount(ties.length)} strongest of ${formatCount(data.edges.length)} ties`);
  const drawn = parts.length ? `Showing ${parts.join(' and ')}. ` : '';
  const listed = candidates.length < data.nodes.length ? 'Isolated members are listed beside the graph, not drawn.' : '';
  return drawn || listed ? note(`${drawn}${listed}`) : null;
}

async function render(container) {
  // The graph library (~440 kB) loads while the API answers, not before the request starts.
  const [data, { default: cytoscape }] = await Promise.all([getJson('/api/network'), import('../../../vendor/cytoscape.esm.min.mjs')]);
  const isolated = data.nodes.filter((n) => n.isolated);
  if (data.nodes.length === 0 || data.edges.length === 0) {
    replace(
      container,
      h('p', { class: 'range' }, rangeWords(data.period)),
      emptyState('No member has interacted with another in this period yet, so there is no network to draw.'),
      sidePanel(data, [], isolated, false),
    );
    return 'empty';
  }
  const candidates = isolated.length > ISOLATED_DRAWN ? data.nodes.filter((n) => !n.isolated) : data.nodes;
  const shown = [...candidates].sort((a, b) => b.activity - a.activity).slice(0, MAX_NODES);
  const ties = strongestEdges(shown, data.edges);
  const brokers = pickBrokers(data.nodes);
  const graph = h('div', { class: 'graph', role: 'img', 'aria-label': 'Member network graph' });
  replace(
    container,
    h('p', { class: 'range' }, rangeWords(data.period)),
    coverage(data, candidates, shown, ties),
    legend(),
    h('div', { class: 'network' }, graph, sidePanel(data, brokers, isolated, true)),
  );
  cytoscapeStylesheet();
  // Laid out headless, then mounted: the graph is drawn once, in place, instead of twice.
  const cy = cytoscape({
    headless: true,
    styleEnabled: true,
    elements: elements(shown, ties, new Set(brokers.map((b) => b.id))),
    style: STYLE,
    // Keep the positions given (the default would stack every node at the origin).
    layout: { name: 'preset' },
    minZoom: 0.2,
    maxZoom: 4,
    // Pan and zoom stay smooth on large graphs: edges are hidden while the view moves.
    hideEdgesOnViewport: true,
    textureOnViewport: true,
  });
  if (shown.length <= FORCE_LAYOUT_MAX) {
    const layout = cy.layout({ name: 'cose', animate: false, randomize: true, nodeRepulsion: () => 8000, idealEdgeLength: () => 60, numIter: 600, fit: false });
    const done = layout.promiseOn('layoutstop');
    layout.run();
    await done;
  }
  cy.mount(graph);
  declutterLabels(cy);
  cy.fit(undefined, 20);
  // For tests and the curious: the boxes of the names drawn, in page pixels.
  graph.labelBoxes = () =>
    cy
      .nodes()
      .filter((n) => n.data('label'))
      .map((n) => n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true }));
  cy.on('tap', 'node', (event) => {
    const n = event.target.data();
    replace(container.querySelector('.selected'), h('strong', {}, n.name), ` (${n.accounts}) · ${formatCount(n.activity)} interactions in this period`);
  });
  graph.dataset.nodes = String(cy.nodes().length);
  graph.dataset.edges = String(cy.edges().length);
  return 'ready';
}

runPage(render);
