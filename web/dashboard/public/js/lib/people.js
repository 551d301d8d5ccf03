// People, not accounts: a person's accounts in a few words, and the list of members that are
// probably one person but not linked yet (for the helpers and network pages).
import { h } from './dom.js';
import { formatCount } from './format.js';

const PLATFORM = { matrix: 'Matrix', discourse: 'forum' };

/** "Matrix @ana:example.org · forum ana_k". */
export function accountsText(accounts) {
  return accounts.map((a) => `${PLATFORM[a.platform] ?? a.platform} ${a.account}`).join(' · ');
}

/** Member id -> the members they are probably the same person as (from the API's pairs). */
export function sameAs(pairs) {
  const out = new Map();
  for (const p of pairs) {
    for (const [x, y] of [
      [p.a, p.b],
      [p.b, p.a],
    ])
      out.set(x.id, [...(out.get(x.id) ?? []), y]);
  }
  return out;
}

/** A person's accounts, and the accounts that are probably theirs too. */
export function accountsCell(accounts, others = []) {
  return h(
    'td',
    { class: 'accounts' },
    accountsText(accounts),
    others.map((o) => h('span', { class: 'same-person-flag' }, `probably also ${accountsText(o.accounts)}`)),
  );
}

const OFFER = {
  'not offered': 'not offered yet',
  offered: 'offered, no answer yet',
  accepted: 'accepted, waiting for the code from the other account',
  ignored: 'offered, not answered',
};

/** The "probably the same person" list, with what to do about it; nothing when there are none. */
export function samePersonSection(pairs) {
  if (pairs.length === 0) return null;
  const person = (p) => [h('th', { scope: 'row' }, p.name), accountsCell(p.accounts)];
  return h(
    'section',
    { class: 'panel same-person', id: 'same-person' },
    h('h2', {}, `Probably the same person (${formatCount(pairs.length)})`),
    h(
      'p',
      { class: 'muted' },
      'These members look like one person with accounts that are not linked. The member is offered the link once; ' +
        'if you know they are one person, merge them with npm run member -- merge <member> <member>.',
    ),
    h(
      'table',
      { class: 'pairs' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Member', 'Accounts', 'Member', 'Accounts', 'Why', 'Offer'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        pairs.map((p) =>
          h('tr', { 'data-pair': `${p.a.id}:${p.b.id}` }, person(p.a), person(p.b), h('td', {}, p.reasons.join(', ')), h('td', {}, OFFER[p.offer] ?? p.offer)),
        ),
      ),
    ),
  );
}
