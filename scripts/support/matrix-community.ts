// A small community of managers on the fake homeserver: a Space with two public rooms, an
// encrypted room, a room outside the Space, and some history of questions and answers.
// Shared by the e2e tests and the benches (which must not import test files), so it lives here.
import type { FakeHomeserver } from '../stand-ins/matrix-homeserver/index.js';

export interface Community {
  bot: { userId: string; accessToken: string };
  users: Record<'alice' | 'bob' | 'carol' | 'dave', string>;
  space: string;
  general: string;
  leadership: string;
  encrypted: string;
  outside: string;
  /** Event ids of the history's thread roots, by topic. */
  history: Record<string, string>;
}

export const COMMUNITY_TAGS: readonly { name: string; description: string }[] = [
  { name: 'onboarding', description: 'bringing new managers and hires up to speed in their first months' },
  { name: 'hiring', description: 'recruiting, interviewing and selecting candidates' },
  { name: 'one-on-ones', description: 'regular one-to-one meetings between a manager and a report' },
  { name: 'budgeting', description: 'planning budgets, headcount and spending' },
  { name: 'feedback', description: 'giving and receiving difficult feedback and performance conversations' },
  { name: 'remote-work', description: 'leading distributed and remote teams' },
];

const THREADS: { key: string; asker: keyof Community['users']; question: string; answers: [keyof Community['users'], string][] }[] = [
  {
    key: 'onboarding',
    asker: 'alice',
    question: 'How do you structure onboarding for new engineering managers in their first 90 days?',
    answers: [
      ['bob', 'We pair each new manager with a peer buddy and run a 30-60-90 day plan with weekly check-ins and a list of people to meet.'],
      ['carol', 'Give them one small team decision to own in the first month so they learn the process by doing.'],
    ],
  },
  {
    key: 'remote',
    asker: 'dave',
    question: 'Any tips for onboarding and supporting new hires who join a fully remote team?',
    answers: [['bob', 'Ship a laptop early, schedule daily short video check-ins the first two weeks, and assign an onboarding buddy in the same time zone.']],
  },
  {
    key: 'budget',
    asker: 'alice',
    question: 'How do we plan next year budget when headcount is still uncertain?',
    answers: [['carol', 'Plan three scenarios (flat, plus ten percent, hiring freeze) and tie each one to milestones you review every quarter.']],
  },
  {
    key: 'feedback',
    asker: 'bob',
    question: 'What is a good way to give difficult feedback to a senior engineer who is defensive?',
    answers: [['dave', 'Use situation, behaviour, impact, ask for their view first, and agree on one concrete next step together.']],
  },
  {
    key: 'hiring',
    asker: 'carol',
    question: 'How should we interview candidates for engineering manager roles?',
    answers: [['bob', 'Structured interviews with a shared scorecard, a people-management scenario, and a conversation with future reports.']],
  },
];

/**
 * Builds the community on a fresh fake homeserver. The bot is exempt from the message rate
 * limit, as the Synapse setup in docs/matrix.md has the homeserver admin do, unless `exemptBot` is false.
 */
export function buildCommunity(hs: FakeHomeserver, options: { exemptBot?: boolean } = {}): Community {
  const bot = hs.registerUser('coagent', { displayName: 'Co-Agent' });
  if (options.exemptBot ?? true) hs.overrideRatelimit(bot.userId);
  const users = {
    alice: hs.registerUser('alice', { displayName: 'Alice Archer' }).userId,
    bob: hs.registerUser('bob', { displayName: 'Bob Baker' }).userId,
    carol: hs.registerUser('carol', { displayName: 'Carol Chen' }).userId,
    dave: hs.registerUser('dave', { displayName: 'Dave Diaz' }).userId,
  };
  const space = hs.createRoom(users.alice, { name: 'Managers community', alias: 'community', space: true, public: true });
  const general = hs.createRoom(users.alice, { name: 'General', alias: 'general', public: true });
  const leadership = hs.createRoom(users.alice, { name: 'Leadership', public: true });
  const encrypted = hs.createRoom(users.alice, { name: 'Private circle', public: true, encrypted: true });
  const outside = hs.createRoom(users.alice, { name: 'Outside the Space', alias: 'outside', public: true });
  for (const room of [general, leadership, encrypted]) hs.addSpaceChild(space, room, users.alice);
  for (const user of Object.values(users)) {
    for (const room of [space, general, leadership, encrypted, outside]) if (user !== users.alice) hs.join(user, room);
  }
  // The bot is invited to a room outside the Space: it must decline.
  hs.invite(users.alice, outside, bot.userId);
  hs.sendText(users.dave, outside, 'This room is not part of the community Space and must never be read.');

  const history: Record<string, string> = {};
  for (const t of THREADS) {
    const root = hs.sendText(users[t.asker], general, t.question);
    history[t.key] = root;
    for (const [who, text] of t.answers) {
      hs.sendText(users[who], general, text, {
        'm.relates_to': { rel_type: 'm.thread', event_id: root, is_falling_back: true, 'm.in_reply_to': { event_id: root } },
      });
    }
  }
  return { bot, users, space, general, leadership, encrypted, outside, history };
}

export { body, inThread, mentionOfBot, threadOf } from '../stand-ins/matrix-homeserver/messages.js';
