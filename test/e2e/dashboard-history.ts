// A small community history written through the store's ordinary repositories, small enough
// that every dashboard figure can be worked out by hand (the expected values are in
// dashboard-api.test.ts, with the reasoning).
//
// "Now" is Wednesday 2025-03-12 12:00 UTC, so period=4w is the ISO weeks of 17 Feb, 24 Feb,
// 3 Mar and 10 Mar (2025-02-17 .. 2025-03-12), and the previous period the 24 days before.
import type { Store } from '../../core/store/index.js';
import type { MemberId, ProblemId } from '../../core/types.js';

export const NOW = new Date('2025-03-12T12:00:00Z');
export const XSS_NAME = '<img src=x onerror=alert(1)>';
/** Starts with "@": a spreadsheet would take it for a formula. */
export const FORMULA_NAME = '@Cy';
export const P2_TEXT = '=HYPERLINK("http://evil.example","hiring") help, please\nWe need a second line, too.';

export interface DashboardHistory {
  ada: MemberId;
  ben: MemberId;
  cy: MemberId;
  dee: MemberId;
  xss: MemberId;
  eve: MemberId;
  /** One person, Gil, with two accounts nobody linked yet: two members. */
  gilMatrix: MemberId;
  gilForum: MemberId;
  p1: ProblemId;
  p2: ProblemId;
  p3: ProblemId;
  p4: ProblemId;
}

const at = (iso: string) => new Date(iso);

