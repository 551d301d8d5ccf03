// Problems: a searchable, filterable list (GET /api/problems). The filters are a plain GET form,
// so every view is a URL that can be shared or bookmarked.
import { getJson } from '../lib/api.js';
import { h, replace } from '../lib/dom.js';
import { formatCount, formatDay, formatDuration } from '../lib/format.js';
import { emptyState, note, runPage } from '../lib/page.js';
import { rangeWords } from '../lib/period.js';
import { PLATFORM_NAMES, STATUSES, pagePath, statusBadge, tagList } from '../lib/problem-bits.js';

const PAGE_SIZE = 50;

function readFilters() {
  const q = new URLSearchParams(location.search);
  const offset = Number.parseInt(q.get('offset') ?? '0', 10);
  return {
    q: q.get('q') ?? '',
    status: q.get('status') ?? '',
    tag: q.get('tag') ?? '',
    platform: q.get('platform') ?? '',
    offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
  };
}

function select(name, label, value, options) {
  return h(
    'label',
    {},
    label,
    ' ',
    h(
      'select',
      { name },
      h('option', { value: '' }, 'any'),
      options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
    ),
  );
}

function filterForm(f) {
  return h(
    'form',
    { class: 'filters', method: 'get', role: 'search' },
    h('input', { type: 'hidden', name: 'period', value: document.body.dataset.period }),
    h(
      'label',
      {},
      'Search ',
      h('input', { type: 'search', name: 'q', value: f.q, placeholder: document.body.dataset.role === 'admin' ? 'words in the request' : 'tag words' }),
    ),
    select(
      'status',
      'Status',
      f.status,
      STATUSES.map((s) => [s, s]),
    ),
    h('label', {}, 'Tag ', h('input', { type: 'text', name: 'tag', value: f.tag, list: 'tag-names', size: 14 })),
    h('datalist', { id: 'tag-names' }),
    select('platform', 'Platform', f.platform, Object.entries(PLATFORM_NAMES)),
    h('button', { type: 'submit' }, 'Filter'),
    h('a', { href: pagePath('/problems') }, 'Clear'),
  );
}

function row(p) {
  return h(
    'tr',
    { 'data-problem': String(p.id) },
    h('td', {}, formatDay(p.createdAt)),
    h('td', {}, h('a', { href: pagePath(`/problems/${p.id}`) }, p.title)),
    h('td', {}, statusBadge(p.status)),
    h('td', {}, tagList(p.tags)),
    h('td', {}, PLATFORM_NAMES[p.platform] ?? p.platform),
    h('td', { class: 'num' }, formatDuration(p.timeToFirstResponseMs)),
    h('td', {}, p.responders.length === 0 ? h('span', { class: 'muted' }, 'nobody yet') : p.responders.join(', ')),
  );
}

function pager(f, total) {
  const link = (offset, text) => {
    const q = new URLSearchParams(location.search);
    q.set('offset', String(offset));
    return h('a', { href: `?${q}` }, text);
  };
  const last = Math.min(f.offset + PAGE_SIZE, total);
  return h(
    'p',
    { class: 'pager' },
    f.offset > 0 ? link(Math.max(0, f.offset - PAGE_SIZE), '← Newer') : null,
    ` ${formatCount(f.offset + 1)}–${formatCount(last)} of `,
    h('strong', { 'data-total': String(total) }, formatCount(total)),
    ' ',
    last < total ? link(f.offset + PAGE_SIZE, 'Older →') : null,
  );
}

async function fillTagNames(datalist) {
  const tags = await getJson('/api/tags').catch(() => ({ tags: [] }));
  replace(
    datalist,
    tags.tags.map((t) => h('option', { value: t.tag })),
  );
}

async function render(container) {
  const f = readFilters();
  const data = await getJson('/api/problems', { ...f, offset: f.offset || undefined, limit: PAGE_SIZE });
  const form = filterForm(f);
  const viewerNote = document.body.dataset.role === 'admin' ? null : note('Request titles and text are shown to the admin login only.');
  const filtered = f.q || f.status || f.tag || f.platform;
  if (data.items.length === 0) {
    replace(
      container,
      h('p', { class: 'range' }, rangeWords(data.period)),
      form,
      emptyState(filtered ? 'No problem matches these filters in this period.' : 'No problems were opened in this period yet.'),
    );
    return 'empty';
  }
  const table = h(
    'table',
    { class: 'problems' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Opened', 'Problem', 'Status', 'Tags', 'Platform', 'First response after', 'Responders'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h('tbody', {}, data.items.map(row)),
  );
  replace(container, h('p', { class: 'range' }, rangeWords(data.period)), form, viewerNote, pager(f, data.total), table);
  // Tag suggestions are a convenience: they load after the list is already usable.
  void fillTagNames(form.querySelector('datalist'));
  return 'ready';
}

runPage(render);
