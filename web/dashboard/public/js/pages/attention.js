// Attention: what the community team should look at now, and the console's actions on it
// (GET /api/attention; forms post to /console/<kind>).
import { getJson } from '../lib/api.js';
import { chartBox, COLORS, drawChart } from '../lib/charts.js';
import { actionForm, hidden, memberSelect, textArea } from '../lib/console.js';
import { h, replace } from '../lib/dom.js';
import { formatCount, formatDayTime } from '../lib/format.js';
import { note, runPage } from '../lib/page.js';

// Charts of more tags than this are unreadable; the table under it has them all.
const CHART_TAGS = 12;

function requestCard(r, everyone) {
  const suggestions = r.suggestions.map((s) => ({ memberId: s.memberId, name: s.name, hint: 'suggested' }));
  const others = everyone.filter((m) => m.memberId !== r.askerId && !r.suggestions.some((s) => s.memberId === m.memberId));
  const choices = [...suggestions, ...others];
  return h(
    'article',
    { class: 'request', 'data-problem': r.problemId },
    h('h3', {}, h('a', { href: `/problems/${r.problemId}` }, `Request ${r.problemId}`), ` by ${r.asker}, ${formatCount(r.ageHours)} h ago`),
    h('p', { class: 'request-text' }, r.text),
    r.tags.length ? h('p', { class: 'muted' }, `Tags: ${r.tags.join(', ')}`) : null,
    h(
      'p',
      {},
      r.invited.length
        ? `Asked so far: ${r.invited.map((i) => `${i.name} (${i.status})`).join(', ')}`
        : 'Nobody was asked: the bot found no one it could invite.',
    ),
    r.suggestions.length
      ? h(
          'div',
          {},
          h('p', {}, 'The bot would ask next:'),
          h(
            'ul',
            { class: 'suggestions' },
            r.suggestions.map((s) => h('li', { 'data-member': s.memberId }, h('strong', {}, s.name), ` — ${s.reason}`)),
          ),
        )
      : h('p', { class: 'muted' }, 'The bot has nobody else to suggest right now.'),
    h(
      'div',
      { class: 'actions' },
      actionForm('invite', 'Invite', [hidden('problem', r.problemId), memberSelect('member', 'Member', choices), textArea('note', 'Personal note')]),
      actionForm('reroute', 'Re-route', [hidden('problem', r.problemId), memberSelect('member', 'Ask instead', choices), textArea('note', 'Note')]),
      actionForm('summary', 'Post summary', [hidden('problem', r.problemId), textArea('text', `Summary for ${r.asker}`)]),
      actionForm('solve', 'Mark solved', [hidden('problem', r.problemId), textArea('note', 'Note (optional)')]),
      actionForm('close', 'Close', [hidden('problem', r.problemId), textArea('note', 'Note (optional)')]),
    ),
  );
}

function memberTable(rows, kind) {
  return h(
    'table',
    { class: kind },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Member', 'Invitations this week', 'Budget', 'Paused until', ''].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((m) =>
        h(
          'tr',
          { 'data-member': m.memberId },
          h('th', { scope: 'row' }, m.name),
          h('td', { class: 'num' }, formatCount(m.invitationsThisWeek)),
          h('td', { class: 'num' }, formatCount(m.budget)),
          h('td', {}, m.pausedUntil ? formatDayTime(m.pausedUntil) : '–'),
          h(
            'td',
            {},
            m.pausedUntil
              ? actionForm('unpause', 'Unpause', [hidden('member', m.memberId)])
              : actionForm('pause', 'Pause 14 days', [hidden('member', m.memberId), hidden('days', 14)]),
          ),
        ),
      ),
    ),
  );
}

function section(title, items, body, empty) {
  return h(
    'section',
    { class: 'panel', 'data-section': title },
    h('h2', {}, `${title} (${items.length})`),
    items.length ? body() : h('p', { class: 'muted' }, empty),
  );
}

