// Overview: the headline numbers, each with its change from the previous period, and the weekly
// trend of problems opened and solved (GET /api/overview).
import { getJson } from '../lib/api.js';
import { chartBox, COLORS, drawChart } from '../lib/charts.js';
import { h, replace } from '../lib/dom.js';
import { formatChange, formatCount, formatDuration, formatPercent, formatWeek } from '../lib/format.js';
import { emptyState, note, runPage } from '../lib/page.js';
import { previousPeriodWords, rangeWords } from '../lib/period.js';

// `better` says which direction of change is good news, for its colour.
const METRICS = [
  { key: 'bypassRate', label: 'Bypass rate over the whole period: members reaching each other without the bot', kind: 'rate', better: 'up', headline: true },
  { key: 'problemsOpened', label: 'Problems opened', kind: 'count', better: null },
  { key: 'problemsSolved', label: 'Problems solved', kind: 'count', better: 'up' },
  { key: 'solveRate', label: 'Solve rate', kind: 'rate', better: 'up' },
  { key: 'medianTimeToFirstResponseMs', label: 'Median time to first response', kind: 'duration', better: 'down' },
  { key: 'activeHelpers', label: 'Active helpers', kind: 'count', better: 'up' },
  { key: 'newTiesConcierge', label: 'New ties made by the concierge', kind: 'count', better: 'up' },
  { key: 'newTiesDirect', label: 'New ties made directly', kind: 'count', better: 'up' },
];

const FORMAT = { count: formatCount, rate: formatPercent, duration: formatDuration };

function card(metric, value) {
  const tone =
    value.change === null || value.change === 0 || metric.better === null ? 'neutral' : value.change > 0 === (metric.better === 'up') ? 'good' : 'bad';
  return h(
    'section',
    { class: `card ${tone}${metric.headline ? ' headline' : ''}`, 'data-metric': metric.key },
    h('h2', {}, metric.label),
    h('p', { class: 'value' }, FORMAT[metric.kind](value.value)),
    h('p', { class: 'change' }, `${formatChange(value.change, metric.kind)} vs ${previousPeriodWords()}`),
  );
}

function trendSection(trend) {
  const latest = trend.at(-1);
  const section = h(
    'section',
    { class: 'panel' },
    h('h2', {}, 'Problems opened and solved per week'),
    latest
      ? h('p', { class: 'this-week', 'data-week': latest.weekStart }, `This week: ${formatCount(latest.opened)} opened, ${formatCount(latest.solved)} solved.`)
      : null,
  );
  const { box, canvas } = chartBox('Problems opened and solved per week');
  section.append(box);
  return { section, canvas };
}

/** Who the community is: people, not accounts, and pairs that are probably one person. */
function peopleLine(p) {
  const same = p.probablySamePerson;
  return h(
    'p',
    { class: 'people', 'data-people': String(p.people), 'data-accounts': String(p.accounts), 'data-same-person': String(same) },
    `${formatCount(p.people)} people with ${formatCount(p.accounts)} accounts; ${formatCount(p.linkedPeople)} use both platforms. `,
    same === 0
      ? 'No unlinked accounts look like one person.'
      : h(
          'a',
          { href: `/helpers${location.search}#same-person` },
          `${formatCount(same)} ${same === 1 ? 'pair is' : 'pairs are'} probably the same person, not linked yet.`,
        ),
  );
}

async function render(container) {
  const data = await getJson('/api/overview');
  const active = data.trend.some((w) => w.opened > 0 || w.solved > 0);
  const cards = h(
    'div',
    { class: 'cards' },
    METRICS.map((m) => card(m, data.metrics[m.key])),
  );
  replace(
    container,
    h('p', { class: 'range' }, rangeWords(data.period)),
    cards,
    note(
      'Bypass rate: of the exchanges where the bot was an option (members it introduced, requests that were solved), the share that happened without it, counted over the whole period above. Connection growth shows the same measure week by week, so its latest full week differs from this figure.',
    ),
    peopleLine(data.people),
  );
  // The API words what cannot be observed best; it replaces the layout's general statement.
  replace(document.querySelector('.not-observable'), h('p', {}, data.notObservable));
  if (!active) {
    container.append(
      emptyState('No problems in this period yet. Once members push the button in Matrix or on the forum, their requests and the help they get show up here.'),
    );
    return 'empty';
  }
  const { section, canvas } = trendSection(data.trend);
  container.append(section);
  drawChart(canvas, {
    type: 'bar',
    data: {
      labels: data.trend.map((w) => formatWeek(w.weekStart)),
      datasets: [
        { label: 'Opened', data: data.trend.map((w) => w.opened), backgroundColor: COLORS.opened },
        { label: 'Solved', data: data.trend.map((w) => w.solved), backgroundColor: COLORS.solved },
      ],
    },
    options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  return 'ready';
}

runPage(render);
