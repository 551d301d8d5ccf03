// Tags: how many problems each tag gets per week and how well they are solved (GET /api/tags),
// and the vocabulary with the tags proposed from the community's messages (GET
// /api/tag-vocabulary): the community team approves, rejects, renames and merges them here
// (forms post to /console/tag-*); viewers see the list only.
import { getJson } from '../lib/api.js';
import { chartBox, drawChart, SERIES } from '../lib/charts.js';
import { actionForm, hidden } from '../lib/console.js';
import { h, replace } from '../lib/dom.js';
import { formatCount, formatPercent, formatWeek } from '../lib/format.js';
import { emptyState, note, runPage } from '../lib/page.js';
import { rangeWords } from '../lib/period.js';

// More lines than this make a chart nobody can read; the table has every tag.
const CHART_TAGS = 6;

function table(tags) {
  return h(
    'table',
    { class: 'tags' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Tag', 'Problems', 'Solved', 'Solve rate'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      tags.map((t) =>
        h(
          'tr',
          { 'data-tag': t.tag },
          h('th', { scope: 'row' }, t.tag),
          h('td', { class: 'num' }, formatCount(t.total)),
          h('td', { class: 'num' }, formatCount(t.solved)),
          h('td', { class: 'num' }, formatPercent(t.solveRate)),
        ),
      ),
    ),
  );
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
        label: t.tag,
        data: t.weeks.map(value),
        borderColor: SERIES[i % SERIES.length],
        backgroundColor: SERIES[i % SERIES.length],
        tension: 0.2,
        spanGaps: true,
      })),
    },
    options: { scales },
  };
}

const STATUS_WORDS = { active: 'in use', proposed: 'proposed', rejected: 'rejected' };
const ORIGIN_WORDS = { forum: 'forum', config: 'configuration', suggested: 'suggested from messages' };

function tagActions(t, active) {
  const others = active.filter((a) => a.name !== t.name);
  const forms = [];
  if (t.status === 'proposed') {
    forms.push(actionForm('tag-approve', 'Approve', [hidden('tag', t.name)], { onDone: refresh }));
    forms.push(actionForm('tag-reject', 'Reject', [hidden('tag', t.name)], { onDone: refresh }));
  }
  if (t.status !== 'rejected') {
    forms.push(
      actionForm(
        'tag-rename',
        'Rename',
        [hidden('tag', t.name), h('label', { class: 'field' }, 'New name', h('input', { name: 'to', required: true, maxlength: 50, value: t.name }))],
        { onDone: refresh },
      ),
    );
  }
  if (t.status !== 'rejected' && others.length) {
    forms.push(
      actionForm(
        'tag-merge',
        'Merge',
        [
          hidden('tag', t.name),
          h(
            'label',
            { class: 'field' },
            'into',
            h(
              'select',
              { name: 'to', required: true },
              h('option', { value: '' }, 'Choose…'),
              others.map((o) => h('option', { value: o.name }, o.name)),
            ),
          ),
        ],
        { onDone: refresh },
      ),
    );
  }
  return h('div', { class: 'actions' }, forms);
}

function vocabularyPanel(v, message) {
  const order = { proposed: 0, active: 1, rejected: 2 };
  const tags = [...v.tags].sort((a, b) => order[a.status] - order[b.status] || a.name.localeCompare(b.name));
  const active = tags.filter((t) => t.status === 'active');
  const proposed = tags.filter((t) => t.status === 'proposed').length;
  return h(
    'section',
    { class: 'panel', 'data-section': 'vocabulary' },
    h('h2', {}, 'Tag vocabulary'),
    note(
      `Only tags in use tag requests and count in the figures above. Proposed tags are recurring themes of the community's messages, waiting for approval${proposed ? ` (${proposed} now)` : ''}; a rejected one is never proposed again.${v.mayAct ? ' Changes are recorded in the audit log under your name.' : ''}`,
    ),
    message ? h('p', { class: 'vocabulary-status', role: 'status' }, message) : null,
    h(
      'table',
      { class: 'vocabulary' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Tag', 'Status', 'From', 'Description', 'Problems', ...(v.mayAct ? [''] : [])].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        tags.map((t) =>
          h(
            'tr',
            { 'data-tag': t.name, 'data-status': t.status },
            h('th', { scope: 'row' }, t.name),
            h('td', { class: 'status' }, STATUS_WORDS[t.status] ?? t.status),
            h('td', {}, ORIGIN_WORDS[t.origin] ?? t.origin),
            h('td', { class: 'description' }, t.description ?? ''),
            h('td', { class: 'num' }, formatCount(t.problems)),
            v.mayAct ? h('td', {}, tagActions(t, active)) : null,
          ),
        ),
      ),
    ),
  );
}

/** Draws the vocabulary panel again after a change, with what the server said. */
async function refresh(answer) {
  const panel = document.querySelector('section[data-section="vocabulary"]');
  if (!panel) return;
  panel.replaceWith(vocabularyPanel(await getJson('/api/tag-vocabulary', {}, { withPeriod: false }), answer.message));
}

async function render(container) {
  const [data, vocabulary] = await Promise.all([getJson('/api/tags'), getJson('/api/tag-vocabulary', {}, { withPeriod: false })]);
  const tags = [...data.tags].sort((a, b) => b.total - a.total || a.tag.localeCompare(b.tag));
  const panel = vocabulary.tags.length ? vocabularyPanel(vocabulary) : null;
  if (!tags.some((t) => t.total > 0)) {
    replace(container, h('p', { class: 'range' }, rangeWords(data.period)), emptyState('No tagged problems in this period yet.'), panel);
    return panel ? 'ready' : 'empty';
  }
  const top = tags.slice(0, CHART_TAGS);
  const weeks = top[0].weeks.map((w) => w.weekStart);
  const volume = chartBox(`Problems per week for the ${top.length} busiest tags`);
  const rate = chartBox(`Solve rate per week for the ${top.length} busiest tags`);
  replace(
    container,
    h('p', { class: 'range' }, rangeWords(data.period)),
    h('section', { class: 'panel' }, h('h2', {}, `Problems per week, ${top.length} busiest tags`), volume.box),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, 'Solve rate per week'),
      note('Problems solved that week divided by problems opened that week (capped at 100%); gaps are weeks with none opened.'),
      rate.box,
    ),
    h('section', { class: 'panel' }, h('h2', {}, 'All tags'), table(tags)),
    panel,
  );
  drawChart(
    volume.canvas,
    lines(weeks, top, (w) => w.opened, { y: { beginAtZero: true, ticks: { precision: 0 } } }),
  );
  drawChart(rate.canvas, lines(weeks, top, weeklyRate, { y: { min: 0, max: 100, title: { display: true, text: '%' } } }));
  return 'ready';
}

runPage(render);
