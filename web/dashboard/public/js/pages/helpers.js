// Helpers: invitations each person received and what became of them, and answers rated helpful
// (GET /api/helpers), one row per person with their accounts. Members asked far more than average
// are highlighted: that is overload. Members that are probably one person are listed below.
import { getJson } from '../lib/api.js';
import { chartBox, COLORS, drawChart } from '../lib/charts.js';
import { h, replace } from '../lib/dom.js';
import { formatCount, formatPercent } from '../lib/format.js';
import { emptyState, note, runPage } from '../lib/page.js';
import { accountsCell, sameAs, samePersonSection } from '../lib/people.js';
import { rangeWords } from '../lib/period.js';

const CHART_ROWS = 15;
const OVERLOAD_FACTOR = 2;

const pending = (r) => Math.max(0, r.invited - r.accepted - r.declined - r.ignored);

function table(rows, totalInvited, overloadAt, maybe) {
  const num = (v) => h('td', { class: 'num' }, formatCount(v));
  return h(
    'table',
    { class: 'helpers' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Member', 'Accounts', 'Invited', 'Share of all invitations', 'Accepted', 'Declined', 'Ignored', 'No answer yet', 'Helpful answers'].map((t) =>
          h('th', { scope: 'col' }, t),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          { class: r.invited > overloadAt ? 'overloaded' : null, 'data-helper': String(r.id) },
          h('th', { scope: 'row' }, r.name),
          accountsCell(r.accounts, maybe.get(r.id)),
          num(r.invited),
          h('td', { class: 'num' }, formatPercent(totalInvited ? r.invited / totalInvited : null)),
          num(r.accepted),
          num(r.declined),
          num(r.ignored),
          num(pending(r)),
          num(r.helpfulAnswers),
        ),
      ),
    ),
  );
}

async function render(container) {
  const data = await getJson('/api/helpers');
  const rows = [...data.helpers].sort((a, b) => b.invited - a.invited || b.helpfulAnswers - a.helpfulAnswers);
  const optedOut = note(`Members who opted out are not listed: ${formatCount(data.optedOutMembers)}.`);
  const invitedRows = rows.filter((r) => r.invited > 0);
  if (invitedRows.length === 0 && !rows.some((r) => r.helpfulAnswers > 0)) {
    replace(
      container,
      h('p', { class: 'range' }, rangeWords(data.period)),
      emptyState('Nobody was asked to help in this period yet.'),
      optedOut,
      samePersonSection(data.probablySamePerson),
    );
    return 'empty';
  }
  const totalInvited = rows.reduce((s, r) => s + r.invited, 0);
  const overloadAt = invitedRows.length ? OVERLOAD_FACTOR * (totalInvited / invitedRows.length) : Infinity;
  const top = rows.slice(0, CHART_ROWS);
  const { box, canvas } = chartBox(`Invitations by outcome for the ${top.length} most-asked members`, 'chart tall');
  replace(
    container,
    h('p', { class: 'range' }, rangeWords(data.period)),
    h('section', { class: 'panel' }, h('h2', {}, 'Who is asked most'), box),
    note(
      `Highlighted rows: asked more than ${OVERLOAD_FACTOR} times as often as the average member who was asked. A row is a person, whatever platforms they use.`,
    ),
    table(rows, totalInvited, overloadAt, sameAs(data.probablySamePerson)),
    optedOut,
    samePersonSection(data.probablySamePerson),
  );
  const series = [
    ['Accepted', 'accepted', (r) => r.accepted],
    ['Declined', 'declined', (r) => r.declined],
    ['Ignored', 'ignored', (r) => r.ignored],
    ['No answer yet', 'pending', pending],
  ];
  drawChart(canvas, {
    type: 'bar',
    data: {
      labels: top.map((r) => r.name),
      datasets: series.map(([label, color, value]) => ({ label, data: top.map(value), backgroundColor: COLORS[color] })),
    },
    options: { indexAxis: 'y', scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } } },
  });
  return 'ready';
}

runPage(render);
