// Connection growth, the headline chart: new ties per week, stacked concierge-made vs direct, and
// the bypass rate over time (GET /api/connections).
import { getJson } from '../lib/api.js';
import { chartBox, COLORS, drawChart } from '../lib/charts.js';
import { h, replace } from '../lib/dom.js';
import { formatCount, formatPercent, formatWeek } from '../lib/format.js';
import { emptyState, note, runPage } from '../lib/page.js';
import { rangeWords } from '../lib/period.js';

const WEEK_MS = 7 * 86_400_000;

function totals(weeks) {
  const concierge = weeks.reduce((s, w) => s + w.conciergeTies, 0);
  const direct = weeks.reduce((s, w) => s + w.directTies, 0);
  // The current week is still running: the figure to quote is the last full week's.
  const full = weeks.filter((w) => Date.parse(`${w.weekStart}T00:00:00Z`) + WEEK_MS <= Date.now());
  const lastFull = full.findLast((w) => w.bypassRate !== null);
  return h(
    'p',
    { class: 'summary' },
    'In this period: ',
    h('strong', { 'data-total': 'concierge' }, formatCount(concierge)),
    ' new ties made by the concierge, ',
    h('strong', { 'data-total': 'direct' }, formatCount(direct)),
    ' made directly. ',
    lastFull ? `Bypass rate in the last full week with exchanges (week of ${formatWeek(lastFull.weekStart)}): ` : 'Bypass rate in the last full week: ',
    h('strong', { 'data-total': 'bypass' }, formatPercent(lastFull?.bypassRate ?? null)),
    '.',
  );
}

function weeklyTable(weeks) {
  return h(
    'details',
    { class: 'figures' },
    h('summary', {}, 'Weekly figures'),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Week of', 'Concierge-made ties', 'Direct ties', 'Bypass rate', 'Interactions'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        weeks.map((w) =>
          h(
            'tr',
            {},
            h('td', {}, formatWeek(w.weekStart)),
            h('td', { class: 'num' }, formatCount(w.conciergeTies)),
            h('td', { class: 'num' }, formatCount(w.directTies)),
            h('td', { class: 'num' }, formatPercent(w.bypassRate)),
            h('td', { class: 'num' }, formatCount(w.interactions)),
          ),
        ),
      ),
    ),
  );
}

async function render(container) {
  const data = await getJson('/api/connections');
  const weeks = data.weeks;
  const explain = note(
    'A tie is the first interaction between two members. Concierge-made ties began with an invitation or introduction by the bot; direct ones did not. The bypass rate is the share of exchanges where the bot was an option that happened without it: the rising line is the goal.',
  );
  if (!weeks.some((w) => w.conciergeTies + w.directTies + w.interactions > 0)) {
    replace(
      container,
      h('p', { class: 'range' }, rangeWords(data.period)),
      emptyState('No connections between members in this period yet. Ties appear here once members answer each other.'),
      explain,
    );
    return 'empty';
  }
  const { box, canvas } = chartBox('New ties per week, concierge-made and direct, with the bypass rate', 'chart tall');
  replace(container, h('p', { class: 'range' }, rangeWords(data.period)), totals(weeks), box, explain, weeklyTable(weeks));
  drawChart(canvas, {
    data: {
      labels: weeks.map((w) => formatWeek(w.weekStart)),
      datasets: [
        { type: 'bar', label: 'Concierge-made ties', data: weeks.map((w) => w.conciergeTies), backgroundColor: COLORS.concierge, stack: 'ties', yAxisID: 'y' },
        { type: 'bar', label: 'Direct ties', data: weeks.map((w) => w.directTies), backgroundColor: COLORS.direct, stack: 'ties', yAxisID: 'y' },
        {
          type: 'line',
          label: 'Bypass rate',
          data: weeks.map((w) => (w.bypassRate === null ? null : Math.round(w.bypassRate * 1000) / 10)),
          borderColor: COLORS.line,
          backgroundColor: COLORS.line,
          yAxisID: 'rate',
          spanGaps: true,
          tension: 0.2,
        },
      ],
    },
    options: {
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'New ties' } },
        rate: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false }, title: { display: true, text: 'Bypass rate (%)' } },
      },
    },
  });
  return 'ready';
}

runPage(render);
