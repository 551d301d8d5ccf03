// One problem (GET /api/problems/:id): what was asked, its lifecycle step by step, who answered,
// and links to where it happened. The request text is there only when the API gives it (admin).
import { ApiFailure, getJson } from '../lib/api.js';
import { h, replace, safeHref } from '../lib/dom.js';
import { formatDayTime } from '../lib/format.js';
import { emptyState, note, runPage } from '../lib/page.js';
import { PLATFORM_NAMES, pagePath, statusBadge, tagList } from '../lib/problem-bits.js';

function facts(p) {
  const item = (term, ...value) => [h('dt', {}, term), h('dd', {}, ...value)];
  return h(
    'dl',
    { class: 'facts' },
    item('Status', statusBadge(p.status)),
    item('Tags', tagList(p.tags)),
    item('Asked on', PLATFORM_NAMES[p.platform] ?? p.platform),
    item('Asked by', p.originator),
    item('Opened', formatDayTime(p.createdAt)),
    item('Solved', formatDayTime(p.solvedAt)),
  );
}

function links(p) {
  const targets = [
    ['matrix', 'Open the Matrix thread'],
    ['forum', 'Open the forum topic'],
  ]
    .map(([key, text]) => [safeHref(p.links[key]), text])
    .filter(([href]) => href);
  if (targets.length === 0) return note('No link to the conversation is known.');
  return h(
    'p',
    { class: 'links' },
    targets.map(([href, text]) => h('a', { href, rel: 'noopener noreferrer', target: '_blank' }, text)),
  );
}

function timeline(steps) {
  return h(
    'ol',
    { class: 'timeline' },
    steps.map((s) =>
      h(
        'li',
        {},
        h('time', { datetime: s.at }, formatDayTime(s.at)),
        ' ',
        s.from ? `${s.from} → ` : '',
        h('strong', {}, s.to),
        s.cause ? h('span', { class: 'muted' }, ` (${s.cause})`) : null,
      ),
    ),
  );
}

function responses(list) {
  if (list.length === 0) return h('p', { class: 'muted' }, 'No answers yet.');
  return h(
    'ul',
    { class: 'responses' },
    list.map((r) => {
      const href = r.link ? safeHref(r.link) : null;
      return h(
        'li',
        {},
        h('strong', {}, r.member),
        ' ',
        formatDayTime(r.at),
        href ? [' · ', h('a', { href, rel: 'noopener noreferrer', target: '_blank' }, 'read it')] : null,
      );
    }),
  );
}

async function render(container) {
  const id = document.body.dataset.problemId;
  const back = h('p', {}, h('a', { href: pagePath('/problems') }, '← All problems'));
  let p;
  try {
    p = await getJson(`/api/problems/${encodeURIComponent(id)}`, {}, { withPeriod: false });
  } catch (error) {
    if (!(error instanceof ApiFailure) || error.status !== 404) throw error;
    replace(container, back, emptyState(`There is no problem #${id}.`));
    return 'empty';
  }
  document.title = `Problem #${p.id} · Co-Agent dashboard`;
  document.querySelector('h1').textContent = `Problem #${p.id}`;
  const text = p.text === null ? note('The request text is shown to the admin login only.') : h('blockquote', { class: 'request-text' }, p.text);
  // The viewer's title is "Problem #id", already the heading: not shown twice.
  const title = p.title === `Problem #${p.id}` ? null : h('h2', { class: 'problem-title' }, p.title);
  replace(
    container,
    back,
    title,
    facts(p),
    links(p),
    text,
    h('section', { class: 'panel' }, h('h2', {}, 'Lifecycle'), timeline(p.timeline)),
    h('section', { class: 'panel' }, h('h2', {}, 'Answers'), responses(p.responses)),
  );
  return 'ready';
}

runPage(render);
