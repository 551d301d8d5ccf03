// A small forum community on the fake Discourse: the bot (admin key), members, a help category,
// and some history of questions and answers.
// Shared by the e2e tests and the benches (which must not import test files), so it lives here.
import type { FakeForum } from '../stand-ins/discourse-forum/index.js';

export interface ForumCommunity {
  help: number;
  general: number;
  topics: Record<string, number>;
}

/** `botAdmin: false` makes the bot's account a regular member (trust level 1), to see what that costs. */
export function buildForumCommunity(forum: FakeForum, options: { botAdmin?: boolean } = {}): ForumCommunity {
  forum.createUser('coagent', { name: 'Co-Agent', admin: options.botAdmin ?? true });
  for (const [u, name] of [
    ['alice', 'Alice Archer'],
    ['bob', 'Bob Baker'],
    ['carol', 'Carol Chen'],
    ['dave', 'Dave Diaz'],
  ] as const)
    forum.createUser(u, { name });
  const help = forum.createCategory('Help', { slug: 'help' });
  const general = forum.createCategory('General', { slug: 'general' });
  for (const t of ['onboarding', 'hiring', 'budgeting', 'remote-work']) forum.createTag(t);
  const past = new Date(Date.now() - 30 * 86_400_000);
  const topics: Record<string, number> = {};
  const history: [string, string, string, string, [string, string][]][] = [
    [
      'onboarding',
      'alice',
      'Onboarding new engineering managers',
      'How do you structure onboarding for new engineering managers in their first 90 days?',
      [
        ['bob', 'We pair each new manager with a peer buddy and run a 30-60-90 day plan with weekly check-ins.'],
        ['carol', 'Give them one small decision to own in the first month.'],
      ],
    ],
    [
      'remote',
      'dave',
      'Supporting remote new hires',
      'Any tips for onboarding new hires who join a fully remote team?',
      [['bob', 'Ship the laptop early, do daily short video check-ins for two weeks, and pick a buddy in the same time zone.']],
    ],
    [
      'budget',
      'alice',
      'Budget with uncertain headcount',
      'How do we plan next year budget when headcount is still uncertain?',
      [['carol', 'Plan three scenarios and tie each one to milestones reviewed every quarter.']],
    ],
  ];
  for (const [key, asker, title, raw, answers] of history) {
    const { topicId } = forum.createTopic(asker, { title, raw, category: general, createdAt: past });
    topics[key] = topicId;
    for (const [who, text] of answers) forum.reply(who, topicId, text, { createdAt: new Date(past.getTime() + 3_600_000) });
  }
  return { help, general, topics };
}
