// Audit log: every console action, who did it, when and how it ended (GET /api/audit),
// filterable by staff member, action and days.
import { getJson } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
import { formatDayTime } from '../lib/format.js';
import { emptyState, note, runPage } from '../lib/page.js';

const FILTERS = ['staff', 'kind', 'from', 'to'];

function filterForm(values) {
  return h(
    'form',
    { class: 'filters', method: 'get' },
    h('label', {}, 'Who ', h('input', { name: 'staff', value: values.staff ?? '' })),
    h('label', {}, 'What ', h('input', { name: 'kind', value: values.kind ?? '', placeholder: 'invite, solve…' })),
    h('label', {}, 'From ', h('input', { name: 'from', type: 'date', value: values.from ?? '' })),
    h('label', {}, 'To ', h('input', { name: 'to', type: 'date', value: values.to ?? '' })),
    h('button', { type: 'submit' }, 'Filter'),
  );
}

async function render(container) {
  const query = new URLSearchParams(location.search);
  const values = Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? undefined]));
  const { actions } = await getJson('/api/audit', values, { withPeriod: false });
  const table = h(
    'table',
    { class: 'audit' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['When', 'Who', 'Role', 'What', 'About', 'Details', 'Outcome'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      actions.map((a) =>
        h(
          'tr',
          { 'data-action': a.id },
          h('td', {}, formatDayTime(a.at)),
          h('td', { class: 'staff' }, a.staff),
          h('td', {}, a.role),
          h('td', {}, a.kind),
          h('td', {}, a.subject),
          h(
            'td',
            { class: 'detail' },
            Object.entries(a.detail)
              .filter(([k]) => k !== 'kind')
              .map(([k, v]) => `${k}: ${v}`)
              .join('; '),
          ),
          h('td', { class: 'outcome' }, a.outcome),
        ),
      ),
    ),
  );
  replace(
    container,
    note('Every action taken on the console, newest first.'),
    filterForm(values),
    actions.length ? table : emptyState('No console actions match.'),
  );
  return actions.length ? 'ready' : 'empty';
}

runPage(render);