async function render(container) {
  const a = await getJson('/api/attention', {}, { withPeriod: false });
  const everyone = a.members;
  const gaps = a.gaps.slice(0, CHART_TAGS);
  const chart = chartBox(`Requests and active helpers per tag over the last ${a.settings.periodDays} days`, 'chart');
  replace(
    container,
    note(
      `Stuck means no answer ${a.settings.stuckAfterHours} hours after the request. Actions are posted in the request's thread as the bot's message and recorded in the audit log under your name.`,
    ),
    a.review || a.proposals.length
      ? section(
          'Invitations waiting for review',
          a.proposals,
          () =>
            h(
              'ul',
              { class: 'proposals' },
              a.proposals.map((p) =>
                h(
                  'li',
                  { 'data-problem': p.problemId, 'data-member': p.memberId },
                  h('strong', {}, p.name),
                  ` for request ${p.problemId} by ${p.asker}: `,
                  h('span', { class: 'request-text' }, p.problemText),
                  h('p', { class: 'muted' }, `Why: ${p.reason}. Goes out as proposed ${formatDayTime(p.dueAt)} unless reviewed.`),
                  h(
                    'div',
                    { class: 'actions' },
                    actionForm('approve', 'Approve', [
                      hidden('problem', p.problemId),
                      hidden('member', p.memberId),
                      textArea('note', 'Add a personal word (optional)'),
                    ]),
                    actionForm('skip', 'Skip', [hidden('problem', p.problemId), hidden('member', p.memberId)]),
                  ),
                ),
              ),
            ),
          'No proposals are waiting.',
        )
      : null,
    section(
      'Stuck requests',
      a.stuck,
      () =>
        h(
          'div',
          {},
          a.stuck.map((r) => requestCard(r, everyone)),
        ),
      'No request is waiting for an answer.',
    ),
    section(
      'Requests with no possible helper',
      a.noHelper,
      () =>
        h(
          'div',
          {},
          a.noHelper.map((r) => requestCard(r, everyone)),
        ),
      'Every request had someone to ask.',
    ),
    section(
      'Ignored invitations',
      a.ignored,
      () =>
        h(
          'ul',
          {},
          a.ignored.map((i) =>
            h(
              'li',
              { 'data-member': i.memberId },
              h('strong', {}, i.name),
              ` ignored request ${i.problemId} (sent ${formatDayTime(i.sentAt)}): `,
              h('span', {}, i.problemText),
            ),
          ),
        ),
      'No ignored invitations on open requests.',
    ),
    section('Members near their weekly budget', a.nearBudget, () => memberTable(a.nearBudget, 'near-budget'), 'Nobody is near their budget.'),
    section('Paused members', a.paused, () => memberTable(a.paused, 'paused'), 'Nobody is paused.'),
    section(
      'New members who have not asked or answered',
      a.newcomers,
      () =>
        h(
          'ul',
          { class: 'newcomers' },
          a.newcomers.map((n) =>
            h(
              'li',
              { 'data-member': n.memberId },
              h('strong', {}, n.name),
              ` first seen ${formatDayTime(n.firstSeen)} `,
              actionForm('introduce', 'Introduce', [
                hidden('memberA', n.memberId),
                memberSelect(
                  'memberB',
                  'to',
                  everyone.filter((m) => m.memberId !== n.memberId),
                ),
                textArea('note', 'Why they should meet'),
              ]),
            ),
          ),
        ),
      'No quiet newcomers.',
    ),
    h(
      'section',
      { class: 'panel', 'data-section': 'gaps' },
      h('h2', {}, 'Expertise gaps'),
      note(
        `Per tag, over the last ${a.settings.periodDays} days: requests carrying it against the distinct members who answered such requests. The widest gaps come first.`,
      ),
      gaps.length ? chart.box : h('p', { class: 'muted' }, 'No tagged requests in this period.'),
    ),
  );
  if (gaps.length) {
    drawChart(chart.canvas, {
      type: 'bar',
      data: {
        labels: gaps.map((g) => g.tag),
        datasets: [
          { label: 'Requests', data: gaps.map((g) => g.requests), backgroundColor: COLORS.opened },
          { label: 'Active helpers', data: gaps.map((g) => g.helpers), backgroundColor: COLORS.solved },
        ],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }
  return 'ready';
}

runPage(render);
