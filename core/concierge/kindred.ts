// Introductions between members who keep working on similar problems: two members who both
// answered at least two problems with the same tag lately, never introduced, are offered an
// introduction by direct message. Each pair is offered once, ever; a few pairs a week at most.
import type { Member } from '../store/index.js';
import { platformIds } from '../platforms.js';
import type { MemberId } from '../types.js';
import type { KeyedAction } from './actions.js';
import { accountOn, type ConciergeContext } from './context.js';
import { textReply } from './replies.js';
import { isoWeekOf } from './iso-week.js';

const WINDOW_MS = 8 * 7 * 86_400_000;
/** Answered problems with one tag that make "keeps helping with it". */
const MIN_PROBLEMS = 2;
/** Offers per week: enough to connect people, few enough not to be noise. */
const MAX_PAIRS_PER_WEEK = 3;

interface Candidate {
  tag: string;
  a: MemberId;
  b: MemberId;
  /** Problems with the tag both answered between them: more first. */
  weight: number;
}

/** Members who answered at least MIN_PROBLEMS problems per tag, from the last eight weeks. */
async function helpersByTag(ctx: ConciergeContext, now: Date): Promise<Map<string, Map<MemberId, number>>> {
  const problemsOf = new Map<string, Map<MemberId, Set<number>>>();
  const seen = new Map<number, { originatorId: MemberId; tags: string[] } | null>();
  for (const r of await ctx.store.responses.listBetween(new Date(now.getTime() - WINDOW_MS), now)) {
    if (!seen.has(r.problemId)) {
      const p = await ctx.store.problems.get(r.problemId);
      seen.set(r.problemId, p ? { originatorId: p.originatorId, tags: p.tags.map((t) => t.name) } : null);
    }
    const problem = seen.get(r.problemId);
    if (!problem || problem.originatorId === r.memberId) continue;
    for (const tag of problem.tags) {
      const members = problemsOf.get(tag) ?? new Map<MemberId, Set<number>>();
      members.set(r.memberId, (members.get(r.memberId) ?? new Set()).add(r.problemId));
      problemsOf.set(tag, members);
    }
  }
  const out = new Map<string, Map<MemberId, number>>();
  for (const [tag, members] of problemsOf) {
    const keen = new Map([...members].filter(([, ps]) => ps.size >= MIN_PROBLEMS).map(([m, ps]) => [m, ps.size]));
    if (keen.size >= 2) out.set(tag, keen);
  }
  return out;
}

function candidates(byTag: Map<string, Map<MemberId, number>>): Candidate[] {
  const list: Candidate[] = [];
  for (const [tag, members] of byTag) {
    const ids = [...members.keys()].sort((x, y) => x - y);
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) list.push({ tag, a: ids[i]!, b: ids[j]!, weight: members.get(ids[i]!)! + members.get(ids[j]!)! });
    }
  }
  // Deterministic: the strongest pairs first, then by tag and ids, so a re-run decides the same.
  return list.sort((x, y) => y.weight - x.weight || x.tag.localeCompare(y.tag) || x.a - y.a || x.b - y.b);
}

const reachable = (m: Member | null): m is Member => m !== null && !m.optedOut && !m.leftAt;

export async function kindredIntroductions(ctx: ConciergeContext, now: Date): Promise<KeyedAction[]> {
  const { store } = ctx;
  const weekStart = isoWeekOf(now).start;
  const actions: KeyedAction[] = [];
  const pairs = new Set<string>();
  for (const c of candidates(await helpersByTag(ctx, now))) {
    if (pairs.size >= MAX_PAIRS_PER_WEEK) break;
    if (pairs.has(`${c.a}:${c.b}`) || (await store.introductions.introduced(c.a, c.b))) continue;
    const [a, b] = await Promise.all([store.members.get(c.a), store.members.get(c.b)]);
    if (!reachable(a) || !reachable(b)) continue;
    const platform = platformIds().find((p) => accountOn(a, p) && accountOn(b, p));
    if (!platform) continue;
    const topic = c.tag.replace(/-/g, ' ');
    const { value: intro, created } = await store.introductions.offer({ a: a.id, b: b.id, problemId: null, reason: topic, platform, at: now });
    // Offered in an earlier week: never again. Offered earlier this week: a re-run after a
    // crash, which decides the same keyed messages again (the outbox keeps one of each).
    if (!created && intro.offeredAt < weekStart) continue;
    pairs.add(`${c.a}:${c.b}`);
    for (const [self, other] of [
      [a, b],
      [b, a],
    ] as const) {
      actions.push({
        key: `${platform}:kindred:${intro.id}:${self.id}`,
        action: {
          kind: 'direct',
          platform,
          to: accountOn(self, platform)!,
          body: textReply(
            `Hi ${self.displayName}: you and ${other.displayName} both keep helping with ${topic}. Say "!coagent introduce" if you'd like a private chat to reach each other directly.`,
          ),
        },
      });
    }
  }
  return actions;
}