export async function buildDashboardHistory(store: Store): Promise<DashboardHistory> {
  let n = 0;
  const member = async (name: string) =>
    (await store.members.upsertByIdentity({ platform: 'matrix', externalId: `@member${++n}:example.org`, displayName: name })).member.id;
  const ada = await member('Ada');
  const ben = await member('Ben');
  const cy = await member(FORMULA_NAME);
  const dee = await member('Dee Private');
  const xss = await member(XSS_NAME);
  const eve = await member('Eve');
  await store.members.setOptOut(dee, true);
  // Ben linked his forum account: one person, two accounts.
  await store.members.linkIdentity(ben, { platform: 'discourse', externalId: 'ben_o', displayName: 'Ben' });
  const gilMatrix = await member('Gil Moreau');
  const gilForum = (await store.members.upsertByIdentity({ platform: 'discourse', externalId: 'gil_m', displayName: 'Gil Moreau' })).member.id;

  type Step = Parameters<Store['problems']['transition']>[1];
  const step = async (id: ProblemId, from: Step['from'], to: Step['to'], iso: string, cause = `test: ${to}`) => {
    const moved = await store.problems.transition(id, { from, to, cause, at: at(iso) });
    if (!moved) throw new Error(`could not move problem ${id} from ${from} to ${to}`);
  };

  // P1: Ada asks on Matrix; Ben, invited, answers after 30 minutes; solved the next day.
  const p1 = (
    await store.problems.create({
      originatorId: ada,
      platform: 'matrix',
      containerId: '!retros:example.org',
      threadId: '$p1root',
      sourceEventId: '$p1root',
      text: 'How do I run retros that change something?\nOur retros repeat the same points, with "quotes", every time.',
      tags: [{ name: 'retros', confidence: 0.9 }],
      createdAt: at('2025-03-03T10:00:00Z'),
    })
  ).id;
  const inv1 = (await store.invitations.create({ problemId: p1, memberId: ben, reason: 'knows retros', score: 0.8, createdAt: at('2025-03-03T10:00:30Z') }))
    .value;
  await store.invitations.updateStatus(inv1.id, 'sent', at('2025-03-03T10:01:00Z'));
  await step(p1, 'opened', 'invited', '2025-03-03T10:01:00Z');
  await store.responses.record({ problemId: p1, memberId: ben, platform: 'matrix', text: 'Pick one action per retro.', createdAt: at('2025-03-03T10:30:00Z') });
  await store.invitations.updateStatus(inv1.id, 'answered', at('2025-03-03T10:30:00Z'));
  await step(p1, 'invited', 'answered', '2025-03-03T10:30:00Z');
  await step(p1, 'answered', 'solved', '2025-03-04T09:00:00Z');
  await store.feedback.record({ problemId: p1, fromMemberId: ada, toMemberId: ben, kind: 'solved', createdAt: at('2025-03-04T09:00:00Z') });

  // P2: Ben asks on the forum; Cy declines, Dee (opted out) ignores; the XSS-named member
  // answers unasked after 4 hours, then Dee.
  const p2 = (
    await store.problems.create({
      originatorId: ben,
      platform: 'discourse',
      containerId: '7',
      threadId: '42',
      sourceEventId: 'post:42/1',
      text: P2_TEXT,
      tags: [{ name: 'hiring', confidence: 0.7 }],
      createdAt: at('2025-03-05T08:00:00Z'),
    })
  ).id;
  const inv2 = (await store.invitations.create({ problemId: p2, memberId: cy, reason: 'knows hiring', score: 0.6, createdAt: at('2025-03-05T08:00:30Z') }))
    .value;
  await store.invitations.updateStatus(inv2.id, 'sent', at('2025-03-05T08:01:00Z'));
  await store.invitations.updateStatus(inv2.id, 'declined', at('2025-03-05T09:00:00Z'));
  const inv3 = (await store.invitations.create({ problemId: p2, memberId: dee, reason: 'knows hiring', score: 0.5, createdAt: at('2025-03-05T08:00:30Z') }))
    .value;
  await store.invitations.updateStatus(inv3.id, 'sent', at('2025-03-05T08:01:00Z'));
  await store.invitations.updateStatus(inv3.id, 'ignored', at('2025-03-07T08:01:00Z'));
  await store.responses.record({ problemId: p2, memberId: xss, platform: 'discourse', text: 'Use a scorecard.', createdAt: at('2025-03-05T12:00:00Z') });
  await store.responses.record({ problemId: p2, memberId: dee, platform: 'discourse', text: 'Pair interviews.', createdAt: at('2025-03-05T13:00:00Z') });
  await step(p2, 'opened', 'answered', '2025-03-05T12:00:00Z');
  // Causes carry the names of the day; Dee opted out later.
  await step(p2, 'answered', 'digested', '2025-03-05T13:00:00Z', 'Dee Private answered on discourse');
  await step(p2, 'digested', 'answered', '2025-03-05T13:30:00Z');
  await store.feedback.record({ problemId: p2, fromMemberId: ben, toMemberId: xss, kind: 'thanks', createdAt: at('2025-03-05T14:00:00Z') });

  // P3 (the previous period): Cy asks, Ada answers after an hour, solved the next day.
  const p3 = (
    await store.problems.create({
      originatorId: cy,
      platform: 'matrix',
      containerId: '!retros:example.org',
      threadId: '$p3root',
      sourceEventId: '$p3root',
      text: 'Retro formats for remote teams?',
      tags: [{ name: 'retros', confidence: 0.9 }],
      createdAt: at('2025-02-01T10:00:00Z'),
    })
  ).id;
  await store.responses.record({ problemId: p3, memberId: ada, platform: 'matrix', text: 'Try a silent start.', createdAt: at('2025-02-01T11:00:00Z') });
  await step(p3, 'opened', 'solved', '2025-02-02T10:00:00Z');

  // P4: Ada asks this week; nobody has answered yet.
  const p4 = (
    await store.problems.create({
      originatorId: ada,
      platform: 'matrix',
      containerId: '!hiring:example.org',
      threadId: '$p4root',
      sourceEventId: '$p4root',
      text: 'Hiring plan for Q3',
      tags: [{ name: 'hiring', confidence: 0.8 }],
      createdAt: at('2025-03-11T09:00:00Z'),
    })
  ).id;

  const contact = (
    fromMemberId: MemberId,
    toMemberId: MemberId,
    kind: 'answer' | 'reply' | 'mention',
    mediated: boolean,
    iso: string,
    problemId: ProblemId | null = null,
  ) => store.interactions.record({ fromMemberId, toMemberId, kind, platform: 'matrix', mediated, problemId, occurredAt: at(iso) });
  await contact(ben, ada, 'answer', true, '2025-03-03T10:30:00Z', p1); // the Ada-Ben tie, made by the concierge
  await contact(ada, ben, 'reply', false, '2025-03-06T09:00:00Z'); // a bypass: direct, on that pair, later
  await contact(xss, ben, 'answer', false, '2025-03-05T12:00:00Z', p2); // a direct tie
  await contact(ada, cy, 'answer', false, '2025-02-01T11:00:00Z', p3); // a direct tie, previous period
  await contact(cy, dee, 'mention', false, '2025-03-07T10:00:00Z'); // a direct tie with the opted-out member
  await contact(ada, cy, 'reply', false, '2025-03-08T10:00:00Z'); // an old pair: no tie, no bypass
  return { ada, ben, cy, dee, xss, eve, gilMatrix, gilForum, p1, p2, p3, p4 };
}
