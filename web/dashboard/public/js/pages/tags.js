// Tags: how many problems each tag gets per week and how well they are solved (GET /api/tags).
import { getJson } from '../lib/api.js';
import { chartBox, drawChart, SERIES } from '../lib/charts.js';
import { h, replace } from '../lib/dom.js';
import { formatCount, formatPercent, formatWeek } from '../lib/format.js';
import { emptyState, note, runPage } from '../lib/page.js';
import { rangeWords } from '../lib/period.js';

// More lines than this make a chart nobody can read; the table has every tag.
const CHART_TAGS = 6;

function table(tags) {
  return h('table', { class: 'tags' },
    h('thead', {}, h('tr', {}, ['Tag', 'Problems', 'Solved', 'Solve rate'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, tags.map((t) => h('tr', { 'data-tag': t.tag },
      h('th', { scope: 'row' }, t.tag), h('td', { class: 'num' }, formatCount(t.total)), h('td', { class: 'num' }, formatCount(t.solved)),
      h('td', { class: 'num' }, formatPercent(t.solveRate))))));
}

function weeklyRate(w) {
  return w.opened === 0 ? null : Math.round(Math.min(1, w.solved / w.opened) * 100);
}

function lines(weeks, tags, value, scales) {
  return {
    type: 'line',
    data: {
      labels: weeks.map(formatWeek),
      datasets: tags.map((t, i) => ({
        label: t.tag, data: t.weeks.map(value), borderColor: SERIES[i % SERIES.length],
        backgroundColor: SERIES[i % SERIES.length], tension: 0.2, spanGaps: true,
      })),
    },
    options: { scales },
  };
}

async function render(container) {
  const data = await getJson('/api/tags');
  const tags = [...data.tags].sort((a, b) => b.total - a.total || a.tag.localeCompare(b.tag));
  if (!tags.some((t) => t.total > 0)) {
    replace(container, h('p', { class: 'range' }, rangeWords(data.period)), emptyState('No tagged problems in this period yet.'));
    return 'empty';
  }
  const top = tags.slice(0, CHART_TAGS);
  const weeks = top[0].weeks.map((w) => w.weekStart);
  const volume = chartBox(`Problems per week for the ${top.length} busiest tags`);
  const rate = chartBox(`Solve rate per week for the ${top.length} busiest tags`);
  replace(container, h('p', { class: 'range' }, rangeWords(data.period)),
    h('section', { class: 'panel' }, h('h2', {}, `Problems per week, ${top.length} busiest tags`), volume.box),
    h('section', { class: 'panel' }, h('h2', {}, 'Solve rate per week'),
      note('Problems solved that week divided by problems opened that week (capped at 100%); gaps are weeks with none opened.'), rate.box),
    h('section', { class: 'panel' }, h('h2', {}, 'All tags'), table(tags)));
  drawChart(volume.canvas, lines(weeks, top, (w) => w.opened, { y: { beginAtZero: true, ticks: { precision: 0 } } }));
  drawChart(rate.canvas, lines(weeks, top, weeklyRate, { y: { min: 0, max: 100, title: { display: true, text: '%' } } }));
  return 'ready';
}

runPage(render);
