// Introductions: after a good exchange the bot offers to connect the two members directly
// ("you both deal with X"); either can accept with "!coagent introduce", and the bot opens a
// private room for them. The introduction is the concierge-made tie; what they say to each
// other afterwards are direct contacts, the bypasses the dashboard counts.
import type { Member, Problem } from '../store/index.js';
import type { KeyedAction, OutboundAction } from './actions.js';
import { accountOn, type ConciergeContext } from './context.js';
import type { RichText } from './rich-text.js';

/** Offers the originator and each helper an introduction; returns the line for the thread. */
export async function offerIntroductions(ctx: ConciergeContext, problem: Problem, helpers: readonly Member[], at: Date): Promise<RichText> {
  const topic = problem.tags[0]?.name.replace(/-/g, ' ') ?? 'this kind of problem';
  const offered: Member[] = [];
  for (const helper of helpers) {
    if (await ctx.store.introductions.introduced(problem.originatorId, helper.id)) continue;
    await ctx.store.introductions.offer({ a: problem.originatorId, b: helper.id, problemId: problem.id, reason: topic, platform: problem.platform, at });
    offered.push(helper);
  }
  if (offered.length === 0) return [];
  return [
    [`You ${offered.length > 1 ? 'all' : 'both'} deal with ${topic}: say "!coagent introduce" if you'd like a private chat to reach each other directly.`],
  ];
}

/** "!coagent introduce": opens a private room for the pair of the member's open offer. */
export async function acceptIntroduction(ctx: ConciergeContext, author: Member, sourceEventId: string): Promise<{ reply: string; actions: KeyedAction[] }> {
  const { store } = ctx;
  const now = ctx.now();
  const intro = await store.introductions.findOpenFor(author.id);
  if (!intro) return { reply: "I don't have an introduction waiting for you. I offer them after a good exchange.", actions: [] };
  const [a, b] = await Promise.all([store.members.get(intro.memberAId), store.members.get(intro.memberBId)]);
  const accounts = [a, b].map((m) => (m ? accountOn(m, intro.platform) : null));
  if (!a || !b || accounts.some((x) => x === null) || a.optedOut || b.optedOut || a.leftAt || b.leftAt) {
    return { reply: "I can't open a chat for this pair on this platform, sorry.", actions: [] };
  }
  await store.introductions.accept(intro.id, now);
  await store.interactions.record({
    fromMemberId: author.id,
    toMemberId: author.id === a.id ? b.id : a.id,
    kind: 'introduction',
    platform: intro.platform,
    mediated: true,
    problemId: intro.problemId,
    sourceEventId,
    occurredAt: now,
  });
  const body: RichText = [
    [
      `${a.displayName}, ${b.displayName}: you both deal with ${intro.reason}. This is a private chat for the two of you, so you can reach each other directly, without me.`,
    ],
  ];
  const action: OutboundAction = {
    kind: 'open-room',
    platform: intro.platform,
    with: accounts as NonNullable<(typeof accounts)[number]>[],
    name: `${a.displayName} & ${b.displayName}`,
    body,
    introductionId: intro.id,
  };
  return {
    reply: `Done: I've opened a private chat for you and ${author.id === a.id ? b.displayName : a.displayName}.`,
    actions: [{ key: `${intro.platform}:intro-room:${intro.id}`, action }],
  };
}
